//go:build !amd64

package nn

// Without the amd64 kernel every product goes through gonum.
var (
	kernelAvailable = false
	useKernel       = false
)

func kernel4x8(k int, a, b, c *float64, ldc int, acc bool) {
	panic("nn: no kernel on this architecture")
}

func sigmoid4(x *float64, n int)     { panic("nn: no vector activations on this architecture") }
func tanh4(dst, src *float64, n int) { panic("nn: no vector activations on this architecture") }

func kernel1x8(k int, a, b, c *float64, acc bool) { panic("nn: no kernel on this architecture") }
