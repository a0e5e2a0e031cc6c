package nn

import (
	"encoding/json"
	"math/rand/v2"
	"path/filepath"
	"testing"
)

// TestEncoderSaveLoad saves a trained-looking encoder with its config, rebuilds
// one from the file alone and checks that it computes the same outputs.
func TestEncoderSaveLoad(t *testing.T) {
	cfg := EncoderConfig{Cell: "peephole", Input: 4, Hidden: 5, Layers: 2, Bidirectional: true}
	a, err := NewEncoder(cfg, "enc", rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(cfg)
	path := filepath.Join(t.TempDir(), "enc.safetensors")
	if err := Save(path, a.Params(), map[string]string{MetaConfig: string(raw)}); err != nil {
		t.Fatal(err)
	}

	meta, err := LoadMeta(path)
	if err != nil {
		t.Fatal(err)
	}
	var got EncoderConfig
	if err := json.Unmarshal([]byte(meta[MetaConfig]), &got); err != nil {
		t.Fatal(err)
	}
	b, err := NewEncoder(got, "enc", rand.New(rand.NewPCG(9, 9))) // other weights until loaded
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path, b.Params()); err != nil {
		t.Fatal(err)
	}
	bt := Batch{Steps: 3, Lengths: []int{3, 2}}
	x := randomSlice(rand.New(rand.NewPCG(2, 2)), bt.Rows()*4)
	ya := append([]float64(nil), a.Forward(x, bt)...)
	yb := b.Forward(x, bt)
	for i := range ya {
		if ya[i] != yb[i] {
			t.Fatalf("output %d: %g after load, want %g", i, yb[i], ya[i])
		}
	}

	// A model of another shape does not load into these parameters.
	other, _ := NewEncoder(EncoderConfig{Cell: "lstm", Input: 4, Hidden: 6}, "enc", rand.New(rand.NewPCG(1, 1)))
	if _, err := Load(path, other.Params()); err == nil {
		t.Fatal("loaded a model into parameters of another shape")
	}
}

// TestEncoderDeterministic: the same seed gives the same weights and, after the
// same updates, the same model, with the directions running in parallel.
func TestEncoderDeterministic(t *testing.T) {
	run := func() []float64 {
		rng := rand.New(rand.NewPCG(4, 4))
		e, _ := NewEncoder(EncoderConfig{Input: 3, Hidden: 4, Bidirectional: true, Layers: 2}, "e", rng)
		opt := NewAdam(0.01)
		bt := Batch{Steps: 5, Lengths: []int{5, 4, 2, 5}}
		data := rand.New(rand.NewPCG(5, 5))
		for i := 0; i < 5; i++ {
			x := randomSlice(data, bt.Rows()*3)
			dy := randomSlice(data, bt.Rows()*e.Output())
			ZeroGrad(e.Params())
			e.Forward(x, bt)
			e.Backward(dy, nil)
			opt.Step(e.Params())
		}
		var all []float64
		for _, p := range e.Params() {
			all = append(all, p.Value...)
		}
		return all
	}
	a, b := run(), run()
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("parameter %d differs between runs: %g vs %g", i, a[i], b[i])
		}
	}
}

func TestEncoderConfigValidate(t *testing.T) {
	for _, c := range []EncoderConfig{
		{Input: 0, Hidden: 3},
		{Input: 3, Hidden: 0},
		{Input: 3, Hidden: 3, Layers: -1},
		{Input: 3, Hidden: 3, Cell: "transformer"},
		// Too large: an error, not an out-of-memory crash.
		{Input: 3, Hidden: 2_000_000_000},
		{Input: 3, Hidden: 3, Layers: MaxLayers + 1},
		{Input: MaxWidth + 1, Hidden: 3},
		{Input: 400, Hidden: MaxWidth, Layers: 2}, // each width allowed, 2.1e9 weights in all
	} {
		if err := c.Validate(); err == nil {
			t.Errorf("%+v: no error", c)
		}
		if _, err := NewEncoder(c, "e", rand.New(rand.NewPCG(1, 1))); err == nil {
			t.Errorf("%+v: NewEncoder accepted it", c)
		}
	}
	if err := (EncoderConfig{Input: 3, Hidden: 3}).Validate(); err != nil {
		t.Errorf("defaults rejected: %v", err)
	}
}

