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
