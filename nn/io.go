package nn

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/nlp-go/nlp/internal/buildinfo"
	"github.com/nlp-go/nlp/internal/fileutil"
	"github.com/nlpodyssey/safetensors"
)

// FormatVersion is the version of the model file format that Save writes and
// Load accepts.
//
// A model file holds a set of named Params in one safetensors file
// (https://github.com/huggingface/safetensors): an 8-byte little-endian header
// length, a JSON header, then the raw tensor data. Every Param is stored as a
// little-endian F64 tensor (F32 if the Param is Store32, F16 if Store16) of shape
// [Rows, Cols] under its Name, so names are
// paths such as "encoder.fwd.W". The header's "__metadata__" holds strings:
//
//	format_version  FormatVersion
//	nlp_version     the version of nlp that wrote the file, a JSON string
//	                ("v0.3.0", a pseudo-version, or "(devel)" for an
//	                unstamped build and in tests; see internal/buildinfo)
//	checksum        "sha256:" + hex digest, see below
//	anything else   the caller's entries, each a JSON document (config,
//	                vocabularies, label sets, ...)
//
// The checksum is SHA-256 over a canonical encoding of the content, so that it
// does not depend on the header's key order or padding. Each string and byte
// run is preceded by its length as a little-endian uint64:
//
//	count of metadata entries other than checksum, then for each in key order: key, value
//	count of tensors, then for each in name order: name, dtype name ("F64"),
//	    number of dimensions, each dimension as uint64, data bytes
//
// Save writes to a temporary file in the target's directory, syncs it and
// renames it over the target, so a crash leaves either the old file or the new
// one, never half of one.
const FormatVersion = "1"

// Reserved metadata keys, written by Save; callers may not set them.
const (
	MetaFormatVersion = "format_version"
	MetaChecksum      = "checksum"
	// MetaNLPVersion is the version of nlp that wrote the file (ModelFile.WriterVersion).
	// Files written before it was added lack it and load as before.
	MetaNLPVersion = "nlp_version"
)

// reserved reports whether a metadata key is written by Save itself.
func reserved(k string) bool {
	return k == MetaFormatVersion || k == MetaChecksum || k == MetaNLPVersion
}

// MetaConfig is the conventional metadata key for a model's configuration JSON.
const MetaConfig = "config"

// Errors returned (wrapped) by Load, LoadBytes and LoadMeta; test with errors.Is.
var (
	// ErrCorrupt means the file is not a well-formed model file or its content
	// does not match its checksum: truncated, altered or not a model at all.
	ErrCorrupt = errors.New("corrupt model file")
	// ErrVersion means the file declares a format version this code cannot read.
	ErrVersion = errors.New("unsupported model format version")
	// ErrMismatch means a well-formed file whose tensors do not fit the
	// receiving Params: a missing or extra name, another shape or dtype.
	ErrMismatch = errors.New("model file does not match the parameters")
	// ErrNonFinite means a tensor holds NaN or ±Inf: a model saved by a
	// training that diverged. Its checksum is valid (the file is what was
	// written), but the weights would turn every output into NaN or one
	// constant label, so loading refuses it. Errors wrapping it also wrap
	// ErrCorrupt, so that a caller testing only ErrCorrupt rejects it too.
	ErrNonFinite = errors.New("non-finite weight (NaN or Inf)")
)

const checksumPrefix = "sha256:"

// Save writes params and meta to path as one model file (see Write), through a
// temporary file in the same directory that is synced and then renamed over
// path, so that path always holds a complete file. meta's values must be JSON
// documents (for instance MetaConfig → a marshalled Config) and its keys must not
// be the reserved MetaFormatVersion, MetaNLPVersion or MetaChecksum.
func Save(path string, params []*Param, meta map[string]string) error {
	if err := save(path, params, meta); err != nil {
		return fmt.Errorf("nn: save %q: %w", path, err)
	}
	return nil
}

func save(path string, params []*Param, meta map[string]string) error {
	header, views, err := prepareFile(params, meta)
	if err != nil {
		return err
	}
	return fileutil.WriteAtomic(path, func(w io.Writer) error {
		return safetensors.SerializeToWriter(views, header, w)
	})
}

// Write writes params and meta to w in the model file format, as Save does
// without the temporary file.
func Write(w io.Writer, params []*Param, meta map[string]string) error {
	header, views, err := prepareFile(params, meta)
	if err == nil {
		err = safetensors.SerializeToWriter(views, header, w)
	}
	if err != nil {
		return fmt.Errorf("nn: write model: %w", err)
	}
	return nil
}

