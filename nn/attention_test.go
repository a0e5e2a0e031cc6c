package nn

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestAttentionGradients checks every kind by finite differences with respect to
// the queries, the keys and every parameter, on a ragged batch with masking and
// a length-0 sequence, over three decoder steps whose gradients accumulate (and
// are backpropagated out of order). The loss weighs the contexts and the weights.
// The second set of sizes is wide enough (≥ 8) for the products to take the kernel.
func TestAttentionGradients(t *testing.T) {
	for _, k := range kernelModes() {
		for _, kind := range AttentionKinds() {
			for _, sz := range [][3]int{{3, 4, 5}, {9, 10, 8}} {
				t.Run(fmt.Sprintf("kernel=%v/%s/%v", k, kind, sz), func(t *testing.T) {
					withKernel(k, func() { testAttentionGradients(t, kind, sz[0], sz[1], sz[2]) })
				})
			}
		}
	}
}

func testAttentionGradients(t *testing.T, kind string, query, key, hidden int) {
	if kind == "dot" {
		query = key
	}
	rng := rand.New(rand.NewPCG(4, 2))
	a, err := NewAttention(kind, query, key, hidden, "att", rng)
	if err != nil {
		t.Fatal(err)
	}
	bt := Batch{Steps: 4, Lengths: []int{4, 0, 2, 3}}
	S, B := bt.Steps, bt.B()
	const T = 3 // decoder steps
	keys := randomSlice(rng, bt.Rows()*key)
	q := randomSlice(rng, T*B*query)
	wc := randomSlice(rng, T*B*key)
	ww := randomSlice(rng, T*B*S)
	ctx := make([]float64, B*key)
	w := make([]float64, B*S)
	loss := func() float64 {
		a.SetKeys(keys, bt)
		s := 0.0
		for tt := 0; tt < T; tt++ {
			a.Forward(tt, ctx, w, q[tt*B*query:(tt+1)*B*query])
			for i, v := range ctx {
				s += v * wc[tt*B*key+i]
			}
			for i, v := range w {
				s += v * ww[tt*B*S+i]
			}
		}
		return s
	}
	loss()
	for _, p := range a.Params() {
		p.ZeroGrad()
	}
	dq := make([]float64, len(q))
	for _, tt := range []int{1, 2, 0} {
		a.Backward(tt, dq[tt*B*query:(tt+1)*B*query], wc[tt*B*key:(tt+1)*B*key], ww[tt*B*S:(tt+1)*B*S])
	}
	dkeys := make([]float64, len(keys))
	a.KeysGrad(dkeys)
	grads := make([][]float64, 0, 4)
	for _, p := range a.Params() {
		grads = append(grads, append([]float64(nil), p.Grad...))
	}
	// Masked keys and the empty sequence's queries have no influence at all.
	for s := 0; s < S; s++ {
		for b, n := range bt.Lengths {
			for k := 0; k < key; k++ {
				if s >= n && dkeys[(s*B+b)*key+k] != 0 {
					t.Fatalf("masked key s=%d b=%d has gradient", s, b)
				}
			}
		}
	}
	checkGradient(t, "q", q, dq, loss)
	checkGradient(t, "keys", keys, dkeys, loss)
	for i, p := range a.Params() {
		checkGradient(t, p.Name, p.Value, grads[i], loss)
	}
}

// TestAttentionMasking checks that masked positions get weight exactly 0, that
// each row of weights sums to 1, and that a length-0 sequence gets zero weights
// and a zero context rather than NaN, for every kind, also with large scores.
func TestAttentionMasking(t *testing.T) {
	for _, kind := range AttentionKinds() {
		t.Run(kind, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(8, 8))
			a, err := NewAttention(kind, 6, 6, 4, "att", rng)
			if err != nil {
				t.Fatal(err)
			}
			bt := Batch{Steps: 5, Lengths: []int{0, 5, 1, 3}}
			S, B := bt.Steps, bt.B()
			keys := randomSlice(rng, bt.Rows()*6)
			for i := range keys {
				keys[i] *= 100 // scores far outside exp's range without the max shift
			}
			a.SetKeys(keys, bt)
			ctx := make([]float64, B*6)
			w := make([]float64, B*S)
			for i := range w {
				w[i] = math.NaN() // Forward must write every entry
			}
			a.Forward(0, ctx, w, randomSlice(rng, B*6))
			for b, n := range bt.Lengths {
				sum := 0.0
				for s := 0; s < S; s++ {
					v := w[b*S+s]
					if math.IsNaN(v) || (s >= n && v != 0) {
						t.Fatalf("sequence %d (length %d): weight %d is %v", b, n, s, v)
					}
					sum += v
				}
				if n > 0 && math.Abs(sum-1) > 1e-12 {
					t.Fatalf("sequence %d: weights sum to %v", b, sum)
				}
				for k := 0; k < 6; k++ {
					if v := ctx[b*6+k]; math.IsNaN(v) || (n == 0 && v != 0) {
						t.Fatalf("sequence %d (length %d): context %d is %v", b, n, k, v)
					}
				}
			}
			dq := make([]float64, B*6)
			a.Backward(0, dq, randomSlice(rng, B*6), randomSlice(rng, B*S))
			for k := 0; k < 6; k++ {
				if dq[k] != 0 {
					t.Fatalf("the empty sequence's query has gradient %v", dq[k])
				}
			}
		})
	}
}

