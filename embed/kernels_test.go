package embed

import (
	"fmt"
	"math"
	"testing"
)

func TestKernels(t *testing.T) {
	impls := []struct {
		name string
		dot  func(x, y []float32) float32
		axpy func(a float32, x, y []float32)
	}{{"dispatch", dot32, axpy32}, {"generic", dotGeneric, axpyGeneric}}
	for _, im := range impls {
		for _, n := range []int{0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 24, 25, 31, 32, 33, 100, 301} {
			dot32, axpy32 := im.dot, im.axpy
			t.Run(fmt.Sprint(im.name, "/", n), func(t *testing.T) {
				x, y := make([]float32, n), make([]float32, n)
				var want float64
				for i := range x {
					x[i], y[i] = float32(i%7)-3, float32(i%5)*0.5
					want += float64(x[i]) * float64(y[i])
				}
				if got := dot32(x, y); math.Abs(float64(got)-want) > 1e-3 {
					t.Errorf("dot32 = %v, want %v", got, want)
				}
				y0 := append([]float32(nil), y...)
				axpy32(2, x, y)
				for i := range y {
					if y[i] != y0[i]+2*x[i] {
						t.Fatalf("axpy32[%d] = %v, want %v", i, y[i], y0[i]+2*x[i])
					}
				}
			})
		}
	}
}

func BenchmarkDot32(b *testing.B) {
	for _, n := range []int{50, 100, 300} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			x, y := make([]float32, n), make([]float32, n)
			var s float32
			for b.Loop() {
				s += dot32(x, y)
			}
			_ = s
		})
	}
}

func BenchmarkAxpy32(b *testing.B) {
	for _, n := range []int{50, 100, 300} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			x, y := make([]float32, n), make([]float32, n)
			for b.Loop() {
				axpy32(0.5, x, y)
			}
		})
	}
}
