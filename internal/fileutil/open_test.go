package fileutil

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func gzipped(t *testing.T, parts ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, p := range parts { // one gzip member each, as `gzip -c a b` writes
		zw := gzip.NewWriter(&buf)
		if _, err := zw.Write([]byte(p)); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

func TestOpenDecompressesByContent(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name    string
		content []byte
		want    string
	}{
		{"plain.txt", []byte("Ein Hund läuft.\n"), "Ein Hund läuft.\n"},
		{"named-gz-but-plain.gz", []byte("plain after all\n"), "plain after all\n"},
		{"reviews.txt", gzipped(t, "gzip without .gz\n"), "gzip without .gz\n"},
		{"two-members.gz", gzipped(t, "first\n", "second\n"), "first\nsecond\n"},
		{"empty.txt", nil, ""},
		{"one-byte.txt", []byte{0x1f}, "\x1f"},
	}
	for _, c := range cases {
		path := filepath.Join(dir, c.name)
		if err := os.WriteFile(path, c.content, 0o644); err != nil {
			t.Fatal(err)
		}
		rc, err := Open(path)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got, err := io.ReadAll(rc)
		if err != nil {
			t.Fatalf("%s: read: %v", c.name, err)
		}
		if err := rc.Close(); err != nil {
			t.Fatalf("%s: close: %v", c.name, err)
		}
		if string(got) != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(filepath.Join(dir, "missing.txt")); !os.IsNotExist(err) {
		t.Errorf("missing file: got %v, want a not-exist error", err)
	}
	// The magic bytes, then not a gzip header: an error that names the file.
	bad := filepath.Join(dir, "bad.gz")
	if err := os.WriteFile(bad, []byte{0x1f, 0x8b, 'x'}, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(bad); err == nil || !strings.Contains(err.Error(), "bad.gz") {
		t.Errorf("bad header: got %v, want an error naming bad.gz", err)
	}
	// A stream cut short: the read fails, it does not end quietly.
	cut := gzipped(t, strings.Repeat("a long enough line\n", 100))
	trunc := filepath.Join(dir, "cut.gz")
	if err := os.WriteFile(trunc, cut[:len(cut)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	rc, err := Open(trunc)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if _, err := io.ReadAll(rc); err == nil {
		t.Error("truncated gzip: read all without an error")
	}
}

func TestDecompressStream(t *testing.T) {
	r, err := Decompress(bytes.NewReader(gzipped(t, "from stdin\n")))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(r)
	if string(got) != "from stdin\n" {
		t.Errorf("got %q", got)
	}
}
