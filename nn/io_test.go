package nn

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nlpodyssey/safetensors"

	"github.com/nlp-go/nlp/internal/fuzzlimit"
)

// ioModel returns the parameters of a small model; values are random from seed,
// or zero when seed is 0, with a few special values to check bit-exact round trips
// (finite ones only: a file holding NaN or Inf does not load, TestLoadNonFinite).
func ioModel(seed uint64) []*Param {
	ps := []*Param{
		NewParam("encoder.fwd.W", 3, 4),
		NewParam("encoder.fwd.b", 1, 4),
		NewParam("embed.W", 5, 2),
		NewParam("empty", 0, 3),
	}
	ps[2].Sparse = true
	if seed == 0 {
		return ps
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	for _, p := range ps {
		InitNormal(p, rng, 0, 1)
	}
	copy(ps[1].Value, []float64{math.Copysign(0, -1), math.MaxFloat64, -math.MaxFloat64, 5e-324})
	return ps
}

var ioMeta = map[string]string{
	MetaConfig: `{"cell":"lstm","hidden":4,"layers":1}`,
	"vocab":    `["the","cat","sat"]`,
	"labels":   `["NOUN","VERB"]`,
}

// sameBits reports whether two Param lists hold bit-identical values.
func sameBits(a, b []*Param) bool {
	for i := range a {
		for j := range a[i].Value {
			if math.Float64bits(a[i].Value[j]) != math.Float64bits(b[i].Value[j]) {
				return false
			}
		}
	}
	return true
}

// ioFile returns the bytes of ioModel(1) saved with ioMeta.
func ioFile(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, ioModel(1), ioMeta); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSaveLoadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.safetensors")
	src := ioModel(1)
	if err := Save(path, src, ioMeta); err != nil {
		t.Fatal(err)
	}
	dst := ioModel(0)
	meta, err := Load(path, dst)
	if err != nil {
		t.Fatal(err)
	}
	if !sameBits(src, dst) {
		t.Error("loaded values differ from the saved ones")
	}
	if !maps.Equal(meta, ioMeta) {
		t.Errorf("metadata %v, want %v", meta, ioMeta)
	}
	// Only the model is left in the directory, readable by others.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want 1", len(entries))
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, err %v", fi.Mode(), err)
	}
	// Save writes exactly what Write writes, and LoadMeta agrees with Load.
	data, _ := os.ReadFile(path)
	if !bytes.Equal(data, ioFile(t)) {
		t.Error("Save and Write produce different bytes")
	}
	if m, err := LoadMeta(path); err != nil || !maps.Equal(m, ioMeta) {
		t.Errorf("LoadMeta = %v, %v", m, err)
	}
	// The header is what the format documents.
	_, md, err := safetensors.ReadMetadata(data)
	if err != nil {
		t.Fatal(err)
	}
	h := md.Metadata()
	if h[MetaFormatVersion] != FormatVersion || !strings.HasPrefix(h[MetaChecksum], "sha256:") || len(h[MetaChecksum]) != 7+64 {
		t.Errorf("header metadata %v", h)
	}
	if info := md.Tensors()["encoder.fwd.W"]; info.DType != safetensors.F64 || !slices.Equal(info.Shape, []uint64{3, 4}) {
		t.Errorf("tensor info %+v", info)
	}
}

