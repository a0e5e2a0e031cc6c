package nn

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestEmbeddingForward(t *testing.T) {
	e := NewEmbeddingFrom("emb", [][]float64{{1, 2}, {3, 4}, {5, 6}})
	dst := []float64{9, 9, 9, 9, 9, 9, 9, 9}
	e.Forward(dst, []int{2, PadID, 0, 2})
	want := []float64{5, 6, 0, 0, 1, 2, 5, 6}
	if !slices.Equal(dst, want) {
		t.Errorf("Forward = %v, want %v", dst, want)
	}
	if !e.W.Sparse || e.W.Name != "emb.W" {
		t.Errorf("table: sparse %v name %q", e.W.Sparse, e.W.Name)
	}
}

// TestEmbeddingGradient checks the scatter against finite differences of
// L = Σ R ⊙ E[ids], with a repeated id and a padding position, and checks that
// exactly the used rows are marked touched.
func TestEmbeddingGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	e := NewEmbedding("emb", 6, 3, rng)
	ids := []int{4, 1, PadID, 4, 0}
	r := normals(rng, len(ids)*e.Dim)
	y := make([]float64, len(r))
	e.Backward(ids, r)
	fdCompare(t, "dE", e.W.Value, e.W.Grad, func() float64 {
		e.Forward(y, ids)
		return dot(y, r)
	})
	if got, want := e.W.TouchedRows(), []int{4, 1, 0}; !slices.Equal(got, want) {
		t.Errorf("TouchedRows = %v, want %v", got, want)
	}
	e.W.ZeroGrad()
	if slices.ContainsFunc(e.W.Grad, func(g float64) bool { return g != 0 }) || len(e.W.TouchedRows()) != 0 {
		t.Errorf("after ZeroGrad: grad %v touched %v", e.W.Grad, e.W.TouchedRows())
	}
}

func TestEmbeddingFrozen(t *testing.T) {
	e := NewEmbedding("emb", 3, 2, rand.New(rand.NewPCG(1, 1)))
	e.Frozen = true
	before := slices.Clone(e.W.Value)
	e.Backward([]int{0, 2}, []float64{1, 1, 1, 1})
	opt := NewAdam(0.1)
	opt.Step(e.Params())
	if len(e.W.TouchedRows()) != 0 || !slices.Equal(e.W.Value, before) {
		t.Errorf("frozen embedding changed: touched %v", e.W.TouchedRows())
	}
}

func TestEmbeddingSeeded(t *testing.T) {
	a := NewEmbedding("emb", 4, 3, rand.New(rand.NewPCG(7, 7)))
	b := NewEmbedding("emb", 4, 3, rand.New(rand.NewPCG(7, 7)))
	c := NewEmbedding("emb", 4, 3, rand.New(rand.NewPCG(7, 8)))
	if !slices.Equal(a.W.Value, b.W.Value) || slices.Equal(a.W.Value, c.W.Value) {
		t.Error("initialisation is not a function of the seed")
	}
	z := NewEmbedding("emb", 4, 3, nil)
	z.SetRow(1, []float64{1, 2, 3})
	z.SetRow32(3, []float32{0.5, -1, 4})
	if want := []float64{0, 0, 0, 1, 2, 3, 0, 0, 0, 0.5, -1, 4}; !slices.Equal(z.W.Value, want) {
		t.Errorf("SetRow: %v, want %v", z.W.Value, want)
	}
}

func TestEmbeddingPanics(t *testing.T) {
	e := NewEmbedding("emb", 3, 2, nil)
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"id out of range", func() { e.Forward(make([]float64, 2), []int{3}) }},
		{"short dst", func() { e.Forward(make([]float64, 3), []int{0, 1}) }},
		{"short dY", func() { e.Backward([]int{0, 1}, make([]float64, 2)) }},
		{"SetRow length", func() { e.SetRow(0, []float64{1}) }},
		{"SetRow32 id", func() { e.SetRow32(3, []float32{1, 2}) }},
		{"ragged vectors", func() { NewEmbeddingFrom("x", [][]float64{{1, 2}, {3}}) }},
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

func ExampleEmbedding() {
	// Pretrained vectors for a vocabulary of three words; id -1 pads the batch.
	e := NewEmbeddingFrom("words", [][]float64{{1, 0}, {0, 1}, {1, 1}})
	e.Frozen = false
	ids := []int{2, 0, PadID}
	x := make([]float64, len(ids)*e.Dim)
	e.Forward(x, ids)
	fmt.Println(x)

	e.Backward(ids, []float64{1, 1, 1, 1, 1, 1})
	fmt.Println(e.W.TouchedRows(), e.W.Grad)
	// Output:
	// [1 1 1 0 0 0]
	// [2 0] [1 1 0 0 1 1]
}

func BenchmarkEmbedding(b *testing.B) {
	for _, s := range []struct{ vocab, dim, n int }{{20000, 100, 800}, {100, 32, 32}} {
		b.Run(fmt.Sprintf("V=%d/D=%d/N=%d", s.vocab, s.dim, s.n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			e := NewEmbedding("emb", s.vocab, s.dim, rng)
			ids := make([]int, s.n)
			for i := range ids {
				ids[i] = rng.IntN(s.vocab)
			}
			y := make([]float64, s.n*s.dim)
			e.Backward(ids, y) // allocates the touched-row bookkeeping
			e.W.ZeroGrad()
			b.ReportAllocs()
			for b.Loop() {
				e.Forward(y, ids)
				e.Backward(ids, y)
				e.W.ZeroGrad()
			}
		})
	}
}
