package classify

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nlp-go/nlp/nn"
)

// lossOf runs the model (dropout off) and returns the mean cross-entropy.
func lossOf(m *Model, seqs [][]int, idx, targets []int) float64 {
	m.forward(seqs, idx)
	loss, _ := nn.SoftmaxCrossEntropy(nil, m.logits, len(m.Labels), targets)
	return loss
}

// TestGradients checks every parameter's gradient, through both poolings and
// both directions, against central finite differences of the loss.
func TestGradients(t *testing.T) {
	for _, tc := range []struct {
		cell string
		bi   bool
		pool string
	}{
		{"lstm", false, PoolLast},
		{"lstm", false, PoolMax},
		{"lstm", true, PoolMax},
		{"gru", true, PoolLast},
		{"rnn", false, PoolMax},
	} {
		t.Run(fmt.Sprintf("%s-bi=%v-%s", tc.cell, tc.bi, tc.pool), func(t *testing.T) {
			cfg := Config{Cell: tc.cell, Hidden: 3, Bidirectional: tc.bi, Pool: tc.pool, Dim: 4, EmbedDropout: -1, Dropout: -1}.WithDefaults()
			words := []string{Unknown, "a", "b", "c", "d", "e"}
			rng := rand.New(rand.NewPCG(7, 8))
			m, err := newModel(cfg, words, []string{"x", "y", "z"}, 4, rng)
			if err != nil {
				t.Fatal(err)
			}
			m.setTraining(true) // dropout is 0: training mode must not change the function
			seqs := [][]int{{1, 2, 3, 4}, {5}, {2, 2, 0}, {3, 1}}
			idx := []int{0, 1, 2, 3}
			targets := []int{0, 2, 1, 1}
			params := m.Params()
			nn.ZeroGrad(params)
			m.forward(seqs, idx)
			m.backward(targets)
			const h = 1e-6
			for _, p := range params {
				grad := make([]float64, len(p.Grad))
				copy(grad, p.Grad)
				if p.Sparse {
					// Only touched rows carry gradient; the others must stay zero.
					grad = make([]float64, len(p.Value))
					for _, r := range p.TouchedRows() {
						copy(grad[r*p.Cols:(r+1)*p.Cols], p.GradRow(r))
					}
				}
				for i := range p.Value {
					v := p.Value[i]
					p.Value[i] = v + h
					up := lossOf(m, seqs, idx, targets)
					p.Value[i] = v - h
					down := lossOf(m, seqs, idx, targets)
					p.Value[i] = v
					fd := (up - down) / (2 * h)
					if math.Abs(fd-grad[i]) > 1e-6*math.Max(1, math.Abs(fd)) {
						t.Fatalf("%s[%d]: gradient %.9g, finite difference %.9g", p.Name, i, grad[i], fd)
					}
				}
			}
		})
	}
}

func TestMaxPool(t *testing.T) {
	// B=2, T=3, O=2; sequence 1 has length 1, so its padding rows must not count.
	y := []float64{
		1, 5 /* t0 b0 */, -3, -4, /* t0 b1 */
		2, 0 /* t1 b0 */, 9, 9, /* t1 b1 (padding) */
		-1, 7 /* t2 b0 */, 9, 9, /* t2 b1 (padding) */
	}
	bt := nn.Batch{Steps: 3, Lengths: []int{3, 1}}
	dst := make([]float64, 4)
	arg := make([]int32, 4)
	maxPool(dst, arg, y, bt, 2)
	if want := []float64{2, 7, -3, -4}; fmt.Sprint(dst) != fmt.Sprint(want) {
		t.Fatalf("pooled %v, want %v", dst, want)
	}
	dy := make([]float64, len(y))
	maxPoolBackward(dy, []float64{1, 2, 3, 4}, arg, bt, 2)
	if want := []float64{0, 0, 3, 4, 1, 0, 0, 0, 0, 2, 0, 0}; fmt.Sprint(dy) != fmt.Sprint(want) {
		t.Fatalf("routed %v, want %v", dy, want)
	}
}

func TestTruncate(t *testing.T) {
	toks := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}
	for _, tc := range []struct {
		max  int
		want string
	}{
		{0, "[a b c d e f g h i j]"},
		{10, "[a b c d e f g h i j]"},
		{8, "[a b e f g h i j]"},
		{4, "[a h i j]"},
		{2, "[i j]"},
	} {
		if got := fmt.Sprint(truncate(toks, tc.max)); got != tc.want {
			t.Errorf("truncate(%d) = %s, want %s", tc.max, got, tc.want)
		}
	}
}

func TestSortLabels(t *testing.T) {
	for _, tc := range []struct{ in, want []string }{
		{[]string{"10", "2", "0", "1"}, []string{"0", "1", "2", "10"}},
		{[]string{"pos", "neg", "neutral"}, []string{"neg", "neutral", "pos"}},
		{[]string{"1", "x", "0"}, []string{"0", "1", "x"}},
		{[]string{"-1", "1"}, []string{"-1", "1"}},
	} {
		got := append([]string(nil), tc.in...)
		sortLabels(got)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("sortLabels(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestScore(t *testing.T) {
	gold := []int{0, 0, 0, 1, 1, 2}
	pred := []int{0, 0, 1, 1, 2, 2}
	ev := score([]string{"a", "b", "c"}, gold, pred)
	if ev.Examples != 6 || math.Abs(ev.Accuracy-4.0/6) > 1e-12 {
		t.Fatalf("examples %d accuracy %v", ev.Examples, ev.Accuracy)
	}
	// a: P 1, R 2/3, F1 0.8; b: P 1/2, R 1/2, F1 1/2; c: P 1/2, R 1, F1 2/3.
	wantF1 := []float64{0.8, 0.5, 2.0 / 3}
	for c, s := range ev.PerClass {
		if math.Abs(s.F1-wantF1[c]) > 1e-12 {
			t.Errorf("class %s F1 %v, want %v", s.Label, s.F1, wantF1[c])
		}
	}
	if math.Abs(ev.MacroF1-(0.8+0.5+2.0/3)/3) > 1e-12 {
		t.Errorf("macro F1 %v", ev.MacroF1)
	}
	if fmt.Sprint(ev.Confusion) != "[[2 1 0] [0 1 1] [0 0 1]]" {
		t.Errorf("confusion %v", ev.Confusion)
	}
}