// TestSaveStampsVersion checks that every file says which version of nlp
// wrote it, in the header under nlp_version as a JSON string, that the
// checksum covers it, and that Meta leaves it out as it does the other
// reserved entries. A test binary is unstamped: the version is "(devel)".
func TestSaveStampsVersion(t *testing.T) {
	data := ioFile(t)
	_, md, err := safetensors.ReadMetadata(data)
	if err != nil {
		t.Fatal(err)
	}
	if got := md.Metadata()[MetaNLPVersion]; got != `"(devel)"` {
		t.Errorf("header %s = %s, want %q", MetaNLPVersion, got, `"(devel)"`)
	}
	f, err := DecodeModel(data)
	if err != nil {
		t.Fatal(err)
	}
	if v := f.WriterVersion(); v != "(devel)" {
		t.Errorf("WriterVersion() = %q", v)
	}
	if _, ok := f.Meta()[MetaNLPVersion]; ok {
		t.Errorf("Meta() holds the reserved %s", MetaNLPVersion)
	}
	// Altering the version breaks the checksum: it is part of the content.
	i := bytes.Index(data, []byte("(devel)"))
	if i < 0 {
		t.Fatal("no (devel) in the file")
	}
	bad := bytes.Clone(data)
	bad[i+1] = 'D'
	if _, err := DecodeModel(bad); !errors.Is(err, ErrCorrupt) {
		t.Errorf("version altered: err %v, want ErrCorrupt", err)
	}
	// A file written before versions were recorded has none, and loads.
	old := craft(t, map[string]rawView{"w": {dt: safetensors.F64, shape: []uint64{1, 1}, data: make([]byte, 8)}},
		map[string]string{MetaConfig: `{"n":1}`}, true)
	if f, err := DecodeModel(old); err != nil || f.WriterVersion() != "" {
		t.Errorf("file without %s: %v, version %q", MetaNLPVersion, err, f.WriterVersion())
	}
}

func TestSaveOverwrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.safetensors")
	for seed := uint64(1); seed <= 2; seed++ {
		if err := Save(path, ioModel(seed), nil); err != nil {
			t.Fatal(err)
		}
	}
	dst := ioModel(0)
	meta, err := Load(path, dst)
	if err != nil {
		t.Fatal(err)
	}
	if !sameBits(dst, ioModel(2)) || len(meta) != 0 {
		t.Errorf("after two saves: meta %v, values of the second save: %v", meta, sameBits(dst, ioModel(2)))
	}
}

func TestSaveErrors(t *testing.T) {
	dup := ioModel(1)
	dup[1].Name = dup[0].Name
	short := ioModel(1)
	short[0].Value = short[0].Value[:5]
	for _, tc := range []struct {
		name   string
		params []*Param
		meta   map[string]string
		path   string
	}{
		{"reserved version key", ioModel(1), map[string]string{MetaFormatVersion: `"2"`}, ""},
		{"reserved checksum key", ioModel(1), map[string]string{MetaChecksum: `"x"`}, ""},
		{"reserved nlp version key", ioModel(1), map[string]string{MetaNLPVersion: `"v9"`}, ""},
		{"metadata not JSON", ioModel(1), map[string]string{MetaConfig: "{hidden: 4"}, ""},
		{"duplicate names", dup, nil, ""},
		{"empty name", []*Param{NewParam("", 1, 1)}, nil, ""},
		{"nil param", []*Param{nil}, nil, ""},
		{"values do not fit shape", short, nil, ""},
		{"missing directory", ioModel(1), nil, "no/such/dir/m.safetensors"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "m.safetensors")
			if tc.path != "" {
				path = filepath.Join(dir, tc.path)
			}
			err := Save(path, tc.params, tc.meta)
			if err == nil || !strings.HasPrefix(err.Error(), "nn: save ") {
				t.Fatalf("err = %v", err)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("left %d files behind", len(entries))
			}
		})
	}
}

// TestLoadNonFinite saves a model with one NaN or Inf weight, in each storage
// width: Save writes it (the file is well formed) but every loader refuses it,
// naming the tensor, and leaves the receiving params untouched.
func TestLoadNonFinite(t *testing.T) {
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		for _, width := range []string{"F64", "F32", "F16"} {
			t.Run(fmt.Sprintf("%v/%s", bad, width), func(t *testing.T) {
				src := ioModel(1)
				for _, p := range src {
					p.Store32, p.Store16 = width == "F32", width == "F16"
				}
				src[1].Value[1], src[1].Value[2] = 1, -1 // ±MaxFloat64 would round to Inf in F32 and F16
				src[2].Value[7] = bad                    // embed.W row 3, column 1
				path := filepath.Join(t.TempDir(), "m.safetensors")
				if err := Save(path, src, ioMeta); err != nil {
					t.Fatal(err)
				}
				data, _ := os.ReadFile(path)
				mf, err := DecodeModel(data)
				if err != nil {
					t.Fatalf("DecodeModel: %v (the file itself is well formed)", err)
				}
				loads := map[string]func(dst []*Param) error{
					"Load":           func(dst []*Param) error { _, err := Load(path, dst); return err },
					"LoadBytes":      func(dst []*Param) error { _, err := LoadBytes(data, dst); return err },
					"ModelFile.Load": mf.Load,
				}
				for name, load := range loads {
					dst := ioModel(3)
					err := load(dst)
					if !errors.Is(err, ErrNonFinite) || !errors.Is(err, ErrCorrupt) {
						t.Fatalf("%s: err = %v, want ErrNonFinite and ErrCorrupt", name, err)
					}
					if !strings.Contains(err.Error(), `"embed.W"`) || !strings.Contains(err.Error(), "row 3, column 1") {
						t.Errorf("%s: error %q does not name the tensor and the place", name, err)
					}
					if !sameBits(dst, ioModel(3)) {
						t.Errorf("%s: params changed by a failed load", name)
					}
				}
			})
		}
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "none"), ioModel(0))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v", err)
	}
}

