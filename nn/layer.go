package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Batch describes a ragged batch of B sequences laid out time-major: row t·B+b of
// every input and output matrix belongs to sequence b at step t. Rows past a
// sequence's length are padding: they produce zero outputs and leave the state
// unchanged, so each sequence's final state is the one after its last real step.
type Batch struct {
	Steps   int   // T: the number of time steps (row blocks)
	Lengths []int // B lengths, each in [0, Steps]
}

// FullBatch is a batch of b sequences that all have t steps.
func FullBatch(b, t int) Batch {
	l := make([]int, b)
	for i := range l {
		l[i] = t
	}
	return Batch{Steps: t, Lengths: l}
}

// B is the number of sequences.
func (bt Batch) B() int { return len(bt.Lengths) }

// Rows is T·B, the number of rows of a time-major matrix for the batch.
func (bt Batch) Rows() int { return bt.Steps * len(bt.Lengths) }

func (bt Batch) check() {
	if bt.Steps < 0 {
		panic(fmt.Sprintf("nn: negative steps %d", bt.Steps))
	}
	for b, n := range bt.Lengths {
		if n < 0 || n > bt.Steps {
			panic(fmt.Sprintf("nn: length %d of sequence %d outside [0, %d]", n, b, bt.Steps))
		}
	}
}

// State is a recurrent state for a batch: H (B×Hidden) and, for memory cells, C.
// A nil slice stands for zeros.
type State struct {
	H, C []float64
}

// Layer runs one Cell over a ragged batch in one direction. Forward keeps what
// Backward needs in a workspace that grows to the largest batch seen and is then
// reused, so steady-state steps allocate nothing. Begin and Step run a forward
// pass one step at a time instead, for inputs that depend on earlier outputs;
// BeginBackward, BackStep and EndBackward backpropagate either kind of pass step
// by step.
//
// Parameters (G gate blocks of width H, fused): W (In×G·H) and B (1×G·H) act on
// the input, U (H×G·H) on the previous h, BU (1×G·H) is the GRU's recurrent bias
// and P (1×Peepholes·H) the peephole weights; BU and P are nil for cells without them.
type Layer struct {
	Cell       Cell
	In, Hidden int
	Reverse    bool // run from each sequence's last real step back to its first
	W, U, B    *Param
	BU, P      *Param

	// GradHook, when set, is called during Backward with t and the complete
	// dL/dh_t (B×Hidden, valid only during the call) at every step: a window on
	// how the gradient flows back through time (see GradientFlow).
	GradHook func(t int, dh []float64)

	ws workspace
	pk packedWeights
}

// packedWeights holds W and U packed for the product kernel (PackWeights).
type packedWeights struct {
	on   bool
	w, u packedParam
}

// packedParam is one Param packed for the kernel, with the version and the
// Value slice it was packed from (a Value may be replaced, as by a Clone
// sharing another model's weights).
type packedParam struct {
	data    []float64
	version uint64
	src     *float64
}

// of returns p packed, packing it again if p changed since.
func (pp *packedParam) of(p *Param) []float64 { return pp.ofOp(p, false) }

// ofOp returns p, or pᵀ when trans, packed as the right operand of a
// product, packing it again if p changed since (a packedParam is used for
// one of the two).
func (pp *packedParam) ofOp(p *Param, trans bool) []float64 {
	if src := &p.Value[0]; pp.src != src || pp.version != p.version {
		k, n := p.Rows, p.Cols
		if trans {
			k, n = n, k
		}
		pp.data = packB(pp.data, trans, k, n, p.Value, p.Cols)
		pp.version, pp.src = p.version, src
	}
	return pp.data
}

// PackWeights makes later forward passes reuse one packed copy of W and U instead
// of packing them for every call: worth it when calls are many and small, as in
// inference on short batches, where packing costs as much as a fifth of a pass
// and the second copy of the weights crowds the cache. The copy is renewed when a
// Param's version moves — after an optimizer step, Load, RoundToStorage, or a
// Changed call — or its Value slice is replaced, so a caller that writes into
// W.Value or U.Value directly must call Changed. UnpackWeights releases the copy.
func (l *Layer) PackWeights() { l.pk.on = true }

