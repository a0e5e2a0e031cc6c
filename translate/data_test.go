package translate

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlp-go/nlp"
)

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadParallel(t *testing.T) {
	dir := t.TempDir()
	src := writeFile(t, dir, "a.de", "Ein Hund läuft.\n\nZwei Männer.\n")
	tgt := writeFile(t, dir, "a.en", "A dog runs.\n\nTwo men.\n")
	p, err := ReadParallel(src, tgt)
	if err != nil {
		t.Fatal(err)
	}
	if p.Len() != 3 || p.Src[1] != "" || p.Tgt[2] != "Two men." {
		t.Fatalf("got %q / %q", p.Src, p.Tgt)
	}
}

func TestReadParallelErrors(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.en", "one\ntwo\n")
	short := writeFile(t, dir, "short.de", "eins\n")
	_, err := ReadParallel(short, good)
	if !errors.Is(err, ErrLineCount) || !strings.Contains(err.Error(), short) || !strings.Contains(err.Error(), good) {
		t.Fatalf("mismatched lengths: %v, want ErrLineCount naming both files", err)
	}
	bad := writeFile(t, dir, "bad.de", "eins\nzw\xffei\n")
	_, err = ReadParallel(bad, good)
	var pe *nlp.ParseError
	if !errors.As(err, &pe) || pe.File != bad || pe.Line != 2 || !errors.Is(err, nlp.ErrInvalidUTF8) {
		t.Fatalf("invalid UTF-8: %v, want a ParseError at %s:2", err, bad)
	}
	long := writeFile(t, dir, "long.de", "eins\n"+strings.Repeat("x", MaxLineBytes+1)+"\n")
	_, err = ReadParallel(long, good)
	if !errors.As(err, &pe) || pe.File != long || pe.Line != 2 {
		t.Fatalf("long line: %v, want a ParseError at %s:2", err, long)
	}
}