// TestEncoderWeights checks the count Validate bounds against the parameters
// the encoders of every cell actually hold.
func TestEncoderWeights(t *testing.T) {
	for _, cell := range CellNames() {
		for _, c := range []EncoderConfig{
			{Cell: cell, Input: 5, Hidden: 3},
			{Cell: cell, Input: 7, Hidden: 4, Layers: 3, Bidirectional: true},
		} {
			e, err := NewEncoder(c, "e", nil)
			if err != nil {
				t.Fatal(err)
			}
			held := 0
			for _, p := range e.Params() {
				held += len(p.Value)
			}
			if got := c.Weights(); got != held || held == 0 {
				t.Errorf("%+v: Weights() = %d, the encoder holds %d", c, got, held)
			}
		}
	}
}

// TestShareParams runs two batches through two encoders sharing weights, then
// goes back through both: the gradients add up to those of one batch holding both.
func TestShareParams(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	cfg := EncoderConfig{Input: 3, Hidden: 4, Bidirectional: true}
	a, _ := NewEncoder(cfg, "e", rng)
	b := a.ShareParams()
	data := rand.New(rand.NewPCG(1, 1))
	bt1, bt2 := Batch{Steps: 2, Lengths: []int{2, 1}}, Batch{Steps: 5, Lengths: []int{5}}
	x1, x2 := randomSlice(data, bt1.Rows()*3), randomSlice(data, bt2.Rows()*3)
	f1, f2 := make([]float64, 2*8), make([]float64, 8)
	a.Forward(x1, bt1)
	a.Final(f1)
	b.Forward(x2, bt2)
	b.Final(f2)
	ZeroGrad(a.Params())
	w1, w2 := randomSlice(data, len(f1)), randomSlice(data, len(f2))
	a.Backward(nil, w1)
	b.Backward(nil, w2)
	got := make([][]float64, 0)
	for _, p := range a.Params() {
		got = append(got, append([]float64(nil), p.Grad...))
	}

	// The same in one batch of three sequences (time-major, padded to 5 steps).
	one, _ := NewEncoder(cfg, "e", rand.New(rand.NewPCG(8, 8)))
	bt := Batch{Steps: 5, Lengths: []int{2, 1, 5}}
	x := make([]float64, bt.Rows()*3)
	for tt := 0; tt < 5; tt++ {
		if tt < 2 {
			copy(x[(tt*3+0)*3:(tt*3+2)*3], x1[tt*2*3:(tt+1)*2*3])
		}
		copy(x[(tt*3+2)*3:(tt*3+3)*3], x2[tt*3:(tt+1)*3])
	}
	fin := make([]float64, 3*8)
	one.Forward(x, bt)
	one.Final(fin)
	ZeroGrad(one.Params())
	one.Backward(nil, append(append([]float64(nil), w1...), w2...))
	for i, p := range one.Params() {
		for k := range p.Grad {
			if d := p.Grad[k] - got[i][k]; d > 1e-12 || d < -1e-12 {
				t.Fatalf("%s[%d]: shared encoders give %g, one batch %g", p.Name, k, got[i][k], p.Grad[k])
			}
		}
	}
	for i := range f1 {
		if d := f1[i] - fin[i]; d > 1e-12 || d < -1e-12 {
			t.Fatalf("final state %d differs: %g vs %g", i, f1[i], fin[i])
		}
	}
}

// TestForwardProjected: projecting the input first and running from the
// projections gives the outputs of an ordinary Forward.
func TestForwardProjected(t *testing.T) {
	for _, bidi := range []bool{false, true} {
		e, _ := NewEncoder(EncoderConfig{Cell: "gru", Input: 6, Hidden: 5, Layers: 2, Bidirectional: bidi}, "e", rand.New(rand.NewPCG(1, 1)))
		bt := Batch{Steps: 4, Lengths: []int{4, 2, 3, 1, 4}}
		x := randomSlice(rand.New(rand.NewPCG(2, 2)), bt.Rows()*6)
		want := append([]float64(nil), e.Forward(x, bt)...)
		dirs := 1
		if bidi {
			dirs = 2
		}
		a := make([][]float64, dirs)
		for d := range a {
			a[d] = make([]float64, bt.Rows()*e.ProjectedWidth())
		}
		e.Project(a, x, bt.Rows())
		got := e.ForwardProjected(a, bt)
		for i := range want {
			if d := got[i] - want[i]; d > 1e-12 || d < -1e-12 {
				t.Fatalf("bidirectional=%v: output %d is %g, want %g", bidi, i, got[i], want[i])
			}
		}
	}
}