// TestLoadTruncated cuts a valid file at every length: each must fail with
// ErrCorrupt and leave the receiving params untouched.
func TestLoadTruncated(t *testing.T) {
	data := ioFile(t)
	for n := range len(data) {
		dst := ioModel(3)
		if _, err := LoadBytes(data[:n], dst); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("truncated to %d of %d bytes: err = %v", n, len(data), err)
		}
		if !sameBits(dst, ioModel(3)) {
			t.Fatalf("truncated to %d bytes: params changed", n)
		}
	}
}

// TestLoadBitFlips alters every byte of a valid file in three ways (low bit,
// high bit, all bits): each must fail and leave the params untouched.
func TestLoadBitFlips(t *testing.T) {
	data := ioFile(t)
	for _, mask := range []byte{0x01, 0x80, 0xff} {
		t.Run(fmt.Sprintf("xor %#02x", mask), func(t *testing.T) {
			for i := range data {
				bad := slices.Clone(data)
				bad[i] ^= mask
				dst := ioModel(3)
				if _, err := LoadBytes(bad, dst); err == nil {
					t.Fatalf("byte %d (%q) flipped: no error", i, data[i])
				}
				if !sameBits(dst, ioModel(3)) {
					t.Fatalf("byte %d flipped: params changed", i)
				}
				if _, err := LoadMetaBytes(bad); err == nil {
					t.Fatalf("byte %d flipped: LoadMetaBytes gave no error", i)
				}
			}
		})
	}
}

// rawView is a safetensors tensor with arbitrary dtype, shape and bytes.
type rawView struct {
	dt    safetensors.DType
	shape []uint64
	data  []byte
}

func (v rawView) DType() safetensors.DType { return v.dt }
func (v rawView) Shape() []uint64          { return v.shape }
func (v rawView) Data() []byte             { return v.data }
func (v rawView) DataLen() uint64          { return uint64(len(v.data)) }