// UnpackWeights drops the copy made for PackWeights: every pass packs again.
func (l *Layer) UnpackWeights() { l.pk = packedWeights{} }

// packedW returns W packed for the kernel, renewed if W changed, or nil when
// PackWeights is off.
func (l *Layer) packedW() []float64 {
	if !l.pk.on {
		return nil
	}
	return l.pk.w.of(l.W)
}

// packedU is packedW for U.
func (l *Layer) packedU() []float64 {
	if !l.pk.on {
		return nil
	}
	return l.pk.u.of(l.U)
}

// workspace holds the forward record of the last batch and the backward scratch.
type workspace struct {
	batch   Batch
	x       []float64 // the input of the last Forward (not copied: it must not change before Backward), or xs
	ldx     int
	a, da   []float64 // (T·B)×GH, by time
	cur     []float64 // the projections of the current pass: a, or ForwardProjected's own
	du      []float64 // (T·B)×GH, by time; aliases da except for the GRU
	hs, cs  []float64 // (T+1)·B×H: states in processing order, see stateBlocks
	cache   []float64 // (T·B)×H, by time
	u       []float64 // B×GH
	active  []bool    // B
	dh, dc  []float64 // B×H
	dhPrev  []float64 // B×H
	dcPrev  []float64 // B×H
	forward bool      // a Forward has run since the last Backward
	step    step      // the current step's slices
	mm      gemmer    // packing buffers for the products
	pu      []float64 // U (forward) or Uᵀ (backward) packed for the per-step products
	upk     []float64 // the packed U of this pass (pu or PackWeights' copy); nil on the gonum path

	// Stepwise passes (Begin, Step, BeginBackward, BackStep).
	xs       []float64 // (T·B)×In: the inputs, copied as they arrive
	pw       []float64 // W (forward) or Wᵀ (backward) packed for the per-step input products
	wpk      []float64 // the packed W of this pass (pw or PackWeights' copy); nil on the gonum path
	wtPacked bool      // pw holds Wᵀ for this backward pass
	stepping bool      // a Begin pass is open
	next     int       // the step Step expects; after Forward, T
	backing  bool      // a BeginBackward pass is open
	back     int       // one past the step BackStep expects
}

// NewLayer returns a layer of the given cell with weights drawn uniformly from
// ±1/√hidden (PyTorch's default) and the forget-gate bias set to 1, so that an
// untrained LSTM remembers rather than forgets. Parameter names start with prefix.
// A nil rng leaves every weight at zero, for a layer whose values will be loaded.
func NewLayer(cell Cell, in, hidden int, reverse bool, prefix string, rng *rand.Rand) *Layer {
	if in <= 0 || hidden <= 0 {
		panic(fmt.Sprintf("nn: NewLayer: sizes must be positive, got in=%d hidden=%d", in, hidden))
	}
	gh := cell.Gates() * hidden
	l := &Layer{
		Cell: cell, In: in, Hidden: hidden, Reverse: reverse,
		W: NewParam(prefix+".W", in, gh),
		U: NewParam(prefix+".U", hidden, gh),
		B: NewParam(prefix+".b", 1, gh),
	}
	if cell.RecurrentBias() {
		l.BU = NewParam(prefix+".bu", 1, gh)
	}
	if n := cell.Peepholes(); n > 0 {
		l.P = NewParam(prefix+".p", 1, n*hidden)
	}
	if rng == nil {
		return l
	}
	bound := 1 / math.Sqrt(float64(hidden))
	for _, p := range l.Params() {
		for i := range p.Value {
			p.Value[i] = bound * (2*rng.Float64() - 1)
		}
	}
	if fb := cell.ForgetBlock(); fb >= 0 {
		for k := 0; k < hidden; k++ {
			l.B.Value[fb*hidden+k] = 1
		}
	}
	return l
}

// Params lists the layer's parameters.
func (l *Layer) Params() []*Param {
	ps := []*Param{l.W, l.U, l.B}
	if l.BU != nil {
		ps = append(ps, l.BU)
	}
	if l.P != nil {
		ps = append(ps, l.P)
	}
	return ps
}