// TestAttentionSteadyState checks that a pass allocates nothing once the
// workspace has grown, and that inference passing t = 0 every step records one step.
func TestAttentionSteadyState(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 3))
	for _, kind := range AttentionKinds() {
		a, _ := NewAttention(kind, 8, 8, 8, "att", rng)
		bt := Batch{Steps: 6, Lengths: []int{6, 2, 4, 5}}
		B := bt.B()
		keys := randomSlice(rng, bt.Rows()*8)
		q := randomSlice(rng, B*8)
		ctx, w, dq := make([]float64, B*8), make([]float64, B*6), make([]float64, B*8)
		dkeys := make([]float64, len(keys))
		pass := func() {
			a.SetKeys(keys, bt)
			for tt := 0; tt < 7; tt++ {
				a.Forward(tt, ctx, w, q)
			}
			for tt := 6; tt >= 0; tt-- {
				a.Backward(tt, dq, ctx, nil)
			}
			a.KeysGrad(dkeys)
		}
		pass()
		if n := testing.AllocsPerRun(3, pass); n != 0 {
			t.Errorf("%s: a pass allocates %v times in steady state", kind, n)
		}
		a.SetKeys(keys, bt)
		for range 5 {
			a.Forward(0, ctx, w, q)
		}
		if a.ws.steps != 1 {
			t.Errorf("%s: inference at t = 0 recorded %d steps", kind, a.ws.steps)
		}
	}
}

// TestNewAttentionErrors checks the errors for an unknown kind and bad sizes,
// and the shapes and initialisation bounds of the parameters.
func TestNewAttentionErrors(t *testing.T) {
	_, err := NewAttention("concat", 4, 4, 4, "att", nil)
	if err == nil || !strings.Contains(err.Error(), `"concat"`) || !strings.Contains(err.Error(), "additive, dot, general") {
		t.Errorf("unknown kind: got %v", err)
	}
	if _, err := NewAttention("dot", 3, 4, 0, "att", nil); err == nil {
		t.Error("dot with query ≠ key: no error")
	}
	if _, err := NewAttention("additive", 3, 4, 0, "att", nil); err == nil {
		t.Error("additive with hidden 0: no error")
	}
	if _, err := NewAttention("general", 0, 4, 0, "att", nil); err == nil {
		t.Error("query 0: no error")
	}
	a, err := NewAttention("additive", 9, 16, 25, "att", rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	bounds := map[string]float64{"att.Wq": 1.0 / 3, "att.Wk": 0.25, "att.b": 0.25, "att.v": 0.2}
	for _, p := range a.Params() {
		bound, ok := bounds[p.Name]
		if !ok {
			t.Fatalf("unexpected parameter %s", p.Name)
		}
		big := 0.0
		for _, v := range p.Value {
			big = max(big, math.Abs(v))
		}
		if big > bound || big < bound/2 {
			t.Errorf("%s: largest |value| %v, want within (%v/2, %v]", p.Name, big, bound, bound)
		}
	}
	g, _ := NewAttention("general", 3, 4, 7, "att", nil)
	if g.W.Rows != 3 || g.W.Cols != 4 || g.Hidden != 0 || len(g.Params()) != 1 {
		t.Errorf("general: W %d×%d, Hidden %d, %d params", g.W.Rows, g.W.Cols, g.Hidden, len(g.Params()))
	}
	d, _ := NewAttention("dot", 4, 4, 7, "att", nil)
	if len(d.Params()) != 0 {
		t.Errorf("dot has %d params", len(d.Params()))
	}
}

// BenchmarkAttention times one decoder step forward and backward at
// B=64, S=20, Key=512, Query=256, Hidden=256; an op is a pass of 10 steps
// (SetKeys, 10 Forward, 10 Backward, KeysGrad), so the key-side products are
// amortised as in training.
func BenchmarkAttention(b *testing.B) {
	const B, S, key, query, hidden, T = 64, 20, 512, 256, 256, 10
	for _, kind := range []string{"additive", "general"} {
		b.Run(kind, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			a, err := NewAttention(kind, query, key, hidden, "att", rng)
			if err != nil {
				b.Fatal(err)
			}
			bt := FullBatch(B, S)
			keys := randomSlice(rng, bt.Rows()*key)
			q := randomSlice(rng, T*B*query)
			dctx := randomSlice(rng, B*key)
			ctx, dq := make([]float64, B*key), make([]float64, T*B*query)
			dkeys := make([]float64, len(keys))
			pass := func() {
				a.SetKeys(keys, bt)
				for t := 0; t < T; t++ {
					a.Forward(t, ctx, nil, q[t*B*query:(t+1)*B*query])
				}
				for t := T - 1; t >= 0; t-- {
					a.Backward(t, dq[t*B*query:(t+1)*B*query], dctx, nil)
				}
				a.KeysGrad(dkeys)
			}
			pass()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				pass()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*T), "ns/step")
		})
	}
}

