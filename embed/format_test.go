package embed

import (
	"bytes"
	"compress/gzip"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/internal/fuzzlimit"
)

func mustVectors(t testing.TB, words []string, dim int, data []float32) *Vectors {
	t.Helper()
	v, err := NewVectors(words, dim, data)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func sameVectors(t *testing.T, got, want *Vectors) {
	t.Helper()
	if got.Len() != want.Len() || got.Dim() != want.Dim() {
		t.Fatalf("got %d×%d vectors, want %d×%d", got.Len(), got.Dim(), want.Len(), want.Dim())
	}
	for i, w := range want.Words() {
		if got.Word(i) != w {
			t.Fatalf("word %d = %q, want %q", i, got.Word(i), w)
		}
		for k, x := range want.Row(i) {
			if y := got.Row(i)[k]; math.Float32bits(x) != math.Float32bits(y) && !(x != x && y != y) {
				t.Fatalf("%q[%d] = %v, want %v", w, k, y, x)
			}
		}
	}
}

func sample3() *Vectors {
	v, _ := NewVectors([]string{"the", "naïve", "日本", "x-1"}, 3, []float32{
		0.1, -0.25, 3e-8,
		1, 0, -1,
		float32(math.Pi), -1e30, 0.5,
		0, 0, 0,
	})
	return v
}

func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name  string
		write func(*bytes.Buffer, *Vectors) error
		read  func(*bytes.Buffer) (*Vectors, error)
	}{
		{"text", func(b *bytes.Buffer, v *Vectors) error { return WriteText(b, v) }, func(b *bytes.Buffer) (*Vectors, error) { return ReadText(b) }},
		{"binary", func(b *bytes.Buffer, v *Vectors) error { return WriteBinary(b, v) }, func(b *bytes.Buffer) (*Vectors, error) { return ReadBinary(b) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			want := sample3()
			if err := tc.write(&b, want); err != nil {
				t.Fatal(err)
			}
			got, err := tc.read(&b)
			if err != nil {
				t.Fatal(err)
			}
			sameVectors(t, got, want)
		})
	}
}

// TestPeerLayouts reads the layouts word2vec C and gensim write.
func TestPeerLayouts(t *testing.T) {
	f32 := func(xs ...float32) string {
		var b bytes.Buffer
		for _, x := range xs {
			u := math.Float32bits(x)
			b.Write([]byte{byte(u), byte(u >> 8), byte(u >> 16), byte(u >> 24)})
		}
		return b.String()
	}
	want := mustVectors(t, []string{"</s>", "a"}, 2, []float32{0.5, -1, 2, 0.25})
	for _, tc := range []struct {
		name, in string
		read     func(*bytes.Reader) (*Vectors, error)
	}{
		{"c text, trailing spaces", "2 2\n</s> 0.500000 -1.000000 \na 2.000000 0.250000 \n", func(r *bytes.Reader) (*Vectors, error) { return ReadText(r) }},
		{"gensim text", "2 2\n</s> 0.5 -1.0\na 2.0 0.25\n", func(r *bytes.Reader) (*Vectors, error) { return ReadText(r) }},
		{"tabs, no final newline", "2 2\n</s>\t0.5\t-1\na 2 0.25", func(r *bytes.Reader) (*Vectors, error) { return ReadText(r) }},
		{"c binary, newline after each", "2 2\n</s> " + f32(0.5, -1) + "\na " + f32(2, 0.25) + "\n", func(r *bytes.Reader) (*Vectors, error) { return ReadBinary(r) }},
		{"gensim binary, no newlines", "2 2\n</s> " + f32(0.5, -1) + "a " + f32(2, 0.25), func(r *bytes.Reader) (*Vectors, error) { return ReadBinary(r) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.read(bytes.NewReader([]byte(tc.in)))
			if err != nil {
				t.Fatal(err)
			}
			sameVectors(t, got, want)
		})
	}
}

func TestReadErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		binary   bool
		line     int
		is       error
	}{
		{"empty", "", false, 1, ErrHeader},
		{"header one field", "3\n", false, 1, ErrHeader},
		{"header not numbers", "a b\n", false, 1, ErrHeader},
		{"dimension zero", "1 0\nx\n", false, 1, ErrHeader},
		{"too few values", "2 2\na 1 2\nb 1\n", false, 3, ErrFieldCount},
		{"too many values", "1 2\na 1 2 3\n", false, 2, ErrFieldCount},
		{"bad number", "1 2\na 1 zz\n", false, 2, nil},
		{"repeated word", "2 1\na 1\na 2\n", false, 3, nil},
		{"truncated", "3 1\na 1\nb 2\n", false, 4, ErrTruncated},
		{"trailing", "1 1\na 1\nb 2\n", false, 3, ErrTrailing},
		{"binary empty", "", true, 1, ErrHeader},
		{"binary truncated word", "1 2\nab", true, 2, ErrTruncated},
		{"binary truncated vector", "1 2\nab \x00\x00\x80", true, 2, ErrTruncated},
		{"binary trailing", "1 1\na \x00\x00\x80\x3f\nzz", true, 3, ErrTrailing},
		{"binary empty word", "1 1\n \x00\x00\x80\x3f", true, 2, nil},
		{"binary huge dimension", "1 99999999\na ", true, 1, ErrHeader},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.binary {
				_, err = ReadBinary(strings.NewReader(tc.in))
			} else {
				_, err = ReadText(strings.NewReader(tc.in))
			}
			var pe *nlp.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v, want a *nlp.ParseError", err)
			}
			if pe.Line != tc.line {
				t.Errorf("line %d, want %d (%v)", pe.Line, tc.line, err)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v, want %v", err, tc.is)
			}
		})
	}
}

// TestReadNonFinite: a NaN or Inf value is an error naming the line (text) or
// the word and vector (binary), in every reader and through Load, .gz included.
func TestReadNonFinite(t *testing.T) {
	dir := t.TempDir()
	for _, bad := range []string{"nan", "NaN", "inf", "-Inf", "+infinity"} {
		t.Run("text "+bad, func(t *testing.T) {
			in := "2 3\nthe 0.1 0.2 0.3\ncat 0.5 " + bad + " 1\n"
			_, err := ReadText(strings.NewReader(in))
			var pe *nlp.ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrNonFinite) {
				t.Fatalf("err = %v, want a *nlp.ParseError wrapping ErrNonFinite", err)
			}
			if pe.Line != 3 || pe.Column != 9 || pe.Offset != int64(len("2 3\nthe 0.1 0.2 0.3\ncat 0.5 ")) {
				t.Errorf("position %d:%d (offset %d), want 3:9 (%v)", pe.Line, pe.Column, pe.Offset, err)
			}
			if !strings.Contains(err.Error(), `"cat"`) {
				t.Errorf("error %q does not name the word", err)
			}
			// The same through Load, plain and compressed: the path names the file.
			for _, name := range []string{"v.txt", "v.txt.gz"} {
				path := filepath.Join(dir, name)
				writeFile(t, path, []byte(in))
				if _, err := Load(path); !errors.Is(err, ErrNonFinite) || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "line 3") {
					t.Errorf("Load(%s): %v", name, err)
				}
			}
		})
	}
	for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))} {
		v := mustVectors(t, []string{"the", "cat"}, 2, []float32{1, 2, 3, bad})
		var buf bytes.Buffer
		if err := WriteBinary(&buf, v); err != nil {
			t.Fatal(err)
		}
		_, err := ReadBinary(bytes.NewReader(buf.Bytes()))
		var pe *nlp.ParseError
		if !errors.As(err, &pe) || !errors.Is(err, ErrNonFinite) {
			t.Fatalf("binary %v: err = %v, want a *nlp.ParseError wrapping ErrNonFinite", bad, err)
		}
		// "2 2\n" "the " 8 bytes "\n" "cat " 4 bytes, then the bad value.
		if pe.Line != 3 || pe.Offset != 4+4+8+1+4+4 || !strings.Contains(err.Error(), `"cat"`) || !strings.Contains(err.Error(), "vector 2") {
			t.Errorf("binary %v: line %d offset %d: %v", bad, pe.Line, pe.Offset, err)
		}
		for _, name := range []string{"v.bin", "v.bin.gz"} {
			path := filepath.Join(dir, name)
			writeFile(t, path, buf.Bytes())
			if _, err := Load(path); !errors.Is(err, ErrNonFinite) {
				t.Errorf("Load(%s): %v", name, err)
			}
		}
	}
}

