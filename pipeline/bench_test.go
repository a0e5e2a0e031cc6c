package pipeline

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

// BenchmarkRun measures the runner alone: items through a trivial stage, so that
// what is timed is batching, the channels and the reassembly.
func BenchmarkRun(b *testing.B) {
	for _, workers := range []int{1, 2, 4} {
		for _, batch := range []int{1, 64} {
			b.Run(fmt.Sprintf("workers=%d/batch=%d", workers, batch), func(b *testing.B) {
				b.ReportAllocs()
				double := Map(func(_ context.Context, x int) (int, error) { return 2 * x, nil })
				sink := SinkFunc[int](func(int) error { return nil })
				b.ResetTimer()
				if err := Run(context.Background(), &intSource{n: b.N}, double, sink, Config{Workers: workers, Batch: batch}); err != nil {
					b.Fatal(err)
				}
			})
		}
	}
}

// BenchmarkChain measures the built-in chain (segment, tag, classify) with the
// embedded models on the test reviews, in tokens per second.
func BenchmarkChain(b *testing.B) {
	tm, cm := loadModels(b)
	data, err := os.ReadFile("testdata/reviews.txt")
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat(string(data), 20)
	for _, serial := range []bool{true, false} {
		b.Run(fmt.Sprintf("serial=%v", serial), func(b *testing.B) {
			tag, cls := Tag(tm), Classify(cm)
			if serial {
				tag, cls = Serial(tag), Serial(cls)
			}
			chain := Chain(Segment(SegmentConfig{}), tag, cls)
			b.ReportAllocs()
			tokens := 0
			for b.Loop() {
				src, _ := NewReader(strings.NewReader(text), ReadConfig{})
				sink := SinkFunc[*Document](func(d *Document) error { tokens += d.Tokens(); return nil })
				if err := Run(context.Background(), src, chain, sink, Config{Batch: 512, BatchSize: 16 << 10}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}
