// Package nn holds the arithmetic of the toolkit: recurrent layers and what
// surrounds them, in float64 on gonum's BLAS (plus an AVX2 kernel of our own for
// the products), with backpropagation through time written by hand and checked
// against PyTorch and against finite differences.
//
// # Layout of the data
//
// A batch of B sequences of up to T steps is stored time-major: row t·B+b of an
// input or output matrix is sequence b at step t. A Batch gives T and each
// sequence's length; rows past a length are padding. All matrices are row-major
// []float64 with an explicit row stride, so a layer can write into a column slice
// of a wider matrix (the two halves of a bidirectional output) without copying.
//
// # The cells
//
// Every recurrent cell computes, at step t, a new state from the input x_t and
// the previous state. With the G gate blocks of width H fused side by side, the
// layer computes a_t = x_t W + b for all steps in one matrix product before the
// loop, and only u_t = h_{t-1} U inside it; the Cell does the rest element by
// element. The cells (NewCell by name):
//
//	rnn       h_t = tanh(a + u)
//	lstm      i, f, o = σ(·), g = tanh(·); c_t = f ⊙ c_{t-1} + i ⊙ g; h_t = o ⊙ tanh(c_t)
//	peephole  as lstm, with i and f also seeing c_{t-1}, and o seeing c_t, through diagonal weights
//	nig       as lstm with no input gate: c_t = f ⊙ c_{t-1} + g
//	gru       r, z = σ(·); n = tanh(a_n + r ⊙ (u_n + b_u)); h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}
//
// Why the LSTM exists: backpropagating through the vanilla cell multiplies the
// gradient at every step by diag(1 − h_t²) Uᵀ, whose norm is usually below one, so
// it shrinks geometrically with distance and the cell cannot learn long-range
// dependencies. The LSTM's memory is updated additively, ∂c_t/∂c_{t-1} = diag(f),
// and with the forget gate open (its bias starts at 1) the gradient travels back
// along c almost undamped. GradientFlow measures exactly this (nlp gradflow).
// The derivatives each backward pass computes are written as equations above it
// in the source (cell_lstm.go, cell_gru.go, cell_rnn.go), in the code's names.
//
// # Layers
//
// Layer runs one cell over a ragged batch in one direction; padding steps leave
// the state unchanged and output zeros, so the final state (Final) is the one
// after each sequence's last real step, and the reverse direction starts there.
// Bidirectional runs both directions, on two goroutines, and concatenates them;
// Encoder stacks layers. Forward records what Backward needs in a workspace that
// grows to the largest batch and is then reused: steady-state steps allocate
// nothing. Backward adds into the Params' gradients, computing dW, dU and the
// input gradient as one product each over all steps. A decoder whose input at
// step t+1 depends on its output at step t (input feeding) runs a Layer one step
// at a time instead: Begin, Step, then BeginBackward, BackStep, EndBackward.
//
// # Around the cells
//
// Embedding is a lookup table (Vocab×Dim) whose Backward scatters into the
// touched rows of a sparse Param, so optimizers, clipping and ZeroGrad cost
// O(rows used); negative ids (PadID) are zero padding, and Frozen keeps
// pretrained vectors fixed. Linear computes y = x·W + b with W stored In×Out, so
// the forward pass is one GEMM. SoftmaxCrossEntropy is the mean negative
// log-likelihood over rows whose target is not IgnoreIndex, computed with
// log-sum-exp for stability, with Softmax, LogSoftmax and Argmax for inference.
// Attention (additive, general or dot) weighs a masked batch of key sequences
// for each decoder step and returns the context, the average of the keys.
// Dropout is inverted dropout with its own seeded generator and a train/eval
// switch. SGD (with momentum) and Adam (optionally AdamW) step a []*Param and are
// lazy on sparse tables; ClipGradNorm rescales by the global L2 norm. The Init*
// helpers draw from a caller's *rand.Rand, so a seed determines the model.
//
// # Model files
//
// Save and Load put a model in one safetensors file: F64 tensors named by path
// (encoder.l0.fwd.W), with __metadata__ holding format_version, a SHA-256
// checksum of the content and the caller's JSON entries (config, vocabularies,
// labels). The file is written to a temporary file and renamed, and a truncated
// or altered file is an error (ErrCorrupt, ErrVersion, ErrMismatch), never a panic.
//
// # Speed
//
// The products dominate. kernel4x8 (amd64 with AVX2 and FMA) computes 4×8 blocks
// of C in registers from packed panels of A and B; other CPUs use gonum. Both
// paths are tested against PyTorch. `nlp bench lstm` (internal/speed) times a
// layer with the shapes of PyTorch's reference script; see BENCHMARKS.md.
package nn
