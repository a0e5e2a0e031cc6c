package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
)

// checkGradient compares an analytic gradient with central finite differences of
// loss with respect to values (which loss reads in place).
func checkGradient(t *testing.T, what string, values, analytic []float64, loss func() float64) {
	t.Helper()
	orig := append([]float64(nil), values...)
	f := func(v []float64) float64 {
		copy(values, v)
		return loss()
	}
	numeric := fd.Gradient(nil, f, append([]float64(nil), orig...), &fd.Settings{Formula: fd.Central, Step: 1e-6})
	copy(values, orig)
	for i := range numeric {
		diff := math.Abs(numeric[i] - analytic[i])
		if diff > 1e-7+1e-5*math.Abs(numeric[i]) {
			t.Fatalf("%s[%d]: analytic %.10g, finite difference %.10g", what, i, analytic[i], numeric[i])
		}
	}
}

func randomSlice(rng *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	return v
}

// TestLayerGradients checks every cell, in both directions, on a ragged batch
// (including an empty sequence) with a non-zero initial state and a loss on the
// outputs, the final h and the final c.
func TestLayerGradients(t *testing.T) {
	for _, k := range kernelModes() {
		withKernel(k, func() { testLayerGradients(t, fmt.Sprintf("kernel=%v/", k)) })
	}
}

func testLayerGradients(t *testing.T, prefix string) {
	for _, name := range CellNames() {
		for _, reverse := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s%s/reverse=%v", prefix, name, reverse), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(7, 11))
				cell, _ := NewCell(name)
				const in, H = 3, 4
				bt := Batch{Steps: 5, Lengths: []int{5, 2, 0, 4}}
				B := bt.B()
				l := NewLayer(cell, in, H, reverse, "l", rng)
				x := randomSlice(rng, bt.Rows()*in)
				init := &State{H: randomSlice(rng, B*H)}
				if cell.Memory() {
					init.C = randomSlice(rng, B*H)
				}
				wy := randomSlice(rng, bt.Rows()*H)
				wh, wc := randomSlice(rng, B*H), randomSlice(rng, B*H)
				y := make([]float64, bt.Rows()*H)
				loss := func() float64 {
					l.Forward(y, H, x, in, bt, init)
					s := 0.0
					for i := range y {
						s += y[i] * wy[i]
					}
					fin := l.Final()
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
				dx := make([]float64, len(x))
				dFinal := &State{H: wh}
				if cell.Memory() {
					dFinal.C = wc
				}
				l.Backward(dx, in, wy, H, dFinal)
				// Copy what Backward left in the workspace before the checks run Forward again.
				ig := l.InitialGrad()
				dh0 := append([]float64(nil), ig.H...)
				dc0 := append([]float64(nil), ig.C...)
				// Padding rows of the output are constant zero, so they must not leak gradient.
				for tt := 0; tt < bt.Steps; tt++ {
					for b, n := range bt.Lengths {
						if tt >= n {
							for k := 0; k < in; k++ {
								if dx[(tt*B+b)*in+k] != 0 {
									t.Fatalf("padding row t=%d b=%d has input gradient", tt, b)
								}
							}
						}
					}
				}
				checkGradient(t, "x", x, dx, loss)
				for _, p := range l.Params() {
					checkGradient(t, p.Name, p.Value, append([]float64(nil), p.Grad...), loss)
				}
				checkGradient(t, "h0", init.H, dh0, loss)
				if cell.Memory() {
					checkGradient(t, "c0", init.C, dc0, loss)
				}
			})
		}
	}
}

// TestEncoderGradients checks stacked bidirectional and unidirectional encoders
// (two layers, directions in parallel) with a loss on every output and on the
// many-to-one final state.
func TestEncoderGradients(t *testing.T) {
	for _, name := range CellNames() {
		for _, bidi := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/bidirectional=%v", name, bidi), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(3, 5))
				cfg := EncoderConfig{Cell: name, Input: 3, Hidden: 3, Layers: 2, Bidirectional: bidi}
				e, err := NewEncoder(cfg, "enc", rng)
				if err != nil {
					t.Fatal(err)
				}
				bt := Batch{Steps: 4, Lengths: []int{4, 1, 3}}
				out, B := e.Output(), bt.B()
				x := randomSlice(rng, bt.Rows()*cfg.Input)
				wy := randomSlice(rng, bt.Rows()*out)
				wf := randomSlice(rng, B*out)
				fin := make([]float64, B*out)
				loss := func() float64 {
					y := e.Forward(x, bt)
					e.Final(fin)
					s := 0.0
					for i := range y {
						s += y[i] * wy[i]
					}
					for i := range fin {
						s += fin[i] * wf[i]
					}
					return s
				}
				loss()
				for _, p := range e.Params() {
					p.ZeroGrad()
				}
				dx := append([]float64(nil), e.Backward(wy, wf)...)
				checkGradient(t, "x", x, dx, loss)
				for _, p := range e.Params() {
					checkGradient(t, p.Name, p.Value, append([]float64(nil), p.Grad...), loss)
				}
			})
		}
	}
}

// TestBidirectionalParallelMatchesSerial checks that running the directions on
// two goroutines gives bit-identical results to running them in turn.
func TestBidirectionalParallelMatchesSerial(t *testing.T) {
	mk := func() *Bidirectional {
		cell, _ := NewCell("lstm")
		return NewBidirectional(cell, 5, 6, "bi", rand.New(rand.NewPCG(1, 1)))
	}
	par, ser := mk(), mk()
	ser.Parallel = false
	bt := Batch{Steps: 7, Lengths: []int{7, 3, 5}}
	rng := rand.New(rand.NewPCG(2, 2))
	x := randomSlice(rng, bt.Rows()*5)
	dy := randomSlice(rng, bt.Rows()*12)
	run := func(l *Bidirectional) ([]float64, []float64) {
		y := make([]float64, bt.Rows()*12)
		dx := make([]float64, len(x))
		l.Forward(y, 12, x, 5, bt)
		l.Backward(dx, 5, dy, 12, nil, nil)
		return y, dx
	}
	y1, dx1 := run(par)
	y2, dx2 := run(ser)
	for i := range y1 {
		if y1[i] != y2[i] {
			t.Fatalf("output %d differs: %g vs %g", i, y1[i], y2[i])
		}
	}
	for i := range dx1 {
		if math.Abs(dx1[i]-dx2[i]) > 1e-15 {
			t.Fatalf("input gradient %d differs: %g vs %g", i, dx1[i], dx2[i])
		}
	}
	for i, p := range par.Params() {
		q := ser.Params()[i]
		for k := range p.Grad {
			if p.Grad[k] != q.Grad[k] {
				t.Fatalf("%s grad %d differs", p.Name, k)
			}
		}
	}
}