// stateBlocks gives, for time t, the block of hs/cs holding the previous state
// and the one receiving the new state. The forward direction stores h_t in block
// t+1 (block 0 is the initial state); the reverse direction stores it in block t
// (block T is the initial state). Either way the previous states of steps 0…T−1,
// in time order, are T consecutive blocks, so dU is one GEMM after the loop.
func (l *Layer) stateBlocks(t, T int) (prev, cur int) {
	if l.Reverse {
		return t + 1, t
	}
	return t, t + 1
}

// Forward runs the layer over x, (T·B)×In time-major with row stride ldx, and
// writes each step's h into y, (T·B)×Hidden with row stride ldy (y may be a
// column slice of a wider matrix, as in a bidirectional layer; nil skips it).
// Padding rows of y are set to zero. init is the initial state (nil: zeros).
// x must stay unchanged until Backward.
func (l *Layer) Forward(y []float64, ldy int, x []float64, ldx int, bt Batch, init *State) {
	bt.check()
	T, B := bt.Steps, bt.B()
	GH := l.Cell.Gates() * l.Hidden
	if ldx < l.In || (T*B > 0 && len(x) < (T*B-1)*ldx+l.In) {
		panic(fmt.Sprintf("nn: Forward: x too short for %d rows of %d (stride %d)", T*B, l.In, ldx))
	}
	ws := &l.ws
	ws.a = grow(ws.a, T*B*GH)
	// All input projections at once: a = x W (the cell adds b).
	if pw := l.packedW(); pw != nil && kernelFits(T*B, GH, l.In) {
		ws.mm.mulPacked(false, T*B, GH, l.In, x, ldx, pw, ws.a, GH, false)
	} else {
		ws.mm.mul(false, false, T*B, GH, l.In, x, ldx, l.W.Value, GH, 0, ws.a, GH)
	}
	l.run(y, ldy, ws.a, bt, init)
	ws.x, ws.ldx, ws.forward = x, ldx, true
}

// ForwardProjected is Forward for inference when the input projections
// a = x·W ((T·B)×G·Hidden, row stride lda, bias not included) are already known,
// for example memoised per word: it skips the largest product of the pass.
// Backward cannot follow it. When lda is G·Hidden, a is used in place and
// overwritten (with the gate activations); otherwise it is copied first.
func (l *Layer) ForwardProjected(y []float64, ldy int, a []float64, lda int, bt Batch, init *State) {
	bt.check()
	T, B := bt.Steps, bt.B()
	GH := l.Cell.Gates() * l.Hidden
	if lda < GH || (T*B > 0 && len(a) < (T*B-1)*lda+GH) {
		panic(fmt.Sprintf("nn: ForwardProjected: a too short for %d rows of %d (stride %d)", T*B, GH, lda))
	}
	ws := &l.ws
	if lda != GH {
		ws.a = grow(ws.a, T*B*GH)
		for r := 0; r < T*B; r++ {
			copy(ws.a[r*GH:(r+1)*GH], a[r*lda:r*lda+GH])
		}
		a = ws.a
	}
	l.run(y, ldy, a, bt, init)
	ws.x, ws.forward = nil, false
}

// run is the time loop of a forward pass over the projections a ((T·B)×G·H).
func (l *Layer) run(y []float64, ldy int, a []float64, bt Batch, init *State) {
	T, B, H := bt.Steps, bt.B(), l.Hidden
	if y != nil && (ldy < H || (T*B > 0 && len(y) < (T*B-1)*ldy+H)) {
		panic(fmt.Sprintf("nn: Forward: y too short for %d rows of %d (stride %d)", T*B, H, ldy))
	}
	l.beginRun(a, bt, init)
	for i := 0; i < T; i++ {
		t := i
		if l.Reverse {
			t = T - 1 - i
		}
		var yt []float64
		if y != nil {
			yt = y[t*B*ldy:]
		}
		l.forwardStep(t, yt, ldy)
	}
	l.ws.next = T
}

