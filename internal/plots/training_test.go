package plots

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlp-go/nlp/train"
)

// decodePNG checks that path holds a PNG image and returns its size.
func decodePNG(t *testing.T, path string) (w, h int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img.Bounds().Dx(), img.Bounds().Dy()
}

// svgText returns the SVG drawing at path, whose text shows what was drawn.
func svgText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "<svg") {
		t.Fatalf("%s is not SVG", path)
	}
	return string(b)
}

func TestTraining(t *testing.T) {
	dir := t.TempDir()
	evals := []train.Eval{
		{Epoch: 1, Step: 100, Loss: 1.2, Score: 0.80, Scored: true, Metrics: map[string]float64{"upos": 0.90, "xpos": 0.70}, Best: true},
		{Epoch: 2, Step: 200, Loss: 0.8, Score: 0.85, Scored: true, Metrics: map[string]float64{"upos": 0.93, "xpos": 0.77}, Best: true},
		{Epoch: 3, Step: 300, Loss: 0.7, Score: 0.84, Scored: true, Metrics: map[string]float64{"upos": 0.92, "xpos": 0.76}},
	}
	png := filepath.Join(dir, "curves.png")
	if err := Training(png, "tagger", evals); err != nil {
		t.Fatal(err)
	}
	if w, h := decodePNG(t, png); w < 300 || h < 300 {
		t.Errorf("a %d×%d picture", w, h)
	}
	svg := filepath.Join(dir, "curves.svg")
	if err := Training(svg, "tagger", evals); err != nil {
		t.Fatal(err)
	}
	s := svgText(t, svg)
	for _, want := range []string{"tagger: training", "tagger: development", "upos", "xpos", "kept", "epoch"} {
		if !strings.Contains(s, want) {
			t.Errorf("the SVG has no %q", want)
		}
	}
	// Several evaluations an epoch: drawn against the step.
	steps := []train.Eval{{Epoch: 1, Step: 50, Loss: 2}, {Epoch: 1, Step: 100, Loss: 1.5}, {Epoch: 2, Step: 150, Loss: 1.2}}
	if err := Training(svg, "generator", steps); err != nil {
		t.Fatal(err)
	}
	if s := svgText(t, svg); !strings.Contains(s, "step") || !strings.Contains(s, "no development data") {
		t.Error("evaluations within an epoch should be drawn against the step, without development data said")
	}
	for name, err := range map[string]error{
		"none.png": Training(filepath.Join(dir, "none.png"), "x", nil),
		"bad.gif":  Training(filepath.Join(dir, "bad.gif"), "x", evals),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
		if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Errorf("%s: a file was written", name)
		}
	}
}

func TestConfusion(t *testing.T) {
	dir := t.TempDir()
	labels := []string{"negative", "neutral", "positive"}
	counts := [][]int{{412, 31, 7}, {0, 0, 0}, {58, 9, 389}}
	svg := filepath.Join(dir, "confusion.svg")
	if err := Confusion(svg, "SST dev", labels, counts); err != nil {
		t.Fatal(err)
	}
	s := svgText(t, svg)
	for _, want := range []string{"SST dev", "predicted", "gold", "negative", "412", "389", "58"} {
		if !strings.Contains(s, want) {
			t.Errorf("the SVG has no %q", want)
		}
	}
	png := filepath.Join(dir, "confusion.png")
	if err := Confusion(png, "SST dev", labels, counts); err != nil {
		t.Fatal(err)
	}
	decodePNG(t, png)
	bad := filepath.Join(dir, "bad.png")
	if err := Confusion(bad, "x", labels, [][]int{{1, 2, 3}, {1, 2}, {1, 2, 3}}); err == nil {
		t.Error("a ragged matrix: no error")
	}
	if err := Confusion(bad, "x", labels, counts[:2]); err == nil {
		t.Error("2 rows for 3 labels: no error")
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Error("a file was written for a bad matrix")
	}
}
