package nn

import (
	"fmt"
	"math"
)

// forRows calls f on each block of p that holds gradient: the whole of a dense
// Param as one block, or each touched row of a sparse one. off is the index of
// the block's first element in p.Value.
func forRows(p *Param, f func(off int, value, grad []float64)) {
	p.AllocGrad()
	if len(p.Value) != p.Rows*p.Cols || len(p.Grad) != len(p.Value) {
		panic(fmt.Sprintf("nn: param %s: %d values and %d gradients for %d×%d", p.Name, len(p.Value), len(p.Grad), p.Rows, p.Cols))
	}
	if !p.Sparse {
		f(0, p.Value, p.Grad)
		return
	}
	c := p.Cols
	for _, r := range p.TouchedRows() {
		f(r*c, p.Value[r*c:(r+1)*c], p.Grad[r*c:(r+1)*c])
	}
}

// SGD is stochastic gradient descent with optional momentum, as in PyTorch:
//
//	v ← Momentum·v + g
//	θ ← θ − LR·v
//
// (with Momentum 0 this is θ ← θ − LR·g). On a sparse Param only the touched
// rows move and only their velocity decays: rows not used in a step keep both
// their value and their velocity. The zero value needs only LR.
type SGD struct {
	LR       float64
	Momentum float64
	velocity map[*Param][]float64
}

// Step applies one update to every parameter from its accumulated gradient. It
// does not clear the gradients: call ZeroGrad before the next backward pass.
func (o *SGD) Step(params []*Param) {
	for _, p := range params {
		var vel []float64
		if o.Momentum != 0 {
			vel = o.velocity[p]
			if vel == nil {
				if o.velocity == nil {
					o.velocity = make(map[*Param][]float64)
				}
				vel = make([]float64, len(p.Value))
				o.velocity[p] = vel
			}
		}
		p.Changed()
		forRows(p, func(off int, value, grad []float64) {
			if vel == nil {
				for i, g := range grad {
					value[i] -= o.LR * g
				}
				return
			}
			v := vel[off : off+len(value)]
			for i, g := range grad {
				v[i] = o.Momentum*v[i] + g
				value[i] -= o.LR * v[i]
			}
		})
	}
}

// Adam is the Adam optimizer (Kingma & Ba, 2015) with PyTorch's defaults and
// formulas. With g the gradient and t the number of Steps so far (this one included):
//
//	g ← g + WeightDecay·θ                        (unless Decoupled)
//	m ← β1·m + (1−β1)·g
//	v ← β2·v + (1−β2)·g²
//	θ ← θ − LR·(m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε)
//
// With Decoupled set, weight decay is AdamW's instead: θ ← θ·(1 − LR·WeightDecay)
// before the update, and g is left alone.
//
// On a sparse Param (an embedding table) Adam is lazy: only the rows touched
// since the last ZeroGrad are updated, their moments included, while the bias
// correction uses the global step count t (as PyTorch's SparseAdam and
// TensorFlow's LazyAdam do). A row's moments therefore decay only in steps that
// use it, which keeps a step's cost proportional to the rows used rather than to
// the vocabulary, at the price of differing from dense Adam on rare rows.
// Weight decay on a sparse Param likewise applies only to touched rows.
//
// The moments are allocated at a Param's first Step; later steps allocate nothing.
type Adam struct {
	LR          float64
	Beta1       float64
	Beta2       float64
	Eps         float64
	WeightDecay float64
	Decoupled   bool // AdamW: decay the weights directly instead of adding to g

	t     int
	state map[*Param]*adamMoments
}

type adamMoments struct{ m, v []float64 }

// NewAdam returns Adam with learning rate lr and PyTorch's defaults
// β1 = 0.9, β2 = 0.999, ε = 1e-8, no weight decay.
func NewAdam(lr float64) *Adam {
	return &Adam{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
}

// Steps is the number of Steps taken so far, t in the bias correction.
func (a *Adam) Steps() int { return a.t }

// Step applies one update to every parameter from its accumulated gradient. It
// does not clear the gradients: call ZeroGrad before the next backward pass.
func (a *Adam) Step(params []*Param) {
	if !(a.Beta1 >= 0 && a.Beta1 < 1 && a.Beta2 >= 0 && a.Beta2 < 1) {
		panic(fmt.Sprintf("nn: Adam: betas (%v, %v) outside [0, 1)", a.Beta1, a.Beta2))
	}
	if a.state == nil {
		a.state = make(map[*Param]*adamMoments)
	}
	a.t++
	b1, b2 := a.Beta1, a.Beta2
	// Folding the bias corrections into the step size and ε is exact:
	// lr·(m/c1)/(√(v/c2)+ε) = (lr/c1)·m/(√v/√c2 + ε).
	step := a.LR / (1 - math.Pow(b1, float64(a.t)))
	sc2 := math.Sqrt(1 - math.Pow(b2, float64(a.t)))
	decay, l2 := 1.0, 0.0
	if a.Decoupled {
		decay = 1 - a.LR*a.WeightDecay
	} else {
		l2 = a.WeightDecay
	}
	for _, p := range params {
		st := a.state[p]
		if st == nil {
			st = &adamMoments{m: make([]float64, len(p.Value)), v: make([]float64, len(p.Value))}
			a.state[p] = st
		}
		p.Changed()
		forRows(p, func(off int, value, grad []float64) {
			m := st.m[off : off+len(value)]
			v := st.v[off : off+len(value)]
			for i, g := range grad {
				th := value[i]
				g += l2 * th
				m[i] = b1*m[i] + (1-b1)*g
				v[i] = b2*v[i] + (1-b2)*g*g
				value[i] = th*decay - step*m[i]/(math.Sqrt(v[i])/sc2+a.Eps)
			}
		})
	}
}

// StateParams exposes Adam's moments for params as Params named name+".adam_m"
// and name+".adam_v", whose values share storage with the optimizer: saving
// them (with Steps) checkpoints the optimizer, and loading into them restores it,
// so that a resumed training continues exactly where it stopped.
func (a *Adam) StateParams(params []*Param) []*Param {
	if a.state == nil {
		a.state = make(map[*Param]*adamMoments)
	}
	out := make([]*Param, 0, 2*len(params))
	for _, p := range params {
		st := a.state[p]
		if st == nil {
			st = &adamMoments{m: make([]float64, len(p.Value)), v: make([]float64, len(p.Value))}
			a.state[p] = st
		}
		out = append(out,
			&Param{Name: p.Name + ".adam_m", Rows: p.Rows, Cols: p.Cols, Value: st.m},
			&Param{Name: p.Name + ".adam_v", Rows: p.Rows, Cols: p.Cols, Value: st.v})
	}
	return out
}

// SetSteps sets the step count t used in the bias correction, when restoring a
// checkpoint made with StateParams.
func (a *Adam) SetSteps(t int) { a.t = t }
