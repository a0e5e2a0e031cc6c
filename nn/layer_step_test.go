package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestLayerStepMatchesForward checks that a stepwise pass (Begin, Step…,
// BeginBackward, BackStep…, EndBackward) gives bit for bit the outputs, final
// state, input, initial-state and parameter gradients of Forward and Backward,
// for every cell, on a ragged batch with an empty sequence and an initial state,
// with and without the kernel and PackWeights.
//
// The batch has 4 sequences so that the per-step products go through the same
// 4-row kernel blocks as the all-steps ones: fewer rows take kernel1x8, which
// sums in another order. In is 9 and GH ≥ 8 so that the kernel takes every product.
func TestLayerStepMatchesForward(t *testing.T) {
	for _, k := range kernelModes() {
		for _, packed := range []bool{false, true} {
			for _, name := range CellNames() {
				t.Run(fmt.Sprintf("kernel=%v/packed=%v/%s", k, packed, name), func(t *testing.T) {
					withKernel(k, func() { testLayerStepMatchesForward(t, name, packed) })
				})
			}
		}
	}
}

func testLayerStepMatchesForward(t *testing.T, name string, packed bool) {
	const in, H = 9, 5
	rng := rand.New(rand.NewPCG(5, 8))
	cell, _ := NewCell(name)
	bt := Batch{Steps: 5, Lengths: []int{5, 2, 0, 4}}
	B, T := bt.B(), bt.Steps
	mk := func() *Layer {
		l := NewLayer(cell, in, H, false, "l", rand.New(rand.NewPCG(1, 2)))
		if packed {
			l.PackWeights()
		}
		return l
	}
	whole, stepped := mk(), mk()
	x := randomSlice(rng, bt.Rows()*in)
	dy := randomSlice(rng, bt.Rows()*H)
	init := &State{H: randomSlice(rng, B*H)}
	dFinal := &State{H: randomSlice(rng, B*H)}
	if cell.Memory() {
		init.C, dFinal.C = randomSlice(rng, B*H), randomSlice(rng, B*H)
	}

	y1 := make([]float64, bt.Rows()*H)
	dx1 := make([]float64, len(x))
	whole.Forward(y1, H, x, in, bt, init)
	fin1 := whole.Final()
	whole.Backward(dx1, in, dy, H, dFinal)

	// The stepwise pass, run twice: the second reuses the workspace and must
	// neither allocate nor differ.
	y2 := make([]float64, bt.Rows()*H)
	dx2 := make([]float64, len(x))
	params := stepped.Params()
	pass := func() {
		clear(dx2)
		for _, p := range params {
			p.ZeroGrad()
		}
		stepped.Begin(bt, init)
		for tt := 0; tt < T; tt++ {
			stepped.Step(tt, y2[tt*B*H:(tt+1)*B*H], x[tt*B*in:(tt+1)*B*in])
		}
		stepped.BeginBackward(dFinal)
		for tt := T - 1; tt >= 0; tt-- {
			stepped.BackStep(tt, dx2[tt*B*in:(tt+1)*B*in], dy[tt*B*H:(tt+1)*B*H])
		}
		stepped.EndBackward()
	}
	pass()
	if n := testing.AllocsPerRun(3, pass); n != 0 {
		t.Errorf("stepwise pass allocates %v times in steady state", n)
	}

	same := func(what string, a, b []float64) {
		t.Helper()
		if len(a) != len(b) {
			t.Fatalf("%s: %d values, want %d", what, len(b), len(a))
		}
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("%s[%d]: stepwise %.17g, Forward/Backward %.17g", what, i, b[i], a[i])
			}
		}
	}
	same("y", y1, y2)
	cur := stepped.Current()
	same("final h", fin1.H, cur.H)
	same("final c", fin1.C, cur.C)
	same("dx", dx1, dx2)
	for i, p := range whole.Params() {
		same("grad "+p.Name, p.Grad, stepped.Params()[i].Grad)
	}
	g1, g2 := whole.InitialGrad(), stepped.InitialGrad()
	same("dh0", g1.H, g2.H)
	same("dc0", g1.C, g2.C)
}

