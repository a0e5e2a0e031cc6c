package nn

import (
	"fmt"
	"math"
)

// IgnoreIndex is the target of a row that carries no loss, such as a padding
// position of a ragged batch: SoftmaxCrossEntropy skips it and gives it a zero
// gradient.
const IgnoreIndex = -1

// SoftmaxCrossEntropy is the mean negative log-likelihood of the targets under
// the row-wise softmax of logits:
//
//	loss = −(1/n) Σ_{i: targets[i] ≠ IgnoreIndex} log softmax(logits_i)[targets[i]]
//
// where logits is N×classes row-major and n counts the rows whose target is not
// IgnoreIndex; it returns the loss and n (loss 0 when n is 0). The log-sum-exp is
// taken after subtracting each row's maximum, so large logits neither overflow
// nor lose the loss to rounding.
//
// When dLogits is not nil it receives ∂loss/∂logits = (softmax(logits_i) −
// onehot(targets[i]))/n, and zero on ignored rows. dLogits may be logits itself.
// A target outside [0, classes) other than IgnoreIndex is a programming error
// and panics.
func SoftmaxCrossEntropy(dLogits, logits []float64, classes int, targets []int) (loss float64, n int) {
	rows := checkRows("SoftmaxCrossEntropy", logits, classes)
	if len(targets) != rows {
		panic(fmt.Sprintf("nn: SoftmaxCrossEntropy: %d targets for %d rows", len(targets), rows))
	}
	if dLogits != nil && len(dLogits) != len(logits) {
		panic(fmt.Sprintf("nn: SoftmaxCrossEntropy: dLogits length %d, want %d", len(dLogits), len(logits)))
	}
	for i, t := range targets {
		switch {
		case t == IgnoreIndex:
		case t < 0 || t >= classes:
			panic(fmt.Sprintf("nn: SoftmaxCrossEntropy: target %d at row %d outside [0, %d)", t, i, classes))
		default:
			n++
		}
	}
	// The gradient is scaled by 1/n, so n must be known before the first row.
	inv := 0.0
	if n > 0 {
		inv = 1 / float64(n)
	}
	for i, t := range targets {
		row := logits[i*classes : (i+1)*classes]
		if t == IgnoreIndex {
			if dLogits != nil {
				clear(dLogits[i*classes : (i+1)*classes])
			}
			continue
		}
		m, logS := logSumExp(row)
		// −log softmax_t = log Σ exp(row) − row_t, kept apart from m so that large
		// logits lose no precision.
		loss += (m - row[t]) + logS
		if dLogits != nil {
			d := dLogits[i*classes : (i+1)*classes]
			scale := inv / math.Exp(logS)
			for j, v := range row {
				d[j] = math.Exp(v-m) * scale
			}
			d[t] -= inv
		}
	}
	return loss * inv, n
}