// beginRun prepares a forward pass over the projections a ((T·B)×G·H, filled
// before the steps that read them): it sizes the workspace, packs U and sets the
// initial state. It ends any stepwise pass, forward or backward.
func (l *Layer) beginRun(a []float64, bt Batch, init *State) {
	T, B, H := bt.Steps, bt.B(), l.Hidden
	GH := l.Cell.Gates() * H
	ws := &l.ws
	ws.batch = bt
	ws.cur = a[:T*B*GH]
	ws.stepping, ws.backing = false, false
	ws.hs = grow(ws.hs, (T+1)*B*H)
	ws.cache = grow(ws.cache, T*B*H)
	ws.u = grow(ws.u, B*GH)
	if cap(ws.active) < B {
		ws.active = make([]bool, B)
	}
	ws.active = ws.active[:B]
	mem := l.Cell.Memory()
	if mem {
		ws.cs = grow(ws.cs, (T+1)*B*H)
	}

	// U is the same at every step: pack it once for the kernel (or once for
	// many passes, with PackWeights).
	ws.upk = nil
	if kernelFits(B, GH, H) {
		if ws.upk = l.packedU(); ws.upk == nil {
			ws.pu = packB(ws.pu, false, H, GH, l.U.Value, GH)
			ws.upk = ws.pu
		}
	}

	initBlock := 0
	if l.Reverse {
		initBlock = T
	}
	setState(ws.hs[initBlock*B*H:(initBlock+1)*B*H], init, true)
	if mem {
		setState(ws.cs[initBlock*B*H:(initBlock+1)*B*H], init, false)
	}

	// The step lives in the workspace: handed to the cell through an interface,
	// a local one would escape to the heap at every call.
	s := &ws.step
	*s = step{B: B, H: H, u: ws.u, active: ws.active, bias: l.B.Value}
	if l.P != nil {
		s.peep = l.P.Value
	}
}

// forwardStep runs step t of the pass begun by beginRun, whose projections
// a_t = x_t W are in place, and writes h_t into y (B×Hidden, row stride ldy;
// nil skips it), zero on padding rows.
func (l *Layer) forwardStep(t int, y []float64, ldy int) {
	ws := &l.ws
	T, B, H := ws.batch.Steps, ws.batch.B(), l.Hidden
	GH := l.Cell.Gates() * H
	mem := l.Cell.Memory()
	s := &ws.step
	pb, cb := l.stateBlocks(t, T)
	s.a = ws.cur[t*B*GH : (t+1)*B*GH]
	s.hPrev, s.h = ws.hs[pb*B*H:(pb+1)*B*H], ws.hs[cb*B*H:(cb+1)*B*H]
	if mem {
		s.cPrev, s.c = ws.cs[pb*B*H:(pb+1)*B*H], ws.cs[cb*B*H:(cb+1)*B*H]
	}
	s.cache = ws.cache[t*B*H : (t+1)*B*H]

	// The recurrence: u = h_{t-1} U (+ b_u).
	beta := 0.0
	if l.BU != nil {
		for b := 0; b < B; b++ {
			copy(s.u[b*GH:(b+1)*GH], l.BU.Value)
		}
		beta = 1
	}
	if ws.upk != nil {
		ws.mm.mulPacked(false, B, GH, H, s.hPrev, H, ws.upk, s.u, GH, beta != 0)
	} else {
		gemm(false, false, B, GH, H, 1, s.hPrev, H, l.U.Value, GH, beta, s.u, GH)
	}
	all := l.markActive(t)
	l.Cell.forward(s)
	if !all {
		// Padding: the state passes through unchanged.
		for b := 0; b < B; b++ {
			if !s.active[b] {
				copy(s.h[b*H:(b+1)*H], s.hPrev[b*H:(b+1)*H])
				if mem {
					copy(s.c[b*H:(b+1)*H], s.cPrev[b*H:(b+1)*H])
				}
			}
		}
	}
	if y != nil {
		for b := 0; b < B; b++ {
			dst := y[b*ldy : b*ldy+H]
			if s.active[b] {
				copy(dst, s.h[b*H:(b+1)*H])
			} else {
				clear(dst)
			}
		}
	}
}