// Load reads the model file at path into params, which must match the file's
// tensors exactly: the same set of names and, for each, the shape [Rows, Cols]
// (a vector 1×n may also be stored with shape [n]), in F64, F32 or F16 whatever
// the Param's Store32 and Store16 say. It returns the caller's
// metadata entries (without the reserved ones). A file that is truncated,
// altered, of another version or of another shape gives an error wrapping
// ErrCorrupt, ErrVersion or ErrMismatch, and leaves params unchanged; so does
// a tensor holding NaN or Inf (ErrNonFinite, with ErrCorrupt), named in the error.
func Load(path string, params []*Param) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err == nil {
		var meta map[string]string
		if meta, err = loadBytes(data, params); err == nil {
			return meta, nil
		}
	}
	return nil, fmt.Errorf("nn: load %q: %w", path, err)
}

// LoadBytes is Load for a model file held in memory, such as one embedded in
// the binary (package models). The Params receive copies: data is not retained.
func LoadBytes(data []byte, params []*Param) (map[string]string, error) {
	meta, err := loadBytes(data, params)
	if err != nil {
		return nil, fmt.Errorf("nn: load: %w", err)
	}
	return meta, nil
}

// LoadMeta checks the model file at path (format, version and checksum) and
// returns its metadata without loading any tensor: read the config first to
// build Params of the right shapes, then Load them.
func LoadMeta(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err == nil {
		var mf *modelFile
		if mf, err = decode(data); err == nil {
			return mf.userMeta(), nil
		}
	}
	return nil, fmt.Errorf("nn: load %q: %w", path, err)
}

// LoadMetaBytes is LoadMeta for a model file held in memory.
func LoadMetaBytes(data []byte) (map[string]string, error) {
	mf, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("nn: load: %w", err)
	}
	return mf.userMeta(), nil
}

// f64View presents a Param's values to safetensors as an F64 (or, for a
// Store32 Param, F32) tensor.
type f64View struct {
	dtype safetensors.DType
	shape []uint64
	data  []byte
}

func (v f64View) DType() safetensors.DType { return v.dtype }
func (v f64View) Shape() []uint64          { return v.shape }
func (v f64View) Data() []byte             { return v.data }
func (v f64View) DataLen() uint64          { return uint64(len(v.data)) }

// dtypeOf is the dtype a Param is stored as.
func dtypeOf(p *Param) safetensors.DType {
	switch {
	case p.Store16:
		return safetensors.F16
	case p.Store32:
		return safetensors.F32
	}
	return safetensors.F64
}

// fileTensor is one tensor of a decoded file; data points into the file bytes.
type fileTensor struct {
	dtype safetensors.DType
	shape []uint64
	data  []byte
}

// modelFile is a decoded, checksum-verified model file.
type modelFile struct {
	meta    map[string]string
	tensors map[string]fileTensor
}

// userMeta is a copy of the metadata without the reserved entries.
func (mf *modelFile) userMeta() map[string]string {
	out := make(map[string]string, len(mf.meta))
	for k, v := range mf.meta {
		if !reserved(k) {
			out[k] = v
		}
	}
	return out
}

// checkParams reports a programming error in a parameter list as an error
// rather than a panic: Save runs at the end of a long training, and losing the
// model to a panic there would be worse than returning.
func checkParams(params []*Param) error {
	seen := make(map[string]bool, len(params))
	for i, p := range params {
		switch {
		case p == nil:
			return fmt.Errorf("param %d is nil", i)
		case p.Name == "" || p.Name == "__metadata__":
			return fmt.Errorf("param %d has the invalid name %q", i, p.Name)
		case seen[p.Name]:
			return fmt.Errorf("two params are named %q", p.Name)
		case p.Rows < 0 || p.Cols < 0 || len(p.Value) != p.Rows*p.Cols:
			return fmt.Errorf("param %q has %d values for shape %d×%d", p.Name, len(p.Value), p.Rows, p.Cols)
		}
		seen[p.Name] = true
	}
	return nil
}

