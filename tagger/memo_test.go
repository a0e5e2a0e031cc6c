package tagger

import (
	"fmt"
	"math"
	"testing"
)

// TestProjMemoEviction checks the memo's policy: it holds at most limit forms,
// a form used in every batch stays while one-off forms come and go, and the
// forms of the current batch are never evicted, even when they alone fill it.
func TestProjMemoEviction(t *testing.T) {
	p := newProjMemo(4, 3)
	fill := func(e int, v float32) {
		for k := range p.values(e) {
			p.values(e)[k] = v + float32(k)
		}
	}
	for b := 0; b < 50; b++ {
		p.beginBatch()
		e, ok := p.lookup("the")
		if !ok {
			if b > 0 {
				t.Fatalf("batch %d: the frequent form was evicted", b)
			}
			e = p.add("the")
			fill(e, 100)
		}
		if got := p.values(e); got[0] != 100 || got[2] != 102 {
			t.Fatalf("batch %d: the frequent form holds %v", b, got)
		}
		f := fmt.Sprintf("once%d", b)
		if _, ok := p.lookup(f); ok {
			t.Fatalf("batch %d: %s found before it was added", b, f)
		}
		fill(p.add(f), float32(b))
		if p.len() > 4 {
			t.Fatalf("batch %d: %d forms memoised, limit 4", b, p.len())
		}
	}

	// One batch with more distinct forms than the limit: all of them must be
	// readable at its end, so the memo grows past the limit instead.
	p.beginBatch()
	var entries []int
	for i := 0; i < 6; i++ {
		e := p.add(fmt.Sprintf("pinned%d", i))
		fill(e, float32(10*i))
		entries = append(entries, e)
	}
	for i, e := range entries {
		if got := p.values(e)[0]; got != float32(10*i) {
			t.Fatalf("form %d of the batch was overwritten: %v", i, got)
		}
		if got, ok := p.lookup(fmt.Sprintf("pinned%d", i)); !ok || got != e {
			t.Fatalf("form %d of the batch not memoised", i)
		}
	}

	p.reset()
	if _, ok := p.lookup("the"); ok || p.len() != 0 {
		t.Fatal("reset kept forms")
	}
}

// TestInferMatchesForward checks the shortcuts of inference — character
// projections from a table, word projections memoised in float32 — against the
// plain forward pass of training with dropout off: the logits agree to
// float32 precision, on a batch read from an empty memo and again from a full one.
func TestInferMatchesForward(t *testing.T) {
	cfg := tiny
	cfg.Epochs = 1
	m, _, err := Train(t.Context(), cfg, readData(t, "ewt-train-slice.conllu"), readData(t, "ewt-dev-small.conllu"), tinyVectors(t))
	if err != nil {
		t.Fatal(err)
	}
	batch := readData(t, "ewt-dev-small.conllu").Forms[:20]
	m.load(batch, nil, nil, nil)
	m.setTraining(false)
	m.features()
	y := m.enc.Forward(m.ws.x, m.ws.bt)
	rows := m.ws.bt.Rows()
	wantU, wantX := make([]float64, rows*m.upos.len()), make([]float64, rows*m.xpos.len())
	m.headU.Forward(wantU, y)
	m.headX.Forward(wantX, y)
	for round := 0; round < 2; round++ {
		m.load(batch, nil, nil, nil)
		m.inferForward()
		for _, c := range []struct {
			name      string
			got, want []float64
		}{{"UPOS", m.ws.lu, wantU}, {"XPOS", m.ws.lx, wantX}} {
			for i, w := range c.want {
				if d := math.Abs(c.got[i] - w); d > 1e-5*(1+math.Abs(w)) {
					t.Fatalf("round %d: %s logit %d is %g at inference, %g in the forward pass", round, c.name, i, c.got[i], w)
				}
			}
		}
	}
	if m.memo.len() == 0 {
		t.Fatal("inference memoised nothing")
	}
}