// Begin starts a pass whose inputs arrive one step at a time, for a decoder
// whose input at step t+1 depends on its output at step t (input feeding): call
// Step for t = 0, 1, …, bt.Steps−1 in order. init is the initial state (nil:
// zeros). Forward direction only: it panics on a Reverse layer, whose first
// step needs the last input.
//
// The pass records what Forward records, so BeginBackward/BackStep/EndBackward
// (or Backward) can follow once every step has run. Each step's input product
// x_t W is one small GEMM instead of a share of one large one, so a pass whose
// inputs are all known up front is faster through Forward.
func (l *Layer) Begin(bt Batch, init *State) {
	if l.Reverse {
		panic("nn: Begin on a reverse layer (stepwise passes run forward only)")
	}
	bt.check()
	T, B := bt.Steps, bt.B()
	GH := l.Cell.Gates() * l.Hidden
	ws := &l.ws
	ws.a = grow(ws.a, T*B*GH)
	ws.xs = grow(ws.xs, T*B*l.In)
	l.beginRun(ws.a, bt, init)
	// W is the same at every step: pack it once for the kernel.
	ws.wpk = nil
	if kernelFits(B, GH, l.In) {
		if ws.wpk = l.packedW(); ws.wpk == nil {
			ws.pw = packB(ws.pw, false, l.In, GH, l.W.Value, GH)
			ws.wpk = ws.pw
		}
	}
	ws.x, ws.ldx = ws.xs, l.In
	ws.stepping, ws.next = true, 0
	ws.forward = T == 0
}

// Step runs step t (t = 0, 1, …, bt.Steps−1 in order) on x (B×In, row stride
// In; copied, since Backward needs it) and writes h_t to y (B×Hidden; nil skips
// it; padding rows zero, as Forward does).
func (l *Layer) Step(t int, y, x []float64) {
	ws := &l.ws
	if !ws.stepping {
		panic("nn: Step without Begin")
	}
	T, B, H := ws.batch.Steps, ws.batch.B(), l.Hidden
	GH := l.Cell.Gates() * H
	if t != ws.next || t >= T {
		panic(fmt.Sprintf("nn: Step %d out of order (want step %d of %d)", t, ws.next, T))
	}
	if len(x) < B*l.In {
		panic(fmt.Sprintf("nn: Step: x has %d values, want %d×%d", len(x), B, l.In))
	}
	if y != nil && len(y) < B*H {
		panic(fmt.Sprintf("nn: Step: y has %d values, want %d×%d", len(y), B, H))
	}
	xt := ws.xs[t*B*l.In : (t+1)*B*l.In]
	copy(xt, x)
	at := ws.a[t*B*GH : (t+1)*B*GH]
	if ws.wpk != nil {
		ws.mm.mulPacked(false, B, GH, l.In, xt, l.In, ws.wpk, at, GH, false)
	} else {
		gemm(false, false, B, GH, l.In, 1, xt, l.In, l.W.Value, GH, 0, at, GH)
	}
	l.forwardStep(t, y, H)
	ws.next++
	ws.forward = ws.next == T
}

// Current returns the state after the last Step (B×Hidden each, C nil without
// memory): for a sequence already past its length, the state after its last real
// step. The slices are views into the workspace, valid until the next pass.
// After Forward it is Final.
func (l *Layer) Current() State {
	if l.Reverse {
		panic("nn: Current on a reverse layer (stepwise passes run forward only)")
	}
	B, H := l.ws.batch.B(), l.Hidden
	blk := l.ws.next
	st := State{H: l.ws.hs[blk*B*H : (blk+1)*B*H]}
	if l.Cell.Memory() {
		st.C = l.ws.cs[blk*B*H : (blk+1)*B*H]
	}
	return st
}

// markActive records which sequences of the batch have step t and reports
// whether all of them do.
func (l *Layer) markActive(t int) bool {
	all := true
	for b, n := range l.ws.batch.Lengths {
		l.ws.active[b] = t < n
		all = all && t < n
	}
	return all
}