// prepareFile builds the header metadata (with version and checksum) and the
// tensor views of a model file.
func prepareFile(params []*Param, meta map[string]string) (map[string]string, map[string]f64View, error) {
	if err := checkParams(params); err != nil {
		return nil, nil, err
	}
	header := make(map[string]string, len(meta)+3)
	for k, v := range meta {
		if reserved(k) {
			return nil, nil, fmt.Errorf("metadata key %q is reserved", k)
		}
		if k == "" {
			return nil, nil, errors.New("empty metadata key")
		}
		if !json.Valid([]byte(v)) {
			return nil, nil, fmt.Errorf("metadata %q is not valid JSON", k)
		}
		header[k] = v
	}
	header[MetaFormatVersion] = FormatVersion
	header[MetaNLPVersion] = writerVersion()
	views := make(map[string]f64View, len(params))
	tensors := make(map[string]fileTensor, len(params))
	for _, p := range params {
		dt := dtypeOf(p)
		data := make([]byte, int(dt.Size())*len(p.Value))
		for i, v := range p.Value {
			switch dt {
			case safetensors.F16:
				binary.LittleEndian.PutUint16(data[2*i:], float16Bits(v))
			case safetensors.F32:
				binary.LittleEndian.PutUint32(data[4*i:], math.Float32bits(float32(v)))
			default:
				binary.LittleEndian.PutUint64(data[8*i:], math.Float64bits(v))
			}
		}
		shape := []uint64{uint64(p.Rows), uint64(p.Cols)}
		views[p.Name] = f64View{dtype: dt, shape: shape, data: data}
		tensors[p.Name] = fileTensor{dtype: dt, shape: shape, data: data}
	}
	header[MetaChecksum] = checksum(header, tensors)
	return header, views, nil
}

