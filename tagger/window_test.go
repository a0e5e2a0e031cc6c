package tagger

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// TestWindows checks how Tag cuts long sentences: a sentence that fits a window
// is tagged as before, and each word of a longer one gets the tags of the
// window it is kept from, tagged alone.
func TestWindows(t *testing.T) {
	cfg := tiny
	cfg.Epochs = 1
	dev := readData(t, "ewt-dev-small.conllu")
	m, _, err := Train(t.Context(), cfg, readData(t, "ewt-train-slice.conllu"), dev, nil)
	if err != nil {
		t.Fatal(err)
	}
	var long []string
	for _, s := range dev.Forms {
		long = append(long, s...)
	}
	const size, context = 16, 8
	sents := [][]string{long[:size+2*context], {}, long[:size+2*context+1], long[:3], long}

	whole := m.Clone()
	SetWindow(whole, len(long), 1)
	want := whole.Tag(sents)
	cut := m.Clone()
	SetWindow(cut, size, context)
	got := cut.Tag(sents)
	if len(got) != len(sents) {
		t.Fatalf("%d taggings of %d sentences", len(got), len(sents))
	}
	for i, s := range sents {
		if len(got[i].UPOS) != len(s) || len(got[i].XPOS) != len(s) {
			t.Fatalf("sentence %d: %d/%d tags for %d words", i, len(got[i].UPOS), len(got[i].XPOS), len(s))
		}
		if len(s) > size+2*context {
			continue
		}
		if !slices.Equal(got[i].UPOS, want[i].UPOS) || !slices.Equal(got[i].XPOS, want[i].XPOS) {
			t.Errorf("sentence %d of %d words (within a window): tags changed", i, len(s))
		}
	}
	for _, i := range []int{2, 4} {
		s := sents[i]
		for lo := 0; lo < len(s); lo += size {
			start, end := max(lo-context, 0), min(lo+size+context, len(s))
			w := whole.Tag([][]string{s[start:end]})[0]
			for k := lo; k < min(lo+size, len(s)); k++ {
				if got[i].UPOS[k] != w.UPOS[k-start] || got[i].XPOS[k] != w.XPOS[k-start] {
					t.Fatalf("sentence %d, word %d: %s/%s, its window [%d,%d) alone gives %s/%s",
						i, k, got[i].UPOS[k], got[i].XPOS[k], start, end, w.UPOS[k-start], w.XPOS[k-start])
				}
			}
		}
	}
	t.Logf("%d words in windows of %d+2×%d: %d UPOS tags differ from the whole sentence's", len(long), size, context, diff(got[4].UPOS, want[4].UPOS))
}

func diff(a, b []string) int {
	n := 0
	for i := range a {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

// TestWindowsPieces checks the windows' bounds: every word kept exactly once,
// with at least the context on each side unless at the sentence's edge.
func TestWindowsPieces(t *testing.T) {
	for _, n := range []int{0, 1, 31, 32, 33, 47, 48, 49, 100, 1000} {
		forms := [][]string{make([]string, n)}
		pieces, pforms := windows(forms, window{size: 16, context: 8})
		next := 0
		for j, p := range pieces {
			if p.start+p.keep != next {
				t.Fatalf("n=%d, piece %d keeps from %d, want %d", n, j, p.start+p.keep, next)
			}
			end := p.start + len(pforms[j])
			if len(pforms[j]) > 32 || (p.keep < 8 && p.start > 0) || (end-(p.start+p.keep+p.n) < 8 && end < n) {
				t.Fatalf("n=%d, piece %d: %+v of %d words", n, j, p, len(pforms[j]))
			}
			next += p.n
		}
		if next != n {
			t.Fatalf("n=%d: %d words kept", n, next)
		}
	}
}

// TestProbabilitiesWindowed checks that a teacher's probabilities (the targets
// of distillation) are read in the windows Tag uses: a sentence that fits a
// window gets the probabilities it gets read whole, each word of a longer one
// those of the window it is kept from, read alone, and the ensemble's buffers
// stay within a batch of windows however long the sentence.
func TestProbabilitiesWindowed(t *testing.T) {
	cfg := tiny
	cfg.Epochs = 1
	train, dev := readData(t, "ewt-train-slice.conllu"), readData(t, "ewt-dev-small.conllu")
	var models []*Model
	for _, seed := range []uint64{3, 4} {
		cfg.Seed = seed
		m, _, err := Train(t.Context(), cfg, train, dev, nil)
		if err != nil {
			t.Fatal(err)
		}
		models = append(models, m)
	}
	var long []string
	for len(long) < 3*predictPadded {
		for _, s := range dev.Forms {
			long = append(long, s...)
		}
	}
	const size, context = 16, 8
	sents := [][]string{long[:size+2*context], long[:3], long[:size+2*context+1], long}
	nu, nx := models[0].upos.len(), models[0].xpos.len()

	whole, err := NewEnsemble(models...)
	if err != nil {
		t.Fatal(err)
	}
	whole.window = window{size: len(long), context: 1}
	cut := whole.Clone()
	cut.window = window{size: size, context: context}
	gotU, gotX := cut.probabilities(sents, models[0].upos, models[0].xpos)
	if max := predictPadded * max(nu, nx); len(cut.sumU) > max || len(cut.sumX) > max {
		t.Errorf("a %d-word sentence in windows of %d words: buffers of %d and %d values, want at most %d (a batch of %d words)",
			len(long), size+2*context, len(cut.sumU), len(cut.sumX), max, predictPadded)
	}
	same := func(what string, got, want []float32) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %d probabilities, want %d", what, len(got), len(want))
		}
		for i := range got {
			if math.Abs(float64(got[i]-want[i])) > 1e-6 {
				t.Fatalf("%s: probability %d (word %d) is %g, read whole %g", what, i, i/nu, got[i], want[i])
			}
		}
	}
	for i, s := range sents[:2] {
		wantU, wantX := whole.probabilities([][]string{s}, models[0].upos, models[0].xpos)
		same(fmt.Sprintf("sentence %d of %d words (within a window), UPOS", i, len(s)), gotU[i], wantU[0])
		same(fmt.Sprintf("sentence %d of %d words (within a window), XPOS", i, len(s)), gotX[i], wantX[0])
	}
	for _, i := range []int{2, 3} {
		s := sents[i]
		for lo := 0; lo < len(s); lo += size {
			start, end := max(lo-context, 0), min(lo+size+context, len(s))
			wu, wx := whole.probabilities([][]string{s[start:end]}, models[0].upos, models[0].xpos)
			hi := min(lo+size, len(s))
			what := fmt.Sprintf("sentence %d, words [%d,%d) of window [%d,%d)", i, lo, hi, start, end)
			same(what+", UPOS", gotU[i][lo*nu:hi*nu], wu[0][(lo-start)*nu:(hi-start)*nu])
			same(what+", XPOS", gotX[i][lo*nx:hi*nx], wx[0][(lo-start)*nx:(hi-start)*nx])
		}
	}
}
