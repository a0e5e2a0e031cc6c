package plots

import (
	"os"
	"path/filepath"
	"testing"
)

// TestAttention draws a small attention matrix and reads the PNG back: a
// real image, larger for a longer sentence, and no file for a matrix whose
// shape does not match its labels.
func TestAttention(t *testing.T) {
	dir := t.TempDir()
	draw := func(name string, src, tgt []string) (w, h int) {
		t.Helper()
		weights := make([][]float64, len(tgt))
		for i := range weights {
			weights[i] = make([]float64, len(src))
			weights[i][i%len(src)] = 1
		}
		path := filepath.Join(dir, name)
		if err := Attention(path, src, tgt, weights); err != nil {
			t.Fatal(err)
		}
		return decodePNG(t, path)
	}
	w1, h1 := draw("short.png", []string{"Ein", "Hund", "läuft", ".", "</s>"}, []string{"A", "dog", "runs", "."})
	w2, h2 := draw("long.png", make([]string, 12), make([]string, 11))
	if w2 <= w1 || h2 <= h1 {
		t.Errorf("a longer sentence should get a larger picture: %d×%d then %d×%d", w1, h1, w2, h2)
	}
	bad := filepath.Join(dir, "bad.png")
	if err := Attention(bad, []string{"a"}, []string{"b", "c"}, [][]float64{{1}}); err == nil {
		t.Error("2 target labels for 1 row: no error")
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Errorf("a file was written for a bad matrix: %v", err)
	}
}