// setState copies the initial h (or c) from init into dst, or zeroes dst.
func setState(dst []float64, init *State, h bool) {
	var src []float64
	if init != nil {
		if h {
			src = init.H
		} else {
			src = init.C
		}
	}
	if src == nil {
		clear(dst)
		return
	}
	if len(src) != len(dst) {
		panic(fmt.Sprintf("nn: initial state has %d values, want %d", len(src), len(dst)))
	}
	copy(dst, src)
}

// Final returns the state after each sequence's last real step (B×Hidden each;
// C is nil for cells without memory). The slices belong to the workspace and
// change at the next Forward.
func (l *Layer) Final() State {
	T, B, H := l.ws.batch.Steps, l.ws.batch.B(), l.Hidden
	blk := T
	if l.Reverse {
		blk = 0
	}
	st := State{H: l.ws.hs[blk*B*H : (blk+1)*B*H]}
	if l.Cell.Memory() {
		st.C = l.ws.cs[blk*B*H : (blk+1)*B*H]
	}
	return st
}

// Backward backpropagates through time for the batch of the last Forward.
// dy ((T·B)×Hidden, stride ldy; nil for none) is the gradient of the loss with
// respect to the outputs; dFinal (nil for none) the gradient with respect to the
// final state. It adds the parameter gradients to the Params' Grad and the input
// gradient to dx ((T·B)×In, stride ldx; nil to skip), so that several consumers of
// one input (the two directions of a bidirectional layer) can share dx.
func (l *Layer) Backward(dx []float64, ldx int, dy []float64, ldy int, dFinal *State) {
	ws := &l.ws
	if !ws.forward {
		panic("nn: Backward without a Forward")
	}
	l.beginBackward(dFinal)
	T, B := ws.batch.Steps, ws.batch.B()
	for i := T - 1; i >= 0; i-- {
		t := i
		if l.Reverse {
			t = T - 1 - i
		}
		var dyt []float64
		if dy != nil {
			dyt = dy[t*B*ldy:]
		}
		l.backwardStep(t, dyt, ldy)
	}
	// ws.dh and ws.dc now hold the gradient with respect to the initial state.
	l.endBackward()
	if dx != nil && T*B > 0 {
		GH := l.Cell.Gates() * l.Hidden
		ws.mm.mul(false, true, T*B, l.In, GH, ws.da, GH, l.W.Value, GH, 1, dx, ldx)
	}
}

// beginBackward prepares backpropagation through the last forward pass: it
// sizes the gradient buffers, sets dL/d(final state) from dFinal and packs Uᵀ.
func (l *Layer) beginBackward(dFinal *State) {
	ws := &l.ws
	ws.forward, ws.stepping, ws.backing = false, false, false
	// Gradient buffers released by a loaded model come back here, in one place.
	for _, p := range []*Param{l.W, l.U, l.B, l.BU, l.P} {
		if p != nil {
			p.AllocGrad()
		}
	}
	T, B, H := ws.batch.Steps, ws.batch.B(), l.Hidden
	GH := l.Cell.Gates() * H
	ws.da = grow(ws.da, T*B*GH)
	if l.BU != nil {
		ws.du = grow(ws.du, T*B*GH)
	} else {
		ws.du = ws.da
	}
	ws.dh, ws.dc = grow(ws.dh, B*H), grow(ws.dc, B*H)
	ws.dhPrev, ws.dcPrev = grow(ws.dhPrev, B*H), grow(ws.dcPrev, B*H)
	setState(ws.dh, dFinal, true)
	if l.Cell.Memory() {
		setState(ws.dc, dFinal, false)
	}

	s := &ws.step
	*s = step{B: B, H: H, active: ws.active}
	if l.P != nil {
		s.peep, s.dpeep = l.P.Value, l.P.Grad
	}
	// Uᵀ is the same at every step: pack it once for the kernel.
	ws.upk = nil
	if kernelFits(B, H, GH) {
		ws.pu = packB(ws.pu, true, GH, H, l.U.Value, GH)
		ws.upk = ws.pu
	}
}

