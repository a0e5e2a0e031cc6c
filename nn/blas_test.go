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
	for _, sh := range [][3]int{{3, 5, 7}, {64, 192, 10}, {65, 193, 9}, {130, 400, 33}, {1, 512, 128}} {
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
				gemm(ta, tb, m, n, k, 2, a, lda, b, ldb, 0.5, c, n)
				for i := range c {
					if d := c[i] - want[i]; d > 1e-9 || d < -1e-9 {
						t.Fatalf("%v ta=%v tb=%v: c[%d] = %g, want %g", sh, ta, tb, i, c[i], want[i])
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
		b.Run(fmt.Sprintf("%v%v/%dx%dx%d", s.ta, s.tb, s.m, s.n, s.k), func(b *testing.B) {
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
			for i := 0; i < b.N; i++ {
				gemm(s.ta, s.tb, s.m, s.n, s.k, 1, a, lda, bb, ldb, 1, c, s.n)
			}
			b.ReportMetric(2*float64(s.m*s.n*s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
