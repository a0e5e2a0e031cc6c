package generate

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// benchText is a pseudo-text of about n characters.
func benchText(n int) []string {
	words := strings.Fields("to be or not to that is the question whether tis nobler in mind suffer slings arrows outrageous fortune")
	var lines []string
	var b strings.Builder
	for i := 0; n > 0; i++ {
		w := words[(i*7+i/3)%len(words)]
		b.WriteString(w)
		n -= len(w) + 1
		if b.Len() > 40+i%20 {
			lines = append(lines, b.String())
			b.Reset()
		} else {
			b.WriteByte(' ')
		}
	}
	return lines
}

// BenchmarkTrainStep measures training steps of the model (2×256 LSTM,
// 64 streams × 100 characters): see b.N steps, chars/s reported.
func BenchmarkTrainStep(b *testing.B) {
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
			text := benchText(400_000)
			cfg := Config{Steps: b.N, ValidEvery: 1 << 30, Threads: threads}
			b.ReportAllocs()
			b.ResetTimer()
			_, rep, err := Train(context.Background(), cfg, text, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(rep.CharsPerSecond, "chars/s")
		})
	}
}
