package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSoftmaxCrossEntropyGradient checks dLogits against finite differences of
// the returned loss, on batches with padding rows, and that padding rows get no
// gradient and do not count in the mean.
func TestSoftmaxCrossEntropyGradient(t *testing.T) {
	for _, tc := range []struct {
		name    string
		classes int
		targets []int
	}{
		{"no padding", 4, []int{0, 3, 1}},
		{"padding rows", 5, []int{2, IgnoreIndex, 4, IgnoreIndex, 0}},
		{"one class", 1, []int{0, IgnoreIndex}},
		{"single row", 3, []int{1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(9, 9))
			logits := normals(rng, len(tc.targets)*tc.classes)
			d := make([]float64, len(logits))
			_, n := SoftmaxCrossEntropy(d, logits, tc.classes, tc.targets)
			fdCompare(t, "dLogits", logits, d, func() float64 {
				l, _ := SoftmaxCrossEntropy(nil, logits, tc.classes, tc.targets)
				return l
			})
			real := 0
			for i, tg := range tc.targets {
				row := d[i*tc.classes : (i+1)*tc.classes]
				if tg == IgnoreIndex {
					if slices.ContainsFunc(row, func(v float64) bool { return v != 0 }) {
						t.Errorf("padding row %d has gradient %v", i, row)
					}
					continue
				}
				real++
			}
			if n != real {
				t.Errorf("n = %d, want %d", n, real)
			}
		})
	}
}

// TestSoftCrossEntropy checks the gradient against finite differences, with
// padding rows (all-zero targets) that get none and do not count, and that a
// one-hot target gives SoftmaxCrossEntropy's loss and gradient.
func TestSoftCrossEntropy(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	const classes = 5
	targets := []float64{
		0.1, 0.6, 0, 0.3, 0, // a teacher's distribution
		0, 0, 0, 0, 0, // padding
		0, 0, 0, 1, 0, // one-hot
		0.25, 0.25, 0.5, 0, 0,
	}
	logits := normals(rng, len(targets))
	d := make([]float64, len(logits))
	_, n := SoftCrossEntropy(d, logits, classes, targets)
	if n != 3 {
		t.Errorf("n = %d, want 3", n)
	}
	fdCompare(t, "dLogits", logits, d, func() float64 {
		l, _ := SoftCrossEntropy(nil, logits, classes, targets)
		return l
	})
	if slices.ContainsFunc(d[classes:2*classes], func(v float64) bool { return v != 0 }) {
		t.Errorf("padding row has gradient %v", d[classes:2*classes])
	}

	hard := []int{3, IgnoreIndex}
	oneHot := []float64{0, 0, 0, 1, 0, 0, 0, 0, 0, 0}
	x := logits[:2*classes]
	dh, ds := make([]float64, len(x)), make([]float64, len(x))
	lh, _ := SoftmaxCrossEntropy(dh, x, classes, hard)
	ls, _ := SoftCrossEntropy(ds, x, classes, oneHot)
	if math.Abs(lh-ls) > 1e-12 {
		t.Errorf("one-hot loss %v, SoftmaxCrossEntropy %v", ls, lh)
	}
	for i := range dh {
		if math.Abs(dh[i]-ds[i]) > 1e-12 {
			t.Fatalf("one-hot gradient %v, SoftmaxCrossEntropy %v", ds, dh)
		}
	}
}

// TestSoftmaxCrossEntropyValue compares the loss with −mean log p computed the
// naive way, and checks that padding rows do not change it.
func TestSoftmaxCrossEntropyValue(t *testing.T) {
	logits := []float64{1, 2, 3, 0, 0, 0, 50, -50, 7}
	targets := []int{2, IgnoreIndex, 0}
	naive := func(row []float64, t int) float64 {
		s := 0.0
		for _, v := range row {
			s += math.Exp(v)
		}
		return -math.Log(math.Exp(row[t]) / s)
	}
	want := (naive(logits[0:3], 2) + naive(logits[6:9], 0)) / 2
	got, n := SoftmaxCrossEntropy(nil, logits, 3, targets)
	if n != 2 || math.Abs(got-want) > 1e-12 {
		t.Errorf("loss %v (n=%d), want %v (n=2)", got, n, want)
	}
	// The ignored row's logits do not matter.
	logits[3], logits[4] = 1e300, math.NaN()
	if got2, _ := SoftmaxCrossEntropy(nil, logits, 3, targets); got2 != got {
		t.Errorf("loss changed with an ignored row: %v, was %v", got2, got)
	}
}