// TestLayerStepInputFeeding checks the interleaved backward pass by finite
// differences on a decoder with input feeding: the input of step t+1 is
// x_{t+1} = [e_{t+1}; tanh(h_t M)] for a fixed M (and h_{−1} the initial h), so
// dL/dh_t gathers what BackStep(t+1) leaves in dx_{t+1} before BackStep(t) runs.
// The loss weighs every output and the final state.
func TestLayerStepInputFeeding(t *testing.T) {
	for _, k := range kernelModes() {
		for _, name := range CellNames() {
			t.Run(fmt.Sprintf("kernel=%v/%s", k, name), func(t *testing.T) {
				withKernel(k, func() { testLayerStepInputFeeding(t, name) })
			})
		}
	}
}

func testLayerStepInputFeeding(t *testing.T, name string) {
	const E, F, H = 2, 3, 4 // embedding part, fed-back part, hidden
	const in = E + F
	rng := rand.New(rand.NewPCG(9, 4))
	cell, _ := NewCell(name)
	l := NewLayer(cell, in, H, false, "dec", rng)
	bt := Batch{Steps: 4, Lengths: []int{4, 0, 2, 3, 1}}
	B, T := bt.B(), bt.Steps
	e := randomSlice(rng, bt.Rows()*E)
	M := randomSlice(rng, H*F)
	init := &State{H: randomSlice(rng, B*H)}
	if cell.Memory() {
		init.C = randomSlice(rng, B*H)
	}
	wy := randomSlice(rng, bt.Rows()*H)
	wh, wc := randomSlice(rng, B*H), randomSlice(rng, B*H)

	y := make([]float64, bt.Rows()*H)
	x := make([]float64, bt.Rows()*in)
	z := make([]float64, bt.Rows()*F) // z_t = tanh(h_{t−1} M), the fed-back part of x_t
	// feed sets z_t and x_t from h_{t−1} (B×H).
	feed := func(tt int, hPrev []float64) {
		zt := z[tt*B*F : (tt+1)*B*F]
		gemm(false, false, B, F, H, 1, hPrev, H, M, F, 0, zt, F)
		for b := 0; b < B; b++ {
			r := x[(tt*B+b)*in : (tt*B+b+1)*in]
			copy(r[:E], e[(tt*B+b)*E:(tt*B+b+1)*E])
			for k := range F {
				zt[b*F+k] = math.Tanh(zt[b*F+k])
				r[E+k] = zt[b*F+k]
			}
		}
	}
	loss := func() float64 {
		l.Begin(bt, init)
		for tt := 0; tt < T; tt++ {
			if tt == 0 {
				feed(0, init.H)
			} else {
				feed(tt, y[(tt-1)*B*H:tt*B*H])
			}
			l.Step(tt, y[tt*B*H:(tt+1)*B*H], x[tt*B*in:(tt+1)*B*in])
		}
		s := 0.0
		for i := range y {
			s += y[i] * wy[i]
		}
		fin := l.Current()
		for i := range fin.H {
			s += fin.H[i] * wh[i]
			if fin.C != nil {
				s += fin.C[i] * wc[i]
			}
		}
		return s
	}

	loss()
	for _, p := range l.Params() {
		p.ZeroGrad()
	}
	de := make([]float64, len(e))
	dM := make([]float64, len(M))
	dh0 := make([]float64, B*H)
	dxt := make([]float64, B*in)
	dyt := make([]float64, B*H)
	dz := make([]float64, B*F)
	// route turns dx_t's fed-back part into dL/dh_{t−1}, added to dhPrev, and dL/dM.
	route := func(tt int, hPrev, dhPrev []float64) {
		zt := z[tt*B*F : (tt+1)*B*F]
		for b := 0; b < B; b++ {
			copy(de[(tt*B+b)*E:(tt*B+b+1)*E], dxt[b*in:b*in+E])
			for k := range F {
				v := zt[b*F+k]
				dz[b*F+k] = dxt[b*in+E+k] * (1 - v*v)
			}
		}
		gemm(false, true, B, H, F, 1, dz, F, M, F, 1, dhPrev, H)
		gemm(true, false, H, F, B, 1, hPrev, H, dz, F, 1, dM, F)
	}
	dFinal := &State{H: wh}
	if cell.Memory() {
		dFinal.C = wc
	}
	l.BeginBackward(dFinal)
	copy(dyt, wy[(T-1)*B*H:])
	for tt := T - 1; tt >= 0; tt-- {
		clear(dxt)
		l.BackStep(tt, dxt, dyt)
		if tt > 0 {
			copy(dyt, wy[(tt-1)*B*H:tt*B*H])
			route(tt, y[(tt-1)*B*H:tt*B*H], dyt)
		} else {
			route(0, init.H, dh0)
		}
	}
	l.EndBackward()
	ig := l.InitialGrad()
	for i, v := range ig.H {
		dh0[i] += v
	}
	dc0 := append([]float64(nil), ig.C...)
	grads := make([][]float64, 0, 5)
	for _, p := range l.Params() {
		grads = append(grads, append([]float64(nil), p.Grad...))
	}

	checkGradient(t, "e", e, de, loss)
	checkGradient(t, "M", M, dM, loss)
	checkGradient(t, "h0", init.H, dh0, loss)
	if cell.Memory() {
		checkGradient(t, "c0", init.C, dc0, loss)
	}
	for i, p := range l.Params() {
		checkGradient(t, p.Name, p.Value, grads[i], loss)
	}
}

