package generate_test

import (
	"context"
	"fmt"
	"math"

	"github.com/nlp-go/nlp/generate"
)

// A small LSTM learns a nursery rhyme and writes it back.
func Example() {
	var text []string
	for i := 0; i < 50; i++ {
		text = append(text, "mary had a little lamb", "its fleece was white as snow")
	}
	cfg := generate.Config{Hidden: 32, Layers: 1, Embed: 8, BatchSize: 4, BPTT: 16, Steps: 300, LR: 0.01, Seed: 1}
	m, rep, err := generate.Train(context.Background(), cfg, text, text[:4])
	if err != nil {
		fmt.Println(err)
		return
	}
	// Uniform guessing scores ln V nats per character.
	fmt.Printf("validation loss below a tenth of uniform: %v\n", rep.BestValid < math.Log(float64(m.Classes()))/10)
	lines, err := m.Generate(generate.SampleConfig{Lines: 2, Greedy: true, Prime: "mary"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range lines {
		fmt.Println(l)
	}
	// Output:
	// validation loss below a tenth of uniform: true
	// mary had a little lamb
	// its fleece was white as snow
}