// SoftCrossEntropy is the cross-entropy of target distributions under the
// row-wise softmax of logits (N×classes):
//
//	loss = −(1/n) Σ_i Σ_j targets[i,j] log softmax(logits_i)[j]
//
// where targets is N×classes too and n counts the rows whose targets are not all
// zero (a row of zeros, such as padding, carries no loss); it returns the loss
// and n. Targets mixing a one-hot gold label with a teacher's probabilities
// train a model to match both (knowledge distillation); a one-hot row gives
// SoftmaxCrossEntropy's loss and gradient.
//
// When dLogits is not nil it receives ∂loss/∂logits = (softmax(logits_i)·Σ_j
// targets[i,j] − targets_i)/n, and zero on ignored rows. dLogits may be logits.
func SoftCrossEntropy(dLogits, logits []float64, classes int, targets []float64) (loss float64, n int) {
	rows := checkRows("SoftCrossEntropy", logits, classes)
	if len(targets) != len(logits) {
		panic(fmt.Sprintf("nn: SoftCrossEntropy: %d targets for %d logits", len(targets), len(logits)))
	}
	if dLogits != nil && len(dLogits) != len(logits) {
		panic(fmt.Sprintf("nn: SoftCrossEntropy: dLogits length %d, want %d", len(dLogits), len(logits)))
	}
	mass := func(i int) float64 {
		s := 0.0
		for _, q := range targets[i*classes : (i+1)*classes] {
			s += q
		}
		return s
	}
	for i := 0; i < rows; i++ {
		if mass(i) != 0 {
			n++
		}
	}
	inv := 0.0
	if n > 0 {
		inv = 1 / float64(n)
	}
	for i := 0; i < rows; i++ {
		row, q := logits[i*classes:(i+1)*classes], targets[i*classes:(i+1)*classes]
		total := mass(i)
		if total == 0 {
			if dLogits != nil {
				clear(dLogits[i*classes : (i+1)*classes])
			}
			continue
		}
		m, logS := logSumExp(row)
		// −Σ q_j log softmax_j = Σ q_j (m + log Σ exp − row_j).
		for j, v := range row {
			if q[j] != 0 {
				loss += q[j] * ((m - v) + logS)
			}
		}
		if dLogits != nil {
			d := dLogits[i*classes : (i+1)*classes]
			scale := total * inv / math.Exp(logS)
			for j, v := range row {
				d[j] = math.Exp(v-m)*scale - q[j]*inv
			}
		}
	}
	return loss * inv, n
}

// Softmax writes the row-wise softmax of logits (N×classes) into dst, which may
// be logits itself.
func Softmax(dst, logits []float64, classes int) {
	rows := checkRows("Softmax", logits, classes)
	if len(dst) != len(logits) {
		panic(fmt.Sprintf("nn: Softmax: dst length %d, want %d", len(dst), len(logits)))
	}
	for i := 0; i < rows; i++ {
		row := logits[i*classes : (i+1)*classes]
		m, logS := logSumExp(row)
		inv := 1 / math.Exp(logS)
		d := dst[i*classes : (i+1)*classes]
		for j, v := range row {
			d[j] = math.Exp(v-m) * inv
		}
	}
}

// LogSoftmax writes the row-wise log-softmax of logits (N×classes) into dst,
// which may be logits itself.
func LogSoftmax(dst, logits []float64, classes int) {
	rows := checkRows("LogSoftmax", logits, classes)
	if len(dst) != len(logits) {
		panic(fmt.Sprintf("nn: LogSoftmax: dst length %d, want %d", len(dst), len(logits)))
	}
	for i := 0; i < rows; i++ {
		row := logits[i*classes : (i+1)*classes]
		m, logS := logSumExp(row)
		d := dst[i*classes : (i+1)*classes]
		for j, v := range row {
			d[j] = (v - m) - logS
		}
	}
}

// Argmax writes into dst[i] the index of the largest value of row i of x
// (len(dst)×cols); ties go to the lowest index.
func Argmax(dst []int, x []float64, cols int) {
	rows := checkRows("Argmax", x, cols)
	if len(dst) != rows {
		panic(fmt.Sprintf("nn: Argmax: dst length %d, want %d", len(dst), rows))
	}
	for i := range dst {
		row := x[i*cols : (i+1)*cols]
		best := 0
		for j, v := range row {
			if v > row[best] {
				best = j
			}
		}
		dst[i] = best
	}
}

// logSumExp returns the maximum m of row and log Σ exp(row − m), so that
// log Σ exp(row) = m + logS with no term overflowing; logS is in [0, log len(row)].
func logSumExp(row []float64) (m, logS float64) {
	m = math.Inf(-1)
	for _, v := range row {
		if v > m {
			m = v
		}
	}
	s := 0.0
	for _, v := range row {
		s += math.Exp(v - m)
	}
	return m, math.Log(s)
}

// checkRows panics unless x holds whole rows of a positive width, and returns their number.
func checkRows(op string, x []float64, cols int) int {
	if cols <= 0 || len(x)%cols != 0 {
		panic(fmt.Sprintf("nn: %s: length %d is not a multiple of %d columns", op, len(x), cols))
	}
	return len(x) / cols
}