// TestHeaderDim: a header whose DIM is not the rows' says so, in text (where
// Load used to take the file for binary and report an empty word) and binary.
func TestHeaderDim(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "v.txt")
	writeFile(t, text, []byte("2 4\nthe 0.1 0.2 0.3\ncat 0.4 0.5 0.6\n"))
	if _, err := Load(text); !errors.Is(err, ErrDim) || !strings.Contains(err.Error(), "DIM 4") || !strings.Contains(err.Error(), "3 values") {
		t.Errorf("text: %v, want ErrDim naming both dimensions", err)
	}
	if _, err := ReadText(strings.NewReader("2 4\nthe 0.1 0.2 0.3\n")); !errors.Is(err, ErrFieldCount) || !strings.Contains(err.Error(), "header's DIM 4") {
		t.Errorf("ReadText: %v", err)
	}
	var buf bytes.Buffer
	if err := WriteBinary(&buf, mustVectors(t, []string{"the", "cat", "sat"}, 3, make([]float32, 9))); err != nil {
		t.Fatal(err)
	}
	data := bytes.Replace(buf.Bytes(), []byte("3 3\n"), []byte("3 4\n"), 1)
	bin := filepath.Join(dir, "v.bin")
	writeFile(t, bin, data)
	if _, err := Load(bin); !errors.Is(err, ErrDim) || !strings.Contains(err.Error(), "DIM 4") {
		t.Errorf("binary: %v, want ErrDim naming the header's DIM", err)
	}
}

// writeFile writes data to path, gzip-compressed when the name ends in ".gz".
func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if strings.HasSuffix(path, ".gz") {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(data)
		zw.Close()
		data = buf.Bytes()
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSaveLoad(t *testing.T) {
	dir := t.TempDir()
	want := sample3()
	for _, tc := range []struct {
		file   string
		binary bool
	}{{"v.txt", false}, {"v.bin", true}, {"v.vec", false}, {"binary-named.txt", true}} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			if err := Save(path, want, tc.binary); err != nil {
				t.Fatal(err)
			}
			got, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			sameVectors(t, got, want)
		})
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if err := Save(filepath.Join(dir, "no", "such", "dir.txt"), want, false); err == nil {
		t.Error("Save into a missing folder succeeded")
	}
	if _, err := Load(filepath.Join(dir, "missing.txt")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load of a missing file: %v", err)
	}
}

func TestNewVectorsErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		words []string
		dim   int
		data  []float32
	}{
		{"dim 0", []string{"a"}, 0, nil},
		{"short data", []string{"a", "b"}, 2, make([]float32, 3)},
		{"empty word", []string{""}, 1, make([]float32, 1)},
		{"space in word", []string{"a b"}, 1, make([]float32, 1)},
		{"repeated", []string{"a", "a"}, 1, make([]float32, 2)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewVectors(tc.words, tc.dim, tc.data); err == nil {
				t.Error("no error")
			}
		})
	}
}