// attentionCase is one case of testdata/attention.json, computed by PyTorch in
// float64 by scripts/attention_fixture.py; all tensors are time-major and the
// parameters in our layout (see the script).
type attentionCase struct {
	Kind         string                     `json:"kind"`
	Query        int                        `json:"query"`
	Key          int                        `json:"key"`
	Hidden       int                        `json:"hidden"`
	Batch        int                        `json:"batch"`
	Steps        int                        `json:"steps"`
	DecoderSteps int                        `json:"decoder_steps"`
	Lengths      []int                      `json:"lengths"`
	Keys         [][][]float64              `json:"keys"`
	Queries      [][][]float64              `json:"queries"`
	Params       map[string]json.RawMessage `json:"params"`
	WC           [][][]float64              `json:"wc"`
	WA           [][][]float64              `json:"wa"`
	Contexts     [][][]float64              `json:"contexts"`
	Weights      [][][]float64              `json:"weights"`
	Loss         float64                    `json:"loss"`
	GradKeys     [][][]float64              `json:"grad_keys"`
	GradQueries  [][][]float64              `json:"grad_queries"`
	GradParams   map[string]json.RawMessage `json:"grad_params"`
}

// flat concatenates a [A][B][C] tensor, row-major: a time-major one stays time-major.
func flat(v [][][]float64) []float64 {
	var out []float64
	for _, m := range v {
		for _, r := range m {
			out = append(out, r...)
		}
	}
	return out
}

// flatParam reads a parameter given as a vector or a matrix, row-major.
func flatParam(t *testing.T, raw json.RawMessage) []float64 {
	t.Helper()
	var v []float64
	if json.Unmarshal(raw, &v) == nil {
		return v
	}
	m := matrix(t, raw)
	return flat([][][]float64{m})
}

// TestAttentionPyTorchParity compares contexts, weights, the loss and the
// gradients with respect to the queries, the keys and every parameter with
// PyTorch's, to 1e-10, for every kind in testdata/attention.json.
func TestAttentionPyTorchParity(t *testing.T) {
	raw, err := os.ReadFile("testdata/attention.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Cases map[string]attentionCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"additive", "general"} {
		if _, ok := f.Cases[want]; !ok {
			t.Fatalf("no %q case in testdata/attention.json", want)
		}
	}
	for _, k := range kernelModes() {
		for name, c := range f.Cases {
			t.Run(fmt.Sprintf("kernel=%v/%s", k, name), func(t *testing.T) {
				withKernel(k, func() { testAttentionParity(t, c) })
			})
		}
	}
}

