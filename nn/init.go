package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// InitUniform fills p.Value, row-major, with draws from U(−bound, bound) taken
// from rng. The same rng state and shape always give the same values, so a model
// built from a seed is reproducible.
func InitUniform(p *Param, rng *rand.Rand, bound float64) {
	if bound < 0 || math.IsNaN(bound) {
		panic(fmt.Sprintf("nn: InitUniform %s: bad bound %v", p.Name, bound))
	}
	p.Changed()
	for i := range p.Value {
		p.Value[i] = bound * (2*rng.Float64() - 1)
	}
}

// InitRecurrent is PyTorch's default for the weights and biases of RNN, LSTM
// and GRU layers: U(−1/√hidden, 1/√hidden).
func InitRecurrent(p *Param, rng *rand.Rand, hidden int) {
	if hidden <= 0 {
		panic(fmt.Sprintf("nn: InitRecurrent %s: hidden %d must be positive", p.Name, hidden))
	}
	InitUniform(p, rng, 1/math.Sqrt(float64(hidden)))
}

// InitXavier is Glorot's uniform initialisation, U(−a, a) with
// a = √(6/(fanIn+fanOut)), for a weight stored In×Out as Linear stores it
// (fanIn = Rows, fanOut = Cols). It keeps the variance of activations and of
// gradients roughly constant from layer to layer.
func InitXavier(p *Param, rng *rand.Rand) {
	if p.Rows+p.Cols == 0 {
		return
	}
	InitUniform(p, rng, math.Sqrt(6/float64(p.Rows+p.Cols)))
}

// InitNormal fills p.Value, row-major, with draws from N(mean, std²) taken from rng.
func InitNormal(p *Param, rng *rand.Rand, mean, std float64) {
	if std < 0 || math.IsNaN(std) {
		panic(fmt.Sprintf("nn: InitNormal %s: bad std %v", p.Name, std))
	}
	p.Changed()
	for i := range p.Value {
		p.Value[i] = mean + std*rng.NormFloat64()
	}
}