// craft builds a safetensors file from views and meta. With sign set it adds
// format_version (unless meta has one) and the correct checksum, giving a
// well-formed model file; otherwise meta is written as given.
func craft(t *testing.T, views map[string]rawView, meta map[string]string, sign bool) []byte {
	t.Helper()
	header := maps.Clone(meta)
	if header == nil {
		header = map[string]string{}
	}
	if sign {
		if _, ok := header[MetaFormatVersion]; !ok {
			header[MetaFormatVersion] = FormatVersion
		}
		tensors := make(map[string]fileTensor, len(views))
		for name, v := range views {
			tensors[name] = fileTensor{dtype: v.dt, shape: v.shape, data: v.data}
		}
		header[MetaChecksum] = checksum(header, tensors)
	}
	data, err := safetensors.Serialize(views, header)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// modelViews returns the tensors of ioModel(1) as raw views.
func modelViews() map[string]rawView {
	views := map[string]rawView{}
	for _, p := range ioModel(1) {
		data := make([]byte, 8*len(p.Value))
		for i, v := range p.Value {
			binary.LittleEndian.PutUint64(data[8*i:], math.Float64bits(v))
		}
		views[p.Name] = rawView{safetensors.F64, []uint64{uint64(p.Rows), uint64(p.Cols)}, data}
	}
	return views
}

// TestLoadAltered covers alterations other than flips and truncation: files
// edited consistently by another tool, files of another version, and
// well-formed files that do not fit the receiving params.
func TestLoadAltered(t *testing.T) {
	good := ioFile(t)
	_, md, err := safetensors.ReadMetadata(good)
	if err != nil {
		t.Fatal(err)
	}
	oldSum := md.Metadata()[MetaChecksum]
	with := func(edit func(v map[string]rawView, m map[string]string)) (map[string]rawView, map[string]string) {
		v, m := modelViews(), maps.Clone(ioMeta)
		edit(v, m)
		return v, m
	}
	for _, tc := range []struct {
		name string
		data func() []byte
		want error
	}{
		{"appended byte", func() []byte { return append(slices.Clone(good), 0) }, ErrCorrupt},
		{"empty", func() []byte { return nil }, ErrCorrupt},
		{"not safetensors", func() []byte { return []byte("just some text, long enough for a header") }, ErrCorrupt},
		{"config edited, old checksum", func() []byte {
			v, m := with(func(_ map[string]rawView, m map[string]string) { m[MetaConfig] = `{"cell":"gru"}` })
			m[MetaFormatVersion], m[MetaChecksum] = FormatVersion, oldSum
			return craft(t, v, m, false)
		}, ErrCorrupt},
		{"value edited, old checksum", func() []byte {
			v, m := with(func(v map[string]rawView, _ map[string]string) { v["encoder.fwd.W"].data[3] ^= 1 })
			m[MetaFormatVersion], m[MetaChecksum] = FormatVersion, oldSum
			return craft(t, v, m, false)
		}, ErrCorrupt},
		{"no checksum", func() []byte {
			v, m := with(func(map[string]rawView, map[string]string) {})
			m[MetaFormatVersion] = FormatVersion
			return craft(t, v, m, false)
		}, ErrCorrupt},
		{"other checksum kind", func() []byte {
			v, m := with(func(map[string]rawView, map[string]string) {})
			m[MetaFormatVersion], m[MetaChecksum] = FormatVersion, "md5:abc"
			return craft(t, v, m, false)
		}, ErrCorrupt},
		{"no metadata", func() []byte { return craft(t, modelViews(), nil, false) }, ErrCorrupt},
		{"version 2", func() []byte {
			v, m := with(func(_ map[string]rawView, m map[string]string) { m[MetaFormatVersion] = "2" })
			return craft(t, v, m, true)
		}, ErrVersion},
		{"missing tensor", func() []byte {
			v, m := with(func(v map[string]rawView, _ map[string]string) { delete(v, "embed.W") })
			return craft(t, v, m, true)
		}, ErrMismatch},
		{"extra tensor", func() []byte {
			v, m := with(func(v map[string]rawView, _ map[string]string) {
				v["decoder.W"] = rawView{safetensors.F64, []uint64{1, 1}, make([]byte, 8)}
			})
			return craft(t, v, m, true)
		}, ErrMismatch},
		{"renamed tensor", func() []byte {
			v, m := with(func(v map[string]rawView, _ map[string]string) {
				v["encoder.bwd.W"] = v["encoder.fwd.W"]
				delete(v, "encoder.fwd.W")
			})
			return craft(t, v, m, true)
		}, ErrMismatch},
		{"transposed shape", func() []byte {
			v, m := with(func(v map[string]rawView, _ map[string]string) {
				w := v["encoder.fwd.W"]
				w.shape = []uint64{4, 3}
				v["encoder.fwd.W"] = w
			})
			return craft(t, v, m, true)
		}, ErrMismatch},
		{"three dimensions", func() []byte {
			v, m := with(func(v map[string]rawView, _ map[string]string) {
				w := v["encoder.fwd.W"]
				w.shape = []uint64{1, 3, 4}
				v["encoder.fwd.W"] = w
			})
			return craft(t, v, m, true)
		}, ErrMismatch},
		{"float32 tensor", func() []byte {
			v, m := with(func(v map[string]rawView, _ map[string]string) {
				v["encoder.fwd.b"] = rawView{safetensors.F32, []uint64{1, 8}, make([]byte, 32)}
			})
			return craft(t, v, m, true)
		}, ErrMismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst := ioModel(3)
			_, err := LoadBytes(tc.data(), dst)
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
			if !sameBits(dst, ioModel(3)) {
				t.Error("params changed")
			}
		})
	}
}

