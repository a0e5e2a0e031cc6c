package nn

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// torchCase is one case of testdata/torch-rnn-parity.json, computed by PyTorch in
// float64 (see testdata/README.md). Weights are in PyTorch's layout: weight_ih is
// [G·H, In] and weight_hh [G·H, H]; ours are their transposes.
type torchCase struct {
	Kind          string                     `json:"kind"`
	Input         int                        `json:"input_size"`
	Hidden        int                        `json:"hidden_size"`
	Batch         int                        `json:"batch"`
	Steps         int                        `json:"steps"`
	Bidirectional bool                       `json:"bidirectional"`
	Lengths       []int                      `json:"lengths"`
	Loss          string                     `json:"loss"`
	X             [][][]float64              `json:"x"`
	Params        map[string]json.RawMessage `json:"params"`
	Outputs       [][][]float64              `json:"outputs"`
	HN            [][][]float64              `json:"h_n"`
	CN            [][][]float64              `json:"c_n"`
	LossWeights   json.RawMessage            `json:"loss_weights"`
	LossValue     float64                    `json:"loss_value"`
	GradX         [][][]float64              `json:"grad_x"`
	GradParams    map[string]json.RawMessage `json:"grad_params"`
}

func loadTorchCases(t *testing.T) map[string]torchCase {
	t.Helper()
	raw, err := os.ReadFile("testdata/torch-rnn-parity.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Cases map[string]torchCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	return f.Cases
}

// flatten turns a batch-first [B][T][D] tensor into our time-major (T·B)×D matrix.
func timeMajor(v [][][]float64) []float64 {
	B, T, D := len(v), len(v[0]), len(v[0][0])
	out := make([]float64, T*B*D)
	for b := 0; b < B; b++ {
		for t := 0; t < T; t++ {
			copy(out[(t*B+b)*D:(t*B+b+1)*D], v[b][t])
		}
	}
	return out
}

func matrix(t *testing.T, raw json.RawMessage) [][]float64 {
	t.Helper()
	var m [][]float64
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func vector(t *testing.T, raw json.RawMessage) []float64 {
	t.Helper()
	var v []float64
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// transposeInto copies the [rows][cols] matrix m, transposed, into the Param.
func transposeInto(p *Param, m [][]float64) {
	if p.Rows != len(m[0]) || p.Cols != len(m) {
		panic("shape mismatch")
	}
	for i, row := range m {
		for j, v := range row {
			p.Value[j*p.Cols+i] = v
		}
	}
}

// loadDirection sets a layer's weights from the PyTorch parameters with the suffix
// ("" or "_reverse"). PyTorch adds two biases; we fold them into one except for the
// GRU, whose recurrent bias sits inside the reset gate's product.
func loadDirection(t *testing.T, l *Layer, params map[string]json.RawMessage, suffix string) {
	transposeInto(l.W, matrix(t, params["weight_ih_l0"+suffix]))
	transposeInto(l.U, matrix(t, params["weight_hh_l0"+suffix]))
	bi, bh := vector(t, params["bias_ih_l0"+suffix]), vector(t, params["bias_hh_l0"+suffix])
	for k := range bi {
		if l.BU != nil {
			l.B.Value[k], l.BU.Value[k] = bi[k], bh[k]
		} else {
			l.B.Value[k] = bi[k] + bh[k]
		}
	}
}

// checkDirectionGrads compares a layer's gradients with PyTorch's.
func checkDirectionGrads(t *testing.T, l *Layer, grads map[string]json.RawMessage, suffix string) {
	t.Helper()
	const tol = 1e-9
	gw := matrix(t, grads["weight_ih_l0"+suffix])
	gu := matrix(t, grads["weight_hh_l0"+suffix])
	for i, row := range gw {
		for j, want := range row {
			assertClose(t, "grad weight_ih"+suffix, l.W.Grad[j*l.W.Cols+i], want, tol)
		}
	}
	for i, row := range gu {
		for j, want := range row {
			assertClose(t, "grad weight_hh"+suffix, l.U.Grad[j*l.U.Cols+i], want, tol)
		}
	}
	gbi, gbh := vector(t, grads["bias_ih_l0"+suffix]), vector(t, grads["bias_hh_l0"+suffix])
	for k := range gbi {
		assertClose(t, "grad bias_ih"+suffix, l.B.Grad[k], gbi[k], tol)
		if l.BU != nil {
			assertClose(t, "grad bias_hh"+suffix, l.BU.Grad[k], gbh[k], tol)
		} else {
			// One folded bias: PyTorch's two bias gradients are equal to it.
			assertClose(t, "grad bias_hh"+suffix, l.B.Grad[k], gbh[k], tol)
		}
	}
}

func assertClose(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol || math.IsNaN(got) {
		t.Fatalf("%s: got %.15g, want %.15g (|diff| %.3g > %g)", what, got, want, math.Abs(got-want), tol)
	}
}

// kernelModes lists the product paths to test: gonum always, and the AVX2
// kernel where the CPU has it.
func kernelModes() []bool {
	if kernelAvailable {
		return []bool{false, true}
	}
	return []bool{false}
}

// withKernel runs f with the packed kernel switched on or off.
func withKernel(on bool, f func()) {
	saved := useKernel
	useKernel = on
	defer func() { useKernel = saved }()
	f()
}

func TestPyTorchParity(t *testing.T) {
	for _, k := range kernelModes() {
		withKernel(k, func() { testPyTorchParity(t, fmt.Sprintf("kernel=%v/", k)) })
	}
}

func testPyTorchParity(t *testing.T, prefix string) {
	const tol = 1e-9
	for name, c := range loadTorchCases(t) {
		t.Run(prefix+name, func(t *testing.T) {
			kind := map[string]string{"lstm": "lstm", "gru": "gru", "rnn_tanh": "rnn"}[c.Kind]
			cell, err := NewCell(kind)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(1, 2))
			dirs := 1
			if c.Bidirectional {
				dirs = 2
			}
			layers := []*Layer{NewLayer(cell, c.Input, c.Hidden, false, "l0", rng)}
			loadDirection(t, layers[0], c.Params, "")
			if dirs == 2 {
				layers = append(layers, NewLayer(cell, c.Input, c.Hidden, true, "l0r", rng))
				loadDirection(t, layers[1], c.Params, "_reverse")
			}
			B, T, H := c.Batch, c.Steps, c.Hidden
			bt := Batch{Steps: T, Lengths: c.Lengths}
			x := timeMajor(c.X)
			y := make([]float64, T*B*H*dirs)
			for d, l := range layers {
				l.Forward(y[d*H:], H*dirs, x, c.Input, bt, nil)
			}

			// Outputs, final states and the loss.
			wantY := timeMajor(c.Outputs)
			for i := range wantY {
				assertClose(t, "output", y[i], wantY[i], tol)
			}
			loss := 0.0
			dFinal := make([]*State, dirs)
			var dy []float64
			switch c.Loss {
			case "sum(outputs * loss_weights)":
				var w [][][]float64
				if err := json.Unmarshal(c.LossWeights, &w); err != nil {
					t.Fatal(err)
				}
				dy = timeMajor(w)
				for i := range y {
					loss += y[i] * dy[i]
				}
			case "sum(h_n * loss_weights)":
				var w [][][]float64
				if err := json.Unmarshal(c.LossWeights, &w); err != nil {
					t.Fatal(err)
				}
				for d, l := range layers {
					fh := l.Final().H
					g := make([]float64, B*H)
					for b := 0; b < B; b++ {
						for k := 0; k < H; k++ {
							g[b*H+k] = w[d][b][k]
							loss += fh[b*H+k] * w[d][b][k]
						}
					}
					dFinal[d] = &State{H: g}
				}
			default:
				t.Fatalf("unknown loss %q", c.Loss)
			}
			assertClose(t, "loss", loss, c.LossValue, tol)
			for d, l := range layers {
				fin := l.Final()
				for b := 0; b < B; b++ {
					for k := 0; k < H; k++ {
						assertClose(t, "h_n", fin.H[b*H+k], c.HN[d][b][k], tol)
						if c.CN != nil {
							assertClose(t, "c_n", fin.C[b*H+k], c.CN[d][b][k], tol)
						}
					}
				}
			}

			// Gradients.
			dx := make([]float64, T*B*c.Input)
			for d, l := range layers {
				var dyd []float64
				if dy != nil {
					dyd = dy[d*H:]
				}
				l.Backward(dx, c.Input, dyd, H*dirs, dFinal[d])
			}
			wantDX := timeMajor(c.GradX)
			for i := range wantDX {
				assertClose(t, "grad_x", dx[i], wantDX[i], tol)
			}
			checkDirectionGrads(t, layers[0], c.GradParams, "")
			if dirs == 2 {
				checkDirectionGrads(t, layers[1], c.GradParams, "_reverse")
			}
		})
	}
}