// backwardStep backpropagates step t. On entry ws.dh (ws.dc) holds dL/dh_t
// (dL/dc_t) from the later steps; dy (B×Hidden, row stride ldy; nil for none)
// adds the gradient from outside the layer. It leaves dL/da_t and dL/du_t in
// ws.da and ws.du, and dL/dh_{t−1} (dL/dc_{t−1}) in ws.dh (ws.dc):
//
//	dL/dh_{t−1} = (the cell's direct part) + dL/du_t Uᵀ
//
// with a padding row's gradient passed straight back, since the step copied its state.
func (l *Layer) backwardStep(t int, dy []float64, ldy int) {
	ws := &l.ws
	bt := ws.batch
	T, B, H := bt.Steps, bt.B(), l.Hidden
	GH := l.Cell.Gates() * H
	mem := l.Cell.Memory()
	s := &ws.step
	pb, cb := l.stateBlocks(t, T)
	s.a = ws.cur[t*B*GH : (t+1)*B*GH]
	s.da, s.du = ws.da[t*B*GH:(t+1)*B*GH], ws.du[t*B*GH:(t+1)*B*GH]
	s.hPrev = ws.hs[pb*B*H : (pb+1)*B*H]
	if mem {
		s.cPrev, s.c = ws.cs[pb*B*H:(pb+1)*B*H], ws.cs[cb*B*H:(cb+1)*B*H]
	}
	s.cache = ws.cache[t*B*H : (t+1)*B*H]
	s.dh, s.dc, s.dhPrev, s.dcPrev = ws.dh, ws.dc, ws.dhPrev, ws.dcPrev

	all := l.markActive(t)
	if dy != nil {
		for b, n := range bt.Lengths {
			if t < n {
				src := dy[b*ldy : b*ldy+H]
				d := s.dh[b*H : (b+1)*H]
				for k, v := range src {
					d[k] += v
				}
			}
		}
	}
	if l.GradHook != nil {
		l.GradHook(t, s.dh)
	}
	l.Cell.backward(s)
	if !all {
		for b := 0; b < B; b++ {
			if s.active[b] {
				continue
			}
			// A padding step copied the state: its gradient passes straight back.
			clear(s.da[b*GH : (b+1)*GH])
			if l.BU != nil {
				clear(s.du[b*GH : (b+1)*GH])
			}
			copy(s.dhPrev[b*H:(b+1)*H], s.dh[b*H:(b+1)*H])
			if mem {
				copy(s.dcPrev[b*H:(b+1)*H], s.dc[b*H:(b+1)*H])
			}
		}
	}
	// dL/dh_{t-1} = direct part + du Uᵀ.
	if ws.upk != nil {
		ws.mm.mulPacked(false, B, H, GH, s.du, GH, ws.upk, ws.dhPrev, H, true)
	} else {
		gemm(false, true, B, H, GH, 1, s.du, GH, l.U.Value, GH, 1, ws.dhPrev, H)
	}
	ws.dh, ws.dhPrev = ws.dhPrev, ws.dh
	if mem {
		ws.dc, ws.dcPrev = ws.dcPrev, ws.dc
	}
}

// endBackward adds the parameter gradients of the pass, each one GEMM over all
// steps: dW += xᵀ da, dU += h_prevᵀ du, db += Σ da, db_u += Σ du.
func (l *Layer) endBackward() {
	ws := &l.ws
	T, B, H := ws.batch.Steps, ws.batch.B(), l.Hidden
	GH := l.Cell.Gates() * H
	if T*B == 0 {
		return
	}
	first := 0
	if l.Reverse {
		first = 1
	}
	if l.BU == nil {
		// da = du: pack it once for dW = xᵀ·da and dU = h_prevᵀ·da.
		ws.mm.mulSharedB(T*B, GH, ws.da, GH,
			true, l.In, ws.x, ws.ldx, l.W.Grad, GH,
			true, H, ws.hs[first*B*H:], H, l.U.Grad, GH)
	} else {
		ws.mm.mul(true, false, l.In, GH, T*B, ws.x, ws.ldx, ws.da, GH, 1, l.W.Grad, GH)
		ws.mm.mul(true, false, H, GH, T*B, ws.hs[first*B*H:], H, ws.du, GH, 1, l.U.Grad, GH)
	}
	addColSums(l.B.Grad, ws.da, T*B, GH, GH)
	if l.BU != nil {
		addColSums(l.BU.Grad, ws.du, T*B, GH, GH)
	}
}

