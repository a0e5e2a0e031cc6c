package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
)

// gradSeq is the gradient fed at each step of the optimizer tests, for a 1×2 Param.
var gradSeq = [][]float64{{0.5, -1}, {0.1, 2}, {-0.3, 0}, {1, 1}}

// runSteps applies opt (SGD or Adam) for each gradient of gradSeq to a Param
// starting at theta0 and returns the values after every step.
func runSteps(opt interface{ Step([]*Param) }, theta0 []float64) [][]float64 {
	p := NewParam("p", 1, len(theta0))
	copy(p.Value, theta0)
	var out [][]float64
	for _, g := range gradSeq {
		copy(p.Grad, g)
		opt.Step([]*Param{p})
		p.ZeroGrad()
		out = append(out, slices.Clone(p.Value))
	}
	return out
}

func closeTo(a, b []float64, tol float64) bool {
	for i := range a {
		if math.Abs(a[i]-b[i]) > tol {
			return false
		}
	}
	return len(a) == len(b)
}

func TestSGD(t *testing.T) {
	theta0 := []float64{1, -2}
	t.Run("plain", func(t *testing.T) {
		got := runSteps(&SGD{LR: 0.1}, theta0)
		// θ ← θ − 0.1·g, step by step by hand.
		want := [][]float64{
			{1 - 0.05, -2 + 0.1},
			{0.95 - 0.01, -1.9 - 0.2},
			{0.94 + 0.03, -2.1},
			{0.97 - 0.1, -2.1 - 0.1},
		}
		for i := range want {
			if !closeTo(got[i], want[i], 1e-15) {
				t.Errorf("step %d: %v, want %v", i+1, got[i], want[i])
			}
		}
	})
	t.Run("momentum", func(t *testing.T) {
		got := runSteps(&SGD{LR: 0.1, Momentum: 0.9}, theta0)
		// v ← 0.9v + g; θ ← θ − 0.1v, by hand:
		// v1 = (0.5, −1)        θ1 = (0.95, −1.9)
		// v2 = (0.55, 1.1)      θ2 = (0.895, −2.01)
		// v3 = (0.195, 0.99)    θ3 = (0.8755, −2.109)
		// v4 = (1.1755, 1.891)  θ4 = (0.75795, −2.2981)
		want := [][]float64{{0.95, -1.9}, {0.895, -2.01}, {0.8755, -2.109}, {0.75795, -2.2981}}
		for i := range want {
			if !closeTo(got[i], want[i], 1e-12) {
				t.Errorf("step %d: %v, want %v", i+1, got[i], want[i])
			}
		}
	})
}

// adamReference is Adam written out from Kingma & Ba's Algorithm 1, kept
// deliberately plain (bias-corrected moments, no folding of constants).
func adamReference(theta0 []float64, lr, b1, b2, eps, wd float64, decoupled bool) [][]float64 {
	theta := slices.Clone(theta0)
	m := make([]float64, len(theta))
	v := make([]float64, len(theta))
	var out [][]float64
	for t, g0 := range gradSeq {
		step := float64(t + 1)
		for i := range theta {
			g := g0[i]
			if decoupled {
				theta[i] -= lr * wd * theta[i]
			} else {
				g += wd * theta[i]
			}
			m[i] = b1*m[i] + (1-b1)*g
			v[i] = b2*v[i] + (1-b2)*g*g
			mHat := m[i] / (1 - math.Pow(b1, step))
			vHat := v[i] / (1 - math.Pow(b2, step))
			theta[i] -= lr * mHat / (math.Sqrt(vHat) + eps)
		}
		out = append(out, slices.Clone(theta))
	}
	return out
}

func TestAdam(t *testing.T) {
	theta0 := []float64{1, -2}
	for _, tc := range []struct {
		name      string
		lr, b1    float64
		b2, eps   float64
		wd        float64
		decoupled bool
	}{
		{"defaults", 0.01, 0.9, 0.999, 1e-8, 0, false},
		{"large eps", 0.1, 0.8, 0.99, 0.5, 0, false},
		{"L2 weight decay", 0.01, 0.9, 0.999, 1e-8, 0.1, false},
		{"decoupled weight decay", 0.01, 0.9, 0.999, 1e-8, 0.1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := NewAdam(tc.lr)
			opt.Beta1, opt.Beta2, opt.Eps, opt.WeightDecay, opt.Decoupled = tc.b1, tc.b2, tc.eps, tc.wd, tc.decoupled
			got := runSteps(opt, theta0)
			want := adamReference(theta0, tc.lr, tc.b1, tc.b2, tc.eps, tc.wd, tc.decoupled)
			for i := range want {
				if !closeTo(got[i], want[i], 1e-14) {
					t.Errorf("step %d: %v, want %v", i+1, got[i], want[i])
				}
			}
			if opt.Steps() != len(gradSeq) {
				t.Errorf("Steps() = %d", opt.Steps())
			}
		})
	}
}

// TestAdamFirstStepByHand pins one number: on its first step Adam moves each
// coordinate by lr·g/(|g|+ε'), about lr against the sign of g.
func TestAdamFirstStepByHand(t *testing.T) {
	p := NewParam("p", 1, 1)
	p.Value[0] = 3
	p.Grad[0] = 0.25
	NewAdam(0.5).Step([]*Param{p})
	// m̂ = 0.25, v̂ = 0.0625, θ = 3 − 0.5·0.25/(0.25 + 1e-8).
	if want := 3 - 0.5*0.25/(0.25+1e-8); math.Abs(p.Value[0]-want) > 1e-15 {
		t.Errorf("θ = %.17g, want %.17g", p.Value[0], want)
	}
}