// checksum is the SHA-256 of the canonical encoding described above, of meta
// without its checksum entry and of tensors.
func checksum(meta map[string]string, tensors map[string]fileTensor) string {
	h := sha256.New()
	var buf [8]byte
	putInt := func(n uint64) {
		binary.LittleEndian.PutUint64(buf[:], n)
		h.Write(buf[:])
	}
	putBytes := func(b []byte) {
		putInt(uint64(len(b)))
		h.Write(b)
	}
	keys := make([]string, 0, len(meta))
	for k := range meta {
		if k != MetaChecksum {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	putInt(uint64(len(keys)))
	for _, k := range keys {
		putString(h, putInt, k)
		putString(h, putInt, meta[k])
	}
	names := make([]string, 0, len(tensors))
	for name := range tensors {
		names = append(names, name)
	}
	slices.Sort(names)
	putInt(uint64(len(names)))
	for _, name := range names {
		t := tensors[name]
		putString(h, putInt, name)
		putString(h, putInt, t.dtype.String())
		putInt(uint64(len(t.shape)))
		for _, d := range t.shape {
			putInt(d)
		}
		putBytes(t.data)
	}
	return checksumPrefix + hex.EncodeToString(h.Sum(nil))
}

func putString(h hash.Hash, putInt func(uint64), s string) {
	putInt(uint64(len(s)))
	io.WriteString(h, s)
}

// decode parses and verifies a model file: structure, version, then checksum.
// It never panics, whatever data holds.
func decode(data []byte) (*modelFile, error) {
	n, md, err := safetensors.ReadMetadata(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	// ReadMetadata checked that the header fits in data and that the tensors
	// tile the rest of it; check each range again so that slicing below cannot
	// panic whatever the library lets through.
	body := data[8+n:]
	infos := md.Tensors()
	mf := &modelFile{meta: md.Metadata(), tensors: make(map[string]fileTensor, len(infos))}
	for name, info := range infos {
		s, e := info.DataOffsets[0], info.DataOffsets[1]
		if s > e || e > uint64(len(body)) {
			return nil, fmt.Errorf("%w: tensor %q: data offsets [%d, %d] outside %d bytes", ErrCorrupt, name, s, e, len(body))
		}
		mf.tensors[name] = fileTensor{dtype: info.DType, shape: info.Shape, data: body[s:e]}
	}
	version, ok := mf.meta[MetaFormatVersion]
	if !ok {
		return nil, fmt.Errorf("%w: no %s in the metadata", ErrCorrupt, MetaFormatVersion)
	}
	if version != FormatVersion {
		return nil, fmt.Errorf("%w: %q, want %q", ErrVersion, version, FormatVersion)
	}
	sum, ok := mf.meta[MetaChecksum]
	if !ok {
		return nil, fmt.Errorf("%w: no %s in the metadata", ErrCorrupt, MetaChecksum)
	}
	if !strings.HasPrefix(sum, checksumPrefix) {
		return nil, fmt.Errorf("%w: unknown checksum kind %q", ErrCorrupt, sum)
	}
	if want := checksum(mf.meta, mf.tensors); sum != want {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	return mf, nil
}

// loadBytes decodes data and copies its tensors into params, all or nothing.
func loadBytes(data []byte, params []*Param) (map[string]string, error) {
	mf, err := decode(data)
	if err != nil {
		return nil, err
	}
	if err := mf.into(params); err != nil {
		return nil, err
	}
	return mf.userMeta(), nil
}

// into copies the file's tensors into params, all or nothing.
func (mf *modelFile) into(params []*Param) error {
	if err := checkParams(params); err != nil {
		return err
	}
	for _, p := range params {
		t, ok := mf.tensors[p.Name]
		if !ok {
			return fmt.Errorf("%w: no tensor %q in the file", ErrMismatch, p.Name)
		}
		switch t.dtype {
		case safetensors.F16, safetensors.F32, safetensors.F64:
		default:
			return fmt.Errorf("%w: tensor %q has dtype %s, want F64, F32 or F16", ErrMismatch, p.Name, t.dtype)
		}
		if !shapeFits(t.shape, p) || len(t.data) != int(t.dtype.Size())*len(p.Value) {
			return fmt.Errorf("%w: tensor %q has shape %v, want [%d %d]", ErrMismatch, p.Name, t.shape, p.Rows, p.Cols)
		}
	}
	if len(mf.tensors) != len(params) {
		want := make(map[string]bool, len(params))
		for _, p := range params {
			want[p.Name] = true
		}
		var extra []string
		for name := range mf.tensors {
			if !want[name] {
				extra = append(extra, name)
			}
		}
		slices.Sort(extra)
		return fmt.Errorf("%w: unexpected tensors %q in the file", ErrMismatch, extra)
	}
	// A pass of its own over the values, before any is copied, so that a
	// non-finite weight leaves params unchanged (all or nothing).
	for _, p := range params {
		t := mf.tensors[p.Name]
		for i := range p.Value {
			if x := tensorValue(t.data, t.dtype, i); math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("%w: %w: tensor %q holds %v at index %d (row %d, column %d)",
					ErrCorrupt, ErrNonFinite, p.Name, x, i, i/p.Cols, i%p.Cols)
			}
		}
	}
	// Everything is checked: now the copy cannot fail halfway.
	for _, p := range params {
		d, dt := mf.tensors[p.Name].data, mf.tensors[p.Name].dtype
		p.Changed()
		for i := range p.Value {
			p.Value[i] = tensorValue(d, dt, i)
		}
	}
	return nil
}

// tensorValue returns the i-th value of a tensor's little-endian data of
// dtype F16, F32 or F64. Any float width loads: a model saved at one precision
// can be read by code that would save it at another.
func tensorValue(d []byte, dt safetensors.DType, i int) float64 {
	switch dt {
	case safetensors.F16:
		return float16Value(binary.LittleEndian.Uint16(d[2*i:]))
	case safetensors.F32:
		return float64(math.Float32frombits(binary.LittleEndian.Uint32(d[4*i:])))
	default:
		return math.Float64frombits(binary.LittleEndian.Uint64(d[8*i:]))
	}
}

// shapeFits reports whether a stored shape is p's: [Rows, Cols], or [n] for a 1×n vector.
func shapeFits(shape []uint64, p *Param) bool {
	switch len(shape) {
	case 2:
		return shape[0] == uint64(p.Rows) && shape[1] == uint64(p.Cols)
	case 1:
		return p.Rows == 1 && shape[0] == uint64(p.Cols)
	}
	return false
}

// ModelFile is a model file decoded and checked (format, version, checksum)
// once, from which the metadata and then the weights are read: the way to load
// a model whose shape its metadata describes without verifying the file twice.
type ModelFile struct{ mf *modelFile }

// DecodeModel decodes and verifies a model file held in memory. Errors wrap
// ErrCorrupt or ErrVersion; nothing panics, whatever data holds.
func DecodeModel(data []byte) (*ModelFile, error) {
	mf, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("nn: load: %w", err)
	}
	return &ModelFile{mf: mf}, nil
}

// Meta returns the caller's metadata entries (without the reserved ones).
func (f *ModelFile) Meta() map[string]string { return f.mf.userMeta() }

// WriterVersion returns the version of nlp that wrote the file (its
// MetaNLPVersion entry), "" for a file written before versions were recorded.
func (f *ModelFile) WriterVersion() string {
	var v string
	if json.Unmarshal([]byte(f.mf.meta[MetaNLPVersion]), &v) != nil {
		return ""
	}
	return v
}

// writerVersion is the JSON string Save writes under MetaNLPVersion.
func writerVersion() string {
	b, _ := json.Marshal(buildinfo.Version())
	return string(b)
}

// Load copies the file's tensors into params, all or nothing, as LoadBytes does.
func (f *ModelFile) Load(params []*Param) error {
	if err := f.mf.into(params); err != nil {
		return fmt.Errorf("nn: load: %w", err)
	}
	return nil
}