// BeginBackward starts backpropagation through the steps of the last pass, run
// by Begin and Step (or by Forward); dFinal (nil: none) is dL/d(final state).
// Call BackStep for t = T−1 down to 0, then EndBackward.
func (l *Layer) BeginBackward(dFinal *State) {
	if l.Reverse {
		panic("nn: BeginBackward on a reverse layer (stepwise passes run forward only)")
	}
	if !l.ws.forward {
		panic("nn: BeginBackward without a complete forward pass")
	}
	l.beginBackward(dFinal)
	l.ws.backing, l.ws.back, l.ws.wtPacked = true, l.ws.batch.Steps, false
}

// BackStep backpropagates step t (t = T−1 down to 0, in order): dy (B×Hidden,
// nil for none) is dL/dh_t from outside the layer; dL/dx_t is ADDED into dx
// (B×In; nil skips it), so the caller can route it before calling BackStep(t−1).
//
// With x_t the input and a_t = x_t W its projection, dL/dx_t = dL/da_t Wᵀ: one
// B×In product per step, where Backward makes one for all steps.
func (l *Layer) BackStep(t int, dx, dy []float64) {
	ws := &l.ws
	if !ws.backing {
		panic("nn: BackStep without BeginBackward")
	}
	B, H := ws.batch.B(), l.Hidden
	GH := l.Cell.Gates() * H
	if t != ws.back-1 || t < 0 {
		panic(fmt.Sprintf("nn: BackStep %d out of order (want step %d)", t, ws.back-1))
	}
	if dy != nil && len(dy) < B*H {
		panic(fmt.Sprintf("nn: BackStep: dy has %d values, want %d×%d", len(dy), B, H))
	}
	if dx != nil && len(dx) < B*l.In {
		panic(fmt.Sprintf("nn: BackStep: dx has %d values, want %d×%d", len(dx), B, l.In))
	}
	l.backwardStep(t, dy, H)
	ws.back--
	if dx == nil {
		return
	}
	da := ws.da[t*B*GH : (t+1)*B*GH]
	if kernelFits(B, l.In, GH) {
		// Wᵀ is the same at every step: packed at the first step that needs it.
		if !ws.wtPacked {
			ws.pw = packB(ws.pw, true, GH, l.In, l.W.Value, GH)
			ws.wtPacked = true
		}
		ws.mm.mulPacked(false, B, l.In, GH, da, GH, ws.pw, dx, l.In, true)
	} else {
		gemm(false, true, B, l.In, GH, 1, da, GH, l.W.Value, GH, 1, dx, l.In)
	}
}

// EndBackward adds the parameter gradients (one GEMM over all steps, as
// Backward does) once BackStep has run for every step; InitialGrad is then valid.
func (l *Layer) EndBackward() {
	ws := &l.ws
	if !ws.backing {
		panic("nn: EndBackward without BeginBackward")
	}
	if ws.back != 0 {
		panic(fmt.Sprintf("nn: EndBackward before BackStep %d", ws.back-1))
	}
	ws.backing = false
	l.endBackward()
}

// InitialGrad returns the gradient of the loss with respect to the initial state
// of the last Backward (C nil for cells without memory); it belongs to the workspace.
func (l *Layer) InitialGrad() State {
	st := State{H: l.ws.dh}
	if l.Cell.Memory() {
		st.C = l.ws.dc
	}
	return st
}

// shareParams returns a layer with l's cell and parameters and a fresh workspace.
func (l *Layer) shareParams() *Layer {
	// The packed copy is not shared: two goroutines could renew it at once.
	return &Layer{Cell: l.Cell, In: l.In, Hidden: l.Hidden, Reverse: l.Reverse, W: l.W, U: l.U, B: l.B, BU: l.BU, P: l.P,
		pk: packedWeights{on: l.pk.on}}
}
