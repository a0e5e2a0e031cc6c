package nn

import "fmt"

// Param is one trainable tensor: a row-major Rows×Cols matrix of values and the
// gradient accumulated for it since the last ZeroGrad. A vector is a 1×n Param.
//
// Layers add to Grad in Backward; optimizers read Grad and update Value. A sparse
// Param (an embedding table) records which rows received gradient so that the
// optimizer and ZeroGrad touch only those rows.
type Param struct {
	Name       string
	Rows, Cols int
	Value      []float64
	Grad       []float64

	// Sparse marks a table whose rows are updated only when used.
	Sparse bool
	// Store32 makes Save write the values as float32 (F32), halving their size
	// in a model file: for large tables, such as word embeddings, whose values
	// need no more precision. Load then expects F32 for this Param.
	Store32 bool
	// Store16 makes Save write the values as IEEE binary16 (F16), a quarter of
	// their size: for frozen pretrained vectors. It takes precedence over
	// Store32. RoundToStorage makes the values in memory match the file.
	Store16 bool
	// version counts the writes to Value made through this package (optimizer
	// steps, Load, RoundToStorage, the Init helpers) and announced by Changed,
	// so that a cache derived from Value (Layer.PackWeights) knows when to renew.
	version uint64
	// touched lists the rows with gradient since the last ZeroGrad (sparse only);
	// seen[r] says whether row r is already in touched.
	touched []int
	seen    []bool
}

// NewParam returns a zero Param of the given shape.
func NewParam(name string, rows, cols int) *Param {
	if rows < 0 || cols < 0 {
		panic(fmt.Sprintf("nn: NewParam %s: negative shape %d×%d", name, rows, cols))
	}
	return &Param{
		Name:  name,
		Rows:  rows,
		Cols:  cols,
		Value: make([]float64, rows*cols),
		Grad:  make([]float64, rows*cols),
	}
}

// Changed records that Value was written directly rather than through an
// optimizer, Load, RoundToStorage or an Init helper, which record it themselves:
// layers that keep a packed copy of their weights (Layer.PackWeights) renew it
// on their next pass. Call it after copying values into a Param by hand.
func (p *Param) Changed() { p.version++ }

// Size is the number of elements.
func (p *Param) Size() int { return p.Rows * p.Cols }

// Row returns the values of row r (shared, not copied).
func (p *Param) Row(r int) []float64 { return p.Value[r*p.Cols : (r+1)*p.Cols] }

// ReleaseGrad frees the gradient of a Param that only predicts: it is as large
// as the values, and a loaded model never reads it. Whatever accumulates
// gradient next (a layer's Backward, GradRow, ZeroGrad, an optimizer step)
// allocates it again, zeroed, so a released Param can still be trained.
func (p *Param) ReleaseGrad() {
	p.Grad, p.touched, p.seen = nil, nil, nil
}

// ReleaseGrads calls ReleaseGrad on each of params.
func ReleaseGrads(params []*Param) {
	for _, p := range params {
		p.ReleaseGrad()
	}
}

// AllocGrad returns Grad, allocating it (zeroed) first if ReleaseGrad freed it.
func (p *Param) AllocGrad() []float64 {
	if p.Grad == nil {
		p.Grad = make([]float64, p.Rows*p.Cols)
	}
	return p.Grad
}

// GradRow returns the gradient of row r and, for a sparse Param, marks the row touched.
func (p *Param) GradRow(r int) []float64 {
	p.AllocGrad()
	if p.Sparse {
		if p.seen == nil {
			p.seen = make([]bool, p.Rows)
		}
		if !p.seen[r] {
			p.seen[r] = true
			p.touched = append(p.touched, r)
		}
	}
	return p.Grad[r*p.Cols : (r+1)*p.Cols]
}

// TouchedRows lists the rows of a sparse Param that received gradient since the
// last ZeroGrad, in first-touch order. It returns nil for a dense Param.
func (p *Param) TouchedRows() []int { return p.touched }

// ZeroGrad clears the gradient: all of it for a dense Param, only the touched
// rows for a sparse one.
func (p *Param) ZeroGrad() {
	if p.Grad == nil {
		return // released: nothing accumulated
	}
	if !p.Sparse {
		clear(p.Grad)
		return
	}
	for _, r := range p.touched {
		clear(p.Grad[r*p.Cols : (r+1)*p.Cols])
		p.seen[r] = false
	}
	p.touched = p.touched[:0]
}

// AddGrads adds the gradients of src to those of dst, Param by Param (the
// same shapes, in the same order), and clears src's: the gradients of a
// training shard, a replica of the model whose Params share dst's values,
// summed into the model's. A sparse Param adds its touched rows only.
func AddGrads(dst, src []*Param) {
	for i, p := range src {
		if p.Sparse {
			for _, r := range p.TouchedRows() {
				g := dst[i].GradRow(r)
				for j, v := range p.GradRow(r) {
					g[j] += v
				}
			}
			continue
		}
		g := dst[i].AllocGrad()
		for j, v := range p.AllocGrad() {
			g[j] += v
		}
	}
	ZeroGrad(src)
}