// fuzzRoundTrip checks that whatever a reader accepts writes back and reads the same.
func fuzzRoundTrip(t *testing.T, v *Vectors, write func(*bytes.Buffer, *Vectors) error, read func(*bytes.Buffer) (*Vectors, error)) {
	var b bytes.Buffer
	if err := write(&b, v); err != nil {
		t.Fatalf("write what was read: %v", err)
	}
	again, err := read(&b)
	if err != nil {
		t.Fatalf("read what was written: %v", err)
	}
	sameVectors(t, again, v)
}

func FuzzReadText(f *testing.F) {
	f.Add([]byte("2 2\n</s> 0.5 -1 \na 2 0.25\n"))
	f.Add([]byte("1 3\nnaïve 1e-3 NaN -Inf\n"))
	f.Add([]byte("3 1\na 1\n"))
	f.Add([]byte("1 1\na 1\nb 2\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		fuzzlimit.Check(t, len(in), func() {
			v, err := ReadText(bytes.NewReader(in))
			if err != nil {
				var pe *nlp.ParseError
				if !errors.As(err, &pe) || pe.Line < 1 {
					t.Fatalf("error without a line: %v", err)
				}
				return
			}
			fuzzRoundTrip(t, v, func(b *bytes.Buffer, v *Vectors) error { return WriteText(b, v) }, func(b *bytes.Buffer) (*Vectors, error) { return ReadText(b) })
		})
	})
}

func FuzzReadBinary(f *testing.F) {
	var b bytes.Buffer
	WriteBinary(&b, sample3())
	f.Add(b.Bytes())
	f.Add([]byte("1 1\na \x00\x00\x80\x3f"))
	f.Add([]byte("2 1\na \x00\x00\x80\x3f\n\nb \x00\x00\x80\x3f\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		fuzzlimit.Check(t, len(in), func() {
			v, err := ReadBinary(bytes.NewReader(in))
			if err != nil {
				var pe *nlp.ParseError
				if !errors.As(err, &pe) || pe.Line < 1 {
					t.Fatalf("error without a line: %v", err)
				}
				return
			}
			fuzzRoundTrip(t, v, func(b *bytes.Buffer, v *Vectors) error { return WriteBinary(b, v) }, func(b *bytes.Buffer) (*Vectors, error) { return ReadBinary(b) })
			// Whatever the binary reader accepts converts to text and back.
			fuzzRoundTrip(t, v, func(b *bytes.Buffer, v *Vectors) error { return WriteText(b, v) }, func(b *bytes.Buffer) (*Vectors, error) { return ReadText(b) })
		})
	})
}

func TestHugeHeader(t *testing.T) {
	for _, in := range []string{"9223372036854775807 65536\na ", "120000 20000\n0 "} {
		if _, err := ReadBinary(strings.NewReader(in)); err == nil {
			t.Errorf("ReadBinary(%q) succeeded", in)
		}
		if _, err := ReadText(strings.NewReader(in)); err == nil {
			t.Errorf("ReadText(%q) succeeded", in)
		}
	}
}

func BenchmarkRead(b *testing.B) {
	v := randomVectors(rand.New(rand.NewPCG(5, 6)), 5000, 100)
	for _, f := range []struct {
		name  string
		write func(*bytes.Buffer, *Vectors) error
		read  func(*bytes.Reader) (*Vectors, error)
	}{
		{"text", func(b *bytes.Buffer, v *Vectors) error { return WriteText(b, v) }, func(r *bytes.Reader) (*Vectors, error) { return ReadText(r) }},
		{"binary", func(b *bytes.Buffer, v *Vectors) error { return WriteBinary(b, v) }, func(r *bytes.Reader) (*Vectors, error) { return ReadBinary(r) }},
	} {
		var buf bytes.Buffer
		if err := f.write(&buf, v); err != nil {
			b.Fatal(err)
		}
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(buf.Len()))
			for b.Loop() {
				if _, err := f.read(bytes.NewReader(buf.Bytes())); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
