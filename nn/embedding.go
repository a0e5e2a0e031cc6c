package nn

import (
	"fmt"
	"math/rand/v2"
)

// PadID is an id that Embedding maps to a zero vector and that receives no
// gradient: use it (or any negative id) for the padding positions of a batch.
const PadID = -1

// Embedding is a lookup table of Vocab vectors of width Dim: Forward gathers
// one row per id and Backward scatters the gradient back into those rows only.
//
// The table W is a sparse Param: Backward marks the rows it touches, so ZeroGrad,
// ClipGradNorm and the optimizers work on those rows alone and a step costs
// O(rows used) rather than O(Vocab). A Frozen embedding receives no gradient
// at all, which keeps pretrained vectors (word2vec) fixed while the rest of the
// model trains; it still appears in Params so that it is saved with the model.
type Embedding struct {
	Vocab, Dim int
	W          *Param // Vocab×Dim, sparse, named prefix+".W"
	Frozen     bool   // when set, Backward does nothing
}

// NewEmbedding returns a Vocab×Dim table named prefix+".W" with values drawn
// from N(0, 1), PyTorch's default for embeddings; a nil rng leaves the table at
// zero, for values that SetRow or Load will fill.
func NewEmbedding(prefix string, vocab, dim int, rng *rand.Rand) *Embedding {
	if vocab <= 0 || dim <= 0 {
		panic(fmt.Sprintf("nn: NewEmbedding %s: sizes must be positive, got vocab=%d dim=%d", prefix, vocab, dim))
	}
	e := &Embedding{Vocab: vocab, Dim: dim, W: NewParam(prefix+".W", vocab, dim)}
	e.W.Sparse = true
	if rng != nil {
		InitNormal(e.W, rng, 0, 1)
	}
	return e
}

// NewEmbeddingFrom returns a table whose row i is a copy of vectors[i], for
// instance word2vec vectors in vocabulary order. All vectors must have the same
// non-zero length.
func NewEmbeddingFrom(prefix string, vectors [][]float64) *Embedding {
	if len(vectors) == 0 || len(vectors[0]) == 0 {
		panic(fmt.Sprintf("nn: NewEmbeddingFrom %s: no vectors", prefix))
	}
	e := NewEmbedding(prefix, len(vectors), len(vectors[0]), nil)
	for i, v := range vectors {
		e.SetRow(i, v)
	}
	return e
}

// SetRow copies v into the vector of id, for instance to place a pretrained
// vector in a randomly initialised table.
func (e *Embedding) SetRow(id int, v []float64) {
	if id < 0 || id >= e.Vocab {
		panic(fmt.Sprintf("nn: Embedding.SetRow: id %d outside [0, %d)", id, e.Vocab))
	}
	if len(v) != e.Dim {
		panic(fmt.Sprintf("nn: Embedding.SetRow: vector length %d, want %d", len(v), e.Dim))
	}
	copy(e.W.Row(id), v)
}

// SetRow32 is SetRow for a float32 vector, the precision word2vec vectors are
// kept in, converting each element to float64.
func (e *Embedding) SetRow32(id int, v []float32) {
	if id < 0 || id >= e.Vocab {
		panic(fmt.Sprintf("nn: Embedding.SetRow32: id %d outside [0, %d)", id, e.Vocab))
	}
	if len(v) != e.Dim {
		panic(fmt.Sprintf("nn: Embedding.SetRow32: vector length %d, want %d", len(v), e.Dim))
	}
	row := e.W.Row(id)
	for i, x := range v {
		row[i] = float64(x)
	}
}

// Params lists the table.
func (e *Embedding) Params() []*Param { return []*Param{e.W} }

// check panics unless every id is padding or in range and buf holds one row per id.
func (e *Embedding) check(op string, buf []float64, ids []int) {
	if len(buf) != len(ids)*e.Dim {
		panic(fmt.Sprintf("nn: Embedding.%s: buffer length %d, want %d×%d", op, len(buf), len(ids), e.Dim))
	}
	for i, id := range ids {
		if id >= e.Vocab {
			panic(fmt.Sprintf("nn: Embedding.%s: id %d at %d outside [0, %d)", op, id, i, e.Vocab))
		}
	}
}

// Forward writes the vector of ids[i] into row i of dst (len(ids)×Dim); a
// negative id (PadID) gives a zero row.
func (e *Embedding) Forward(dst []float64, ids []int) {
	e.check("Forward", dst, ids)
	d := e.Dim
	for i, id := range ids {
		row := dst[i*d : (i+1)*d]
		if id < 0 {
			clear(row)
			continue
		}
		copy(row, e.W.Row(id))
	}
}

// Backward adds row i of dY (len(ids)×Dim) to the gradient of the vector of
// ids[i], skipping negative ids; repeated ids accumulate. It does nothing when
// the embedding is Frozen.
func (e *Embedding) Backward(ids []int, dY []float64) {
	e.check("Backward", dY, ids)
	if e.Frozen {
		return
	}
	d := e.Dim
	for i, id := range ids {
		if id < 0 {
			continue
		}
		g := e.W.GradRow(id)
		for j, v := range dY[i*d : (i+1)*d] {
			g[j] += v
		}
	}
}
