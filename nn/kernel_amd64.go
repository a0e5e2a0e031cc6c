package nn

// Declarations of the assembly in kernel_amd64.s.

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)

// kernel4x8 writes (acc false) or adds (acc true) the product of a packed k×4
// panel of A (transposed) and a packed k×8 panel of B to the 4×8 block of C at c
// (row stride ldc elements).
//
//go:noescape
func kernel4x8(k int, a, b, c *float64, ldc int, acc bool)

// hasAVX2FMA reports whether the CPU and the OS support AVX2 and FMA3.
func hasAVX2FMA() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return false
	}
	// The OS must save the YMM registers on context switches (XCR0 bits 1 and 2).
	if xcr0, _ := xgetbv(); xcr0&6 != 6 {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	const avx2 = 1 << 5
	return ebx7&avx2 != 0
}

// kernelAvailable says whether kernel4x8 can run here; useKernel whether it does
// (tests switch it off to exercise the gonum path).
var (
	kernelAvailable = hasAVX2FMA()
	useKernel       = kernelAvailable
)

// sigmoid4 sets x[i] = σ(x[i]) for the first n elements, n a multiple of 4.
//
//go:noescape
func sigmoid4(x *float64, n int)

// tanh4 sets dst[i] = tanh(src[i]) for the first n elements, n a multiple of 4.
//
//go:noescape
func tanh4(dst, src *float64, n int)

// kernel1x8 writes (acc false) or adds (acc true) the product of one row a of k
// contiguous values and a packed k×8 panel of B to c[0:8].
//
//go:noescape
func kernel1x8(k int, a, b, c *float64, acc bool)