// TestLoadVectorShape accepts a 1×n Param stored with the 1-D shape [n], as
// PyTorch stores biases.
func TestLoadVectorShape(t *testing.T) {
	v := modelViews()
	b := v["encoder.fwd.b"]
	b.shape = []uint64{4}
	v["encoder.fwd.b"] = b
	dst := ioModel(0)
	if _, err := LoadBytes(craft(t, v, nil, true), dst); err != nil {
		t.Fatal(err)
	}
	if !sameBits(dst, ioModel(1)) {
		t.Error("values differ")
	}
}

// FuzzLoad feeds arbitrary bytes to LoadBytes and LoadMetaBytes: they may fail
// but must not panic, and whatever they accept must save and load back unchanged.
func FuzzLoad(f *testing.F) {
	good := ioFile(f)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte{})
	f.Add([]byte("\x02\x00\x00\x00\x00\x00\x00\x00{}"))
	var small bytes.Buffer
	if err := Write(&small, []*Param{NewParam("w", 1, 1)}, nil); err != nil {
		f.Fatal(err)
	}
	f.Add(small.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzlimit.Check(t, len(data), func() {
			meta, merr := LoadMetaBytes(data)
			for _, params := range [][]*Param{ioModel(0), {NewParam("w", 1, 1)}} {
				got, err := LoadBytes(data, params)
				if err != nil {
					continue
				}
				if merr != nil || !maps.Equal(got, meta) {
					t.Fatalf("LoadBytes accepted what LoadMetaBytes did not (%v), or their metadata differ", merr)
				}
				var buf bytes.Buffer
				if err := Write(&buf, params, got); err != nil {
					t.Fatalf("saving what was loaded: %v", err)
				}
				again := make([]*Param, len(params))
				for i, p := range params {
					again[i] = NewParam(p.Name, p.Rows, p.Cols)
				}
				if m2, err := LoadBytes(buf.Bytes(), again); err != nil || !maps.Equal(m2, got) || !sameBits(again, params) {
					t.Fatalf("round trip of a loaded file: %v", err)
				}
			}
		})
	})
}

