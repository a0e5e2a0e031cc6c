// Package nn holds the arithmetic of the toolkit: recurrent layers and what
// surrounds them, on gonum's float64 BLAS, with backpropagation written by hand.
package nn
