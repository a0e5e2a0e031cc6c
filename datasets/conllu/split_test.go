package conllu

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSplitFile cuts the EWT slice (60 sentences, with multiword tokens,
// empty nodes and comments) into 48 and 12: concatenated, the two files are the
// input byte for byte.
func TestSplitFile(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "train.conllu"), filepath.Join(dir, "dev.conllu")
	first, rest, err := SplitFile(ewtSlice, a, b, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	if first != 48 || rest != 12 {
		t.Errorf("split into %d and %d sentences, want 48 and 12", first, rest)
	}
	in, _ := os.ReadFile(ewtSlice)
	x, _ := os.ReadFile(a)
	y, _ := os.ReadFile(b)
	if !bytes.Equal(append(x, y...), in) {
		t.Errorf("the two parts (%d + %d bytes) are not the input (%d bytes)", len(x), len(y), len(in))
	}
	if got := len(readAllCoNLLU(t, y)); got != 12 {
		t.Errorf("second part reads as %d sentences", got)
	}

	// A tiny fraction still leaves a sentence on each side.
	if first, rest, err = SplitFile(ewtSlice, a, b, 0.001); err != nil || first != 59 || rest != 1 {
		t.Errorf("fraction 0.001: %d and %d sentences, error %v; want 59 and 1", first, rest, err)
	}

	bad := filepath.Join(dir, "bad.conllu")
	os.WriteFile(bad, []byte("1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n2\tdog\n\n"), 0o644)
	for _, c := range []struct {
		in, a, b string
		fraction float64
		want     string
	}{
		{ewtSlice, a, b, 0, "between 0 and 1"},
		{ewtSlice, a, b, 1, "between 0 and 1"},
		{ewtSlice, ewtSlice, b, 0.2, "overwrite the input"},
		{ewtSlice, a, a, 0.2, "the same file"},
		{bad, a, b, 0.5, "bad.conllu:2:6: "},
		{filepath.Join(dir, "missing.conllu"), a, b, 0.5, "missing.conllu"},
	} {
		if _, _, err := SplitFile(c.in, c.a, c.b, c.fraction); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("split %s → %s, %s at %g: error %v, want %q", c.in, c.a, c.b, c.fraction, err, c.want)
		}
	}
}
