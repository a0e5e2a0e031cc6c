package subword

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nlp-go/nlp"
)

func TestSaveLoad(t *testing.T) {
	m, err := Learn(readCounts(t, 300), 300)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "de.bpe")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if lines[0] != "#version: 0.2" || len(lines) != 301 {
		t.Fatalf("file starts %q, %d lines", lines[0], len(lines))
	}
	l, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(l.Merges(), m.Merges()) {
		t.Error("loaded merges differ")
	}
	for w := range readCounts(t, 300) {
		if a, b := m.Segment(w), l.Segment(w); !slices.Equal(a, b) {
			t.Errorf("%q: %q, loaded %q", w, a, b)
		}
	}
	// The toy model's file, as subword-nmt writes it.
	toy, _ := Learn(toyCounts, 100)
	var sb strings.Builder
	if _, err := toy.WriteTo(&sb); err != nil {
		t.Fatal(err)
	}
	if want := "#version: 0.2\ns t</w>\ne st</w>\nl o\n"; !strings.HasPrefix(sb.String(), want) {
		t.Errorf("file starts %q, want %q", sb.String()[:len(want)], want)
	}
}

// Load rejects a malformed file with its name and the line at fault.
func TestLoadErrors(t *testing.T) {
	long := strings.Repeat("a", MaxLineBytes)
	for _, c := range []struct {
		name, text, want string
		sentinel         error
	}{
		{"no header", "l o\n", "x.bpe:1:1: ", ErrFormat},
		{"empty", "", "x.bpe:1: ", ErrFormat},
		{"old version", "#version: 0.1\n", "x.bpe:1:1: ", ErrFormat},
		{"one symbol", "#version: 0.2\nl o\nlo\n", "x.bpe:3: ", ErrFormat},
		{"three symbols", "#version: 0.2\nl o w\n", "x.bpe:2: ", ErrFormat},
		{"two spaces", "#version: 0.2\nl  o\n", "x.bpe:2: ", ErrFormat},
		{"final first", "#version: 0.2\nl</w> o\n", "x.bpe:2:1: ", ErrFormat},
		{"unknown symbol", "#version: 0.2\nl o\nlo wer</w>\n", "x.bpe:3:4: ", ErrFormat},
		{"bare end mark", "#version: 0.2\nl </w>\n", "x.bpe:2:3: ", ErrFormat},
		{"repeated", "#version: 0.2\nl o\ne r\nl o\n", "x.bpe:4: ", ErrFormat},
		{"bad UTF-8", "#version: 0.2\nl o\n\xff o\n", "x.bpe:3:1: ", nlp.ErrInvalidUTF8},
		{"NUL", "#version: 0.2\nl \x00\n", "x.bpe:2:3: ", nlp.ErrNUL},
		{"long line", "#version: 0.2\n" + long + "\n", "x.bpe:2: ", nil},
	} {
		path := filepath.Join(t.TempDir(), "x.bpe")
		if err := os.WriteFile(path, []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path)
		var pe *nlp.ParseError
		if err == nil || !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), filepath.Dir(path)) ||
			!strings.Contains(err.Error(), c.want) || c.sentinel != nil && !errors.Is(err, c.sentinel) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	// A BOM before the header and CRLF line ends are read.
	path := filepath.Join(t.TempDir(), "bom.bpe")
	os.WriteFile(path, []byte("\ufeff#version: 0.2\r\nl o\r\nlo w</w>\r\n"), 0o644)
	if m, err := Load(path); err != nil || m.Len() != 2 {
		t.Errorf("BOM and CRLF: %v", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("no error for a missing file")
	}
}
