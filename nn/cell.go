package nn

import (
	"fmt"
	"sort"
	"strings"
)

// Cell is the per-step arithmetic of a recurrent unit. A Layer does the matrix
// products, for every step at once where it can:
//
//	a_t = x_t W              (all steps in one GEMM before the time loop)
//	u_t = h_{t-1} U [+ b_u]  (one GEMM per step: the recurrence)
//
// with the G gate blocks of width H fused side by side in W (In×G·H) and
// U (H×G·H). The cell adds the bias b and turns a_t + b, u_t and the previous
// state into the new state,
// element by element, and in the backward pass turns dL/dh_t (and dL/dc_t)
// into the gradients of a_t, u_t and the previous state.
//
// Cells are chosen by name with NewCell; the set is closed (the methods that do
// the arithmetic are unexported) so that every cell is covered by the gradient
// checks and the PyTorch parity tests of this package.
type Cell interface {
	// Name is the name NewCell knows the cell by.
	Name() string
	// Gates is the number of H-wide blocks in W and U.
	Gates() int
	// Memory reports whether the cell carries a memory c besides h (the LSTM family).
	Memory() bool
	// Peepholes is the number of H-wide peephole weight vectors (gates that see c).
	Peepholes() int
	// RecurrentBias reports whether the recurrent product has its own bias b_u,
	// which matters only when a gate multiplies it (the GRU's reset gate).
	RecurrentBias() bool
	// ForgetBlock is the index of the forget-gate block, whose bias starts at 1,
	// or -1 when the cell has none.
	ForgetBlock() int

	forward(s *step)
	backward(s *step)
}

// step holds one time step's slices for a batch of B rows; all are row-major
// with row stride H or G·H and live in the layer's workspace.
type step struct {
	B, H int

	// Forward.
	a      []float64 // B×GH: in, x W; out, the gate activations (kept for backward)
	bias   []float64 // GH: b, added to a by the cell
	u      []float64 // B×GH: h_{t-1} U (+ b_u)
	hPrev  []float64 // B×H
	cPrev  []float64 // B×H, memory cells only
	h, c   []float64 // B×H: the new state
	cache  []float64 // B×H: tanh(c) for the LSTM family, the recurrent n-block (U_n h + b_un) for the GRU
	peep   []float64 // Peepholes·H
	active []bool    // B: rows whose sequence has this time step

	// Backward.
	dh     []float64 // B×H: dL/dh_t, complete
	dc     []float64 // B×H: dL/dc_t from later steps (memory cells only)
	da     []float64 // B×GH out: dL/da_t
	du     []float64 // B×GH out: dL/du_t (the same as da except for the GRU)
	dhPrev []float64 // B×H out: the part of dL/dh_{t-1} that does not go through U
	dcPrev []float64 // B×H out: dL/dc_{t-1}
	dpeep  []float64 // Peepholes·H: accumulated
}

// cellMakers maps each cell name to its constructor.
var cellMakers = map[string]func() Cell{
	"rnn":      func() Cell { return tanhRNN{} },
	"lstm":     func() Cell { return lstm{} },
	"peephole": func() Cell { return lstm{peephole: true} },
	"nig":      func() Cell { return lstm{noInputGate: true} },
	"gru":      func() Cell { return gru{} },
}

// CellNames lists the names NewCell accepts, sorted.
func CellNames() []string {
	names := make([]string, 0, len(cellMakers))
	for n := range cellMakers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// NewCell returns the cell called name: "rnn" (vanilla tanh), "lstm",
// "peephole" (LSTM whose gates also see the memory), "nig" (LSTM without an
// input gate, i = 1) or "gru".
func NewCell(name string) (Cell, error) {
	mk, ok := cellMakers[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("nn: unknown cell %q (want one of %s)", name, strings.Join(CellNames(), ", "))
	}
	return mk(), nil
}