// TestAdamSparseLazy checks that on a sparse Param only touched rows move, and
// that a touched row follows the dense Adam formulas with the global step count.
func TestAdamSparseLazy(t *testing.T) {
	p := NewParam("emb", 3, 2)
	p.Sparse = true
	copy(p.Value, []float64{1, 1, 2, 2, 3, 3})
	opt := NewAdam(0.1)
	opt.WeightDecay = 0.5 // lazy too: untouched rows must not decay
	// Step 1 touches row 0, step 2 touches row 2; row 1 is never used.
	copy(p.GradRow(0), []float64{1, -1})
	opt.Step([]*Param{p})
	p.ZeroGrad()
	row0 := slices.Clone(p.Row(0))
	copy(p.GradRow(2), []float64{0.5, 0.5})
	opt.Step([]*Param{p})
	p.ZeroGrad()

	if !slices.Equal(p.Row(1), []float64{2, 2}) {
		t.Errorf("untouched row moved: %v", p.Row(1))
	}
	if !slices.Equal(p.Row(0), row0) {
		t.Errorf("row 0 moved in a step that did not use it: %v, was %v", p.Row(0), row0)
	}
	// Row 2's first update happens at global step t = 2, from zero moments.
	g := 0.5 + 0.5*3.0
	m := 0.1 * g
	v := 0.001 * g * g
	want := 3 - 0.1*(m/(1-0.81))/(math.Sqrt(v/(1-0.999*0.999))+1e-8)
	if math.Abs(p.Row(2)[0]-want) > 1e-14 {
		t.Errorf("row 2 = %v, want %v", p.Row(2), want)
	}
}

func TestSGDSparse(t *testing.T) {
	p := NewParam("emb", 2, 2)
	p.Sparse = true
	copy(p.GradRow(1), []float64{1, 2})
	(&SGD{LR: 1}).Step([]*Param{p})
	if !slices.Equal(p.Value, []float64{0, 0, -1, -2}) {
		t.Errorf("values %v", p.Value)
	}
}

func ExampleAdam() {
	// Minimise (θ − 3)² from θ = 0.
	p := NewParam("theta", 1, 1)
	opt := NewAdam(0.1)
	params := []*Param{p}
	for range 500 {
		ZeroGrad(params)
		p.Grad[0] = 2 * (p.Value[0] - 3)
		ClipGradNorm(params, 1)
		opt.Step(params)
	}
	fmt.Printf("θ = %.3f after %d steps\n", p.Value[0], opt.Steps())
	// Output:
	// θ = 3.000 after 500 steps
}

// BenchmarkAdam is one step over the parameters of a BiLSTM tagger-sized model:
// dense weights plus a sparse embedding table of which 800 rows were used.
func BenchmarkAdam(b *testing.B) {
	for _, s := range []struct{ dense, vocab, used int }{{100_000, 0, 0}, {400_000, 20_000, 800}} {
		b.Run(fmt.Sprintf("dense=%d/vocab=%d/used=%d", s.dense, s.vocab, s.used), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			w := NewParam("w", 1, s.dense)
			copy(w.Grad, normals(rng, s.dense))
			params := []*Param{w}
			if s.vocab > 0 {
				e := NewParam("emb", s.vocab, 100)
				e.Sparse = true
				for range s.used {
					e.GradRow(rng.IntN(s.vocab))[0] = 1
				}
				params = append(params, e)
			}
			opt := NewAdam(1e-3)
			opt.Step(params) // allocates the moments
			b.ReportAllocs()
			for b.Loop() {
				opt.Step(params)
			}
		})
	}
}

func BenchmarkClipGradNorm(b *testing.B) {
	w := NewParam("w", 1, 400_000)
	copy(w.Grad, normals(rand.New(rand.NewPCG(1, 1)), len(w.Grad)))
	params := []*Param{w}
	b.ReportAllocs()
	for b.Loop() {
		ClipGradNorm(params, 1e9)
	}
}

// TestAdamStateRoundTrip checkpoints Adam mid-training through a model file and
// checks that the restored optimizer takes exactly the same next step.
func TestAdamStateRoundTrip(t *testing.T) {
	mk := func() *Param {
		p := NewParam("w", 2, 3)
		for i := range p.Value {
			p.Value[i] = float64(i) / 7
		}
		return p
	}
	grads := func(p *Param, k int) {
		for i := range p.Grad {
			p.Grad[i] = float64((i+k)%5) - 2
		}
	}
	p, a := mk(), NewAdam(0.1)
	for k := 0; k < 3; k++ {
		grads(p, k)
		a.Step([]*Param{p})
	}
	path := filepath.Join(t.TempDir(), "ckpt")
	if err := Save(path, append([]*Param{p}, a.StateParams([]*Param{p})...), nil); err != nil {
		t.Fatal(err)
	}
	q, b := mk(), NewAdam(0.1)
	if _, err := Load(path, append([]*Param{q}, b.StateParams([]*Param{q})...)); err != nil {
		t.Fatal(err)
	}
	b.SetSteps(a.Steps())
	grads(p, 3)
	grads(q, 3)
	a.Step([]*Param{p})
	b.Step([]*Param{q})
	for i := range p.Value {
		if p.Value[i] != q.Value[i] {
			t.Fatalf("value %d after resume: %g, want %g", i, q.Value[i], p.Value[i])
		}
	}
}