func testAttentionParity(t *testing.T, c attentionCase) {
	const tol = 1e-10
	a, err := NewAttention(c.Kind, c.Query, c.Key, c.Hidden, "att", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Params()) != len(c.Params) {
		t.Fatalf("%d parameters, PyTorch has %d", len(a.Params()), len(c.Params))
	}
	byName := func(p *Param) string { return strings.TrimPrefix(p.Name, "att.") }
	for _, p := range a.Params() {
		v := flatParam(t, c.Params[byName(p)])
		if len(v) != len(p.Value) {
			t.Fatalf("%s: %d values, want %d", p.Name, len(v), len(p.Value))
		}
		copy(p.Value, v)
		p.Changed()
	}
	bt := Batch{Steps: c.Steps, Lengths: c.Lengths}
	B, S, T := c.Batch, c.Steps, c.DecoderSteps
	keys, q := flat(c.Keys), flat(c.Queries)
	wc, wa := flat(c.WC), flat(c.WA)
	wantCtx, wantW := flat(c.Contexts), flat(c.Weights)

	a.SetKeys(keys, bt)
	ctx, w := make([]float64, B*c.Key), make([]float64, B*S)
	loss := 0.0
	for tt := 0; tt < T; tt++ {
		a.Forward(tt, ctx, w, q[tt*B*c.Query:(tt+1)*B*c.Query])
		for i, v := range ctx {
			assertClose(t, fmt.Sprintf("context t=%d [%d]", tt, i), v, wantCtx[tt*B*c.Key+i], tol)
			loss += v * wc[tt*B*c.Key+i]
		}
		for i, v := range w {
			assertClose(t, fmt.Sprintf("weight t=%d [%d]", tt, i), v, wantW[tt*B*S+i], tol)
			loss += v * wa[tt*B*S+i]
		}
	}
	assertClose(t, "loss", loss, c.Loss, tol)

	dq, dkeys := make([]float64, len(q)), make([]float64, len(keys))
	for tt := T - 1; tt >= 0; tt-- {
		a.Backward(tt, dq[tt*B*c.Query:(tt+1)*B*c.Query], wc[tt*B*c.Key:(tt+1)*B*c.Key], wa[tt*B*S:(tt+1)*B*S])
	}
	a.KeysGrad(dkeys)
	for i, want := range flat(c.GradQueries) {
		assertClose(t, fmt.Sprintf("grad queries[%d]", i), dq[i], want, tol)
	}
	for i, want := range flat(c.GradKeys) {
		assertClose(t, fmt.Sprintf("grad keys[%d]", i), dkeys[i], want, tol)
	}
	for _, p := range a.Params() {
		for i, want := range flatParam(t, c.GradParams[byName(p)]) {
			assertClose(t, fmt.Sprintf("grad %s[%d]", p.Name, i), p.Grad[i], want, tol)
		}
	}
}

// TestAttentionSelectKeys checks that selecting key sequences (repeated,
// dropped, twice in a row) gives the contexts and weights of SetKeys on the
// same sequences gathered by hand, for every kind.
func TestAttentionSelectKeys(t *testing.T) {
	for _, kind := range AttentionKinds() {
		t.Run(kind, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(9, 9))
			const Q, K, H, S = 5, 5, 4, 6
			a, err := NewAttention(kind, Q, K, H, "a", rng)
			if err != nil {
				t.Fatal(err)
			}
			ref, _ := NewAttention(kind, Q, K, H, "a", nil)
			for i, p := range a.Params() {
				copy(ref.Params()[i].Value, p.Value)
			}
			lens := []int{6, 2, 0, 4}
			keys := randomSlice(rng, S*len(lens)*K)
			a.SetKeys(keys, Batch{Steps: S, Lengths: lens})
			// gather returns the keys of the chosen sequences and their lengths.
			cur := []int{0, 1, 2, 3}
			gather := func(rows []int) ([]float64, []int) {
				var g []float64
				var l []int
				for s := 0; s < S; s++ {
					for _, r := range rows {
						b := cur[r]
						g = append(g, keys[(s*len(lens)+b)*K:(s*len(lens)+b+1)*K]...)
					}
				}
				for _, r := range rows {
					l = append(l, lens[cur[r]])
				}
				return g, l
			}
			for _, rows := range [][]int{{3, 3, 0, 1, 2, 1}, {5, 0, 0}} {
				g, l := gather(rows)
				a.SelectKeys(rows)
				ref.SetKeys(g, Batch{Steps: S, Lengths: l})
				next := make([]int, len(rows))
				for i, r := range rows {
					next[i] = cur[r]
				}
				cur = next
				q := randomSlice(rng, len(rows)*Q)
				c1, w1 := make([]float64, len(rows)*K), make([]float64, len(rows)*S)
				c2, w2 := make([]float64, len(rows)*K), make([]float64, len(rows)*S)
				a.Forward(0, c1, w1, q)
				ref.Forward(0, c2, w2, q)
				if !slices.Equal(c1, c2) || !slices.Equal(w1, w2) {
					t.Fatalf("rows %v: selected keys give other contexts or weights", rows)
				}
			}
		})
	}
}
