package nn

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestGemmTilesMatchNaive checks the tiled product against a plain triple loop
// for every transpose combination and shapes that straddle the tile edges.
func TestGemmTilesMatchNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	if !useKernel {
		t.Log("no AVX2/FMA: the packed kernel falls back to gonum")
	}
	for _, sh := range [][3]int{{3, 5, 7}, {4, 8, 1}, {5, 9, 3}, {64, 192, 10}, {65, 193, 9}, {130, 400, 33}, {1, 512, 128}, {32, 512, 128}, {2, 20, 7}, {3, 17, 5}, {1, 8, 1}} {
		for _, ta := range []bool{false, true} {
			for _, tb := range []bool{false, true} {
				m, n, k := sh[0], sh[1], sh[2]
				a, b := randomSlice(rng, m*k), randomSlice(rng, k*n)
				c := randomSlice(rng, m*n)
				want := append([]float64(nil), c...)
				lda, ldb := k, n
				if ta {
					lda = m
				}
				if tb {
					ldb = k
				}
				for i := 0; i < m; i++ {
					for j := 0; j < n; j++ {
						s := 0.0
						for l := 0; l < k; l++ {
							ai, bi := i*lda+l, l*ldb+j
							if ta {
								ai = l*lda + i
							}
							if tb {
								bi = j*ldb + l
							}
							av, bv := a[ai], b[bi]
							s += av * bv
						}
						want[i*n+j] = 0.5*want[i*n+j] + 2*s
					}
				}
				c2 := append([]float64(nil), c...)
				gemm(ta, tb, m, n, k, 2, a, lda, b, ldb, 0.5, c, n)
				for i := range c {
					if d := c[i] - want[i]; d > 1e-9 || d < -1e-9 {
						t.Fatalf("%v ta=%v tb=%v: c[%d] = %g, want %g", sh, ta, tb, i, c[i], want[i])
					}
				}
				// The packed kernel (alpha 1): 2·op(a)·op(b) is op(a)·op(2b).
				b2 := append([]float64(nil), b...)
				for i := range b2 {
					b2[i] *= 2
				}
				var g gemmer
				g.mul(ta, tb, m, n, k, a, lda, b2, ldb, 0.5, c2, n)
				for i := range c2 {
					if d := c2[i] - want[i]; d > 1e-9 || d < -1e-9 {
						t.Fatalf("packed %v ta=%v tb=%v: c[%d] = %g, want %g", sh, ta, tb, i, c2[i], want[i])
					}
				}
			}
		}
	}
}

func BenchmarkGemm(b *testing.B) {
	for _, s := range []struct {
		ta, tb  bool
		m, n, k int
	}{
		{false, false, 800, 512, 100}, {false, false, 32, 512, 128}, {false, true, 32, 128, 512},
		{true, false, 100, 512, 800}, {true, false, 128, 512, 800}, {false, true, 800, 100, 512},
	} {
		for _, packed := range []bool{false, true} {
			b.Run(fmt.Sprintf("packed=%v/%v%v/%dx%dx%d", packed, s.ta, s.tb, s.m, s.n, s.k), func(b *testing.B) {
				rng := rand.New(rand.NewPCG(1, 1))
				a, bb, c := randomSlice(rng, s.m*s.k), randomSlice(rng, s.k*s.n), make([]float64, s.m*s.n)
				lda, ldb := s.k, s.n
				if s.ta {
					lda = s.m
				}
				if s.tb {
					ldb = s.k
				}
				b.ReportAllocs()
				var g gemmer
				for i := 0; i < b.N; i++ {
					if packed {
						g.mul(s.ta, s.tb, s.m, s.n, s.k, a, lda, bb, ldb, 1, c, s.n)
					} else {
						gemm(s.ta, s.tb, s.m, s.n, s.k, 1, a, lda, bb, ldb, 1, c, s.n)
					}
				}
				b.ReportMetric(2*float64(s.m*s.n*s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