// mustPanic fails the test unless f panics.
func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s: no panic", what)
		}
	}()
	f()
}

// TestLayerStepMisuse checks that the stepwise methods panic when called out of
// order or on a reverse layer.
func TestLayerStepMisuse(t *testing.T) {
	cell, _ := NewCell("lstm")
	rng := rand.New(rand.NewPCG(1, 1))
	const in, H = 2, 3
	bt := Batch{Steps: 3, Lengths: []int{3, 1}}
	B := bt.B()
	x, y, dx := make([]float64, B*in), make([]float64, B*H), make([]float64, B*in)
	fresh := func() *Layer { return NewLayer(cell, in, H, false, "l", rng) }
	begun := func(steps int) *Layer {
		l := fresh()
		l.Begin(bt, nil)
		for tt := 0; tt < steps; tt++ {
			l.Step(tt, y, x)
		}
		return l
	}

	mustPanic(t, "Step without Begin", func() { fresh().Step(0, y, x) })
	mustPanic(t, "Step out of order", func() { begun(0).Step(1, y, x) })
	mustPanic(t, "Step repeated", func() { begun(1).Step(0, y, x) })
	mustPanic(t, "Step past the end", func() { begun(3).Step(3, y, x) })
	mustPanic(t, "Step with short x", func() { begun(0).Step(0, y, x[:1]) })
	mustPanic(t, "BackStep before BeginBackward", func() { begun(3).BackStep(2, dx, y) })
	mustPanic(t, "BeginBackward before the last Step", func() { begun(2).BeginBackward(nil) })
	mustPanic(t, "BackStep out of order", func() {
		l := begun(3)
		l.BeginBackward(nil)
		l.BackStep(1, dx, y)
	})
	mustPanic(t, "EndBackward before the first step", func() {
		l := begun(3)
		l.BeginBackward(nil)
		l.BackStep(2, dx, y)
		l.EndBackward()
	})
	mustPanic(t, "Step after a new Forward", func() {
		l := begun(1)
		l.Forward(nil, H, make([]float64, bt.Rows()*in), in, bt, nil)
		l.Step(1, y, x)
	})
	rev := NewLayer(cell, in, H, true, "r", rng)
	mustPanic(t, "Begin on a reverse layer", func() { rev.Begin(bt, nil) })
	mustPanic(t, "BeginBackward on a reverse layer", func() {
		rev.Forward(nil, H, make([]float64, bt.Rows()*in), in, bt, nil)
		rev.BeginBackward(nil)
	})

	// Correct use, including an empty pass, does not panic.
	l := begun(3)
	l.BeginBackward(nil)
	for tt := 2; tt >= 0; tt-- {
		l.BackStep(tt, dx, nil)
	}
	l.EndBackward()
	l.Begin(Batch{Steps: 0, Lengths: []int{0, 0}}, nil)
	l.BeginBackward(nil)
	l.EndBackward()
}