func TestSoftmaxCrossEntropyStable(t *testing.T) {
	for _, tc := range []struct {
		name   string
		logits []float64
		target int
		want   float64
	}{
		{"large positive", []float64{1000, 1000}, 0, math.Ln2},
		{"large negative", []float64{-1000, -1000, -1000, -1000}, 3, math.Log(4)},
		{"dominant wrong class", []float64{0, 800}, 0, 800},
		{"dominant right class", []float64{800, 0}, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := make([]float64, len(tc.logits))
			got, _ := SoftmaxCrossEntropy(d, tc.logits, len(tc.logits), []int{tc.target})
			if math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("loss %v, want %v", got, tc.want)
			}
			for _, v := range d {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Errorf("gradient %v", d)
				}
			}
		})
	}
}

func TestSoftmaxCrossEntropyAllIgnored(t *testing.T) {
	d := []float64{5, 5, 5, 5}
	loss, n := SoftmaxCrossEntropy(d, []float64{1, 2, 3, 4}, 2, []int{IgnoreIndex, IgnoreIndex})
	if loss != 0 || n != 0 || !slices.Equal(d, []float64{0, 0, 0, 0}) {
		t.Errorf("loss %v n %d dLogits %v", loss, n, d)
	}
}

func TestSoftmaxCrossEntropyInPlace(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 3))
	logits := normals(rng, 12)
	targets := []int{1, IgnoreIndex, 3}
	d := make([]float64, len(logits))
	want, _ := SoftmaxCrossEntropy(d, logits, 4, targets)
	got, _ := SoftmaxCrossEntropy(logits, logits, 4, targets)
	if got != want || !slices.Equal(logits, d) {
		t.Errorf("in place: loss %v, want %v; gradient %v, want %v", got, want, logits, d)
	}
}

func TestSoftmax(t *testing.T) {
	logits := []float64{0, math.Log(3), 1000, 1000, -5, -5}
	p := make([]float64, len(logits))
	Softmax(p, logits, 2)
	want := []float64{0.25, 0.75, 0.5, 0.5, 0.5, 0.5}
	for i := range p {
		if math.Abs(p[i]-want[i]) > 1e-15 {
			t.Fatalf("Softmax = %v, want %v", p, want)
		}
	}
	lp := make([]float64, len(logits))
	LogSoftmax(lp, logits, 2)
	for i := range lp {
		if math.Abs(lp[i]-math.Log(want[i])) > 1e-12 {
			t.Fatalf("LogSoftmax = %v, want log of %v", lp, want)
		}
	}
	am := make([]int, 3)
	Argmax(am, logits, 2)
	if !slices.Equal(am, []int{1, 0, 0}) {
		t.Errorf("Argmax = %v", am)
	}
}

func TestSoftmaxCrossEntropyPanics(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"target out of range", func() { SoftmaxCrossEntropy(nil, make([]float64, 4), 2, []int{0, 2}) }},
		{"negative target", func() { SoftmaxCrossEntropy(nil, make([]float64, 4), 2, []int{0, -2}) }},
		{"target count", func() { SoftmaxCrossEntropy(nil, make([]float64, 4), 2, []int{0}) }},
		{"ragged logits", func() { SoftmaxCrossEntropy(nil, make([]float64, 5), 2, []int{0, 0}) }},
		{"short dLogits", func() { SoftmaxCrossEntropy(make([]float64, 2), make([]float64, 4), 2, []int{0, 0}) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tc.f()
		})
	}
}

func ExampleSoftmaxCrossEntropy() {
	// Two sequences of two steps, time-major; the second sequence has one real step.
	logits := []float64{
		2, 0, // t=0 seq 0
		0, 0, // t=0 seq 1
		0, 2, // t=1 seq 0
		9, 9, // t=1 seq 1: padding
	}
	targets := []int{0, 1, 1, IgnoreIndex}
	dLogits := make([]float64, len(logits))
	loss, n := SoftmaxCrossEntropy(dLogits, logits, 2, targets)
	fmt.Printf("loss %.4f over %d rows\n", loss, n)
	fmt.Printf("%.4f\n", dLogits)

	probs := make([]float64, 2)
	Softmax(probs, logits[:2], 2)
	fmt.Printf("%.4f\n", probs)
	// Output:
	// loss 0.3157 over 3 rows
	// [-0.0397 0.0397 0.1667 -0.1667 0.0397 -0.0397 0.0000 0.0000]
	// [0.8808 0.1192]
}

func BenchmarkSoftmaxCrossEntropy(b *testing.B) {
	for _, s := range []struct{ n, classes int }{{800, 17}, {32, 5}} {
		b.Run(fmt.Sprintf("N=%d/C=%d", s.n, s.classes), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			logits := normals(rng, s.n*s.classes)
			targets := make([]int, s.n)
			for i := range targets {
				targets[i] = rng.IntN(s.classes)
			}
			d := make([]float64, len(logits))
			b.ReportAllocs()
			for b.Loop() {
				SoftmaxCrossEntropy(d, logits, s.classes, targets)
			}
		})
	}
}