func ExampleSave() {
	dir, err := os.MkdirTemp("", "nn-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "tagger.safetensors")

	rng := rand.New(rand.NewPCG(1, 2))
	out := NewLinear("output", 4, 3, rng)
	meta := map[string]string{MetaConfig: `{"hidden":4,"tags":3}`}
	if err := Save(path, out.Params(), meta); err != nil {
		panic(err)
	}

	// Read the config first to know the shapes, then load the values.
	m, err := LoadMeta(path)
	if err != nil {
		panic(err)
	}
	fmt.Println(m[MetaConfig])
	loaded := NewLinear("output", 4, 3, nil)
	if _, err := Load(path, loaded.Params()); err != nil {
		panic(err)
	}
	fmt.Println(slices.Equal(loaded.W.Value, out.W.Value))

	// A model built with other shapes does not load.
	_, err = Load(path, NewLinear("output", 4, 5, nil).Params())
	fmt.Println(errors.Is(err, ErrMismatch))
	// Output:
	// {"hidden":4,"tags":3}
	// true
	// true
}

func ExampleLoadBytes() {
	// A model shipped inside the binary would come from a go:embed variable:
	//
	//	//go:embed tagger.safetensors
	//	var taggerModel []byte
	var buf bytes.Buffer
	emb := NewEmbeddingFrom("embed", [][]float64{{1, 2}, {3, 4}})
	if err := Write(&buf, emb.Params(), map[string]string{"vocab": `["cat","dog"]`}); err != nil {
		panic(err)
	}
	taggerModel := buf.Bytes()

	loaded := NewEmbedding("embed", 2, 2, nil)
	meta, err := LoadBytes(taggerModel, loaded.Params())
	if err != nil {
		panic(err)
	}
	fmt.Println(meta["vocab"], loaded.W.Value)

	// One flipped bit anywhere makes the file unreadable rather than wrong.
	taggerModel[len(taggerModel)-1] ^= 1
	_, err = LoadBytes(taggerModel, loaded.Params())
	fmt.Println(errors.Is(err, ErrCorrupt))
	// Output:
	// ["cat","dog"] [1 2 3 4]
	// true
}

// TestChecksumDocumented recomputes the checksum of a saved file from the
// encoding documented on FormatVersion, so that a change of the encoding (which
// would make old files unreadable) cannot go unnoticed.
func TestChecksumDocumented(t *testing.T) {
	p := NewParam("w", 1, 2)
	copy(p.Value, []float64{1.5, -2})
	var buf bytes.Buffer
	if err := Write(&buf, []*Param{p}, map[string]string{MetaConfig: `{"a":1}`}); err != nil {
		t.Fatal(err)
	}
	_, md, err := safetensors.ReadMetadata(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var enc []byte
	u64 := func(n int) { enc = binary.LittleEndian.AppendUint64(enc, uint64(n)) }
	str := func(s string) { u64(len(s)); enc = append(enc, s...) }
	u64(3) // metadata entries other than checksum, by key
	str("config")
	str(`{"a":1}`)
	str("format_version")
	str("1")
	str("nlp_version")
	str(`"(devel)"`) // a test binary is unstamped
	u64(1)           // tensors, by name
	str("w")
	str("F64")
	u64(2) // dimensions
	u64(1)
	u64(2)
	u64(16) // data bytes
	enc = binary.LittleEndian.AppendUint64(enc, math.Float64bits(1.5))
	enc = binary.LittleEndian.AppendUint64(enc, math.Float64bits(-2))
	want := fmt.Sprintf("sha256:%x", sha256.Sum256(enc))
	if got := md.Metadata()[MetaChecksum]; got != want {
		t.Errorf("checksum %s, want %s", got, want)
	}
}

// TestStore32 saves a table as float32: half the bytes, values rounded to
// float32, and a file whose dtype differs from the Param's setting is refused.
func TestStore32(t *testing.T) {
	dir := t.TempDir()
	mk := func(store32 bool) []*Param {
		w := NewParam("emb.W", 50, 20)
		w.Store32 = store32
		for i := range w.Value {
			w.Value[i] = 1 / float64(i+3)
		}
		return []*Param{w, NewParam("out.b", 1, 3)}
	}
	p32, p64 := filepath.Join(dir, "m32"), filepath.Join(dir, "m64")
	if err := Save(p32, mk(true), nil); err != nil {
		t.Fatal(err)
	}
	if err := Save(p64, mk(false), nil); err != nil {
		t.Fatal(err)
	}
	// The tensor data, after the 8-byte header length and the header (whose
	// padding to 8 bytes differs with its length).
	dataBytes := func(path string) int {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return len(b) - 8 - int(binary.LittleEndian.Uint64(b))
	}
	if d := dataBytes(p64) - dataBytes(p32); d != 50*20*4 {
		t.Errorf("float32 storage saved %d bytes, want %d", d, 50*20*4)
	}
	got := mk(true)
	clear(got[0].Value)
	if _, err := Load(p32, got); err != nil {
		t.Fatal(err)
	}
	for i, v := range got[0].Value {
		if want := float64(float32(1 / float64(i+3))); v != want {
			t.Fatalf("value %d: %g, want %g", i, v, want)
		}
	}
	// Either width loads into either kind of Param.
	wide := mk(false)
	if _, err := Load(p32, wide); err != nil {
		t.Errorf("F32 file into an F64 Param: %v", err)
	} else if wide[0].Value[5] != float64(float32(1.0/8)) {
		t.Errorf("F32 value read as %g", wide[0].Value[5])
	}
	narrow := mk(true)
	if _, err := Load(p64, narrow); err != nil {
		t.Errorf("F64 file into a Store32 Param: %v", err)
	} else if narrow[0].Value[4] != 1.0/7 {
		t.Errorf("F64 value read as %g, want it exact", narrow[0].Value[4])
	}
}
