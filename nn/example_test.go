package nn_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/nlp-go/nlp/nn"
)

// A many-to-one classifier from the package's parts: embeddings feed a
// bidirectional LSTM whose final states go through a linear layer to a softmax.
// The task needs memory: does the token 0 occur anywhere in the sequence?
func ExampleEncoder() {
	const vocab, dim, hidden, batch, maxLen = 5, 8, 8, 32, 10
	rng := rand.New(rand.NewPCG(1, 2))
	emb := nn.NewEmbedding("emb", vocab, dim, rng)
	enc, err := nn.NewEncoder(nn.EncoderConfig{Cell: "lstm", Input: dim, Hidden: hidden, Bidirectional: true}, "enc", rng)
	if err != nil {
		panic(err)
	}
	out := nn.NewLinear("out", enc.Output(), 2, rng)
	params := append(append(emb.Params(), enc.Params()...), out.Params()...)
	opt := nn.NewAdam(0.02)

	// Buffers, reused across batches.
	ids := make([]int, maxLen*batch)
	x := make([]float64, maxLen*batch*dim)
	final := make([]float64, batch*enc.Output())
	logits := make([]float64, batch*2)
	dLogits := make([]float64, batch*2)
	dFinal := make([]float64, batch*enc.Output())
	labels := make([]int, batch)
	pred := make([]int, batch)

	// makeBatch draws sequences of 2–10 tokens laid out time-major, padded with PadID.
	makeBatch := func(data *rand.Rand) nn.Batch {
		bt := nn.Batch{Steps: maxLen, Lengths: make([]int, batch)}
		for b := range bt.Lengths {
			n := 2 + data.IntN(maxLen-1)
			bt.Lengths[b], labels[b] = n, 0
			for t := 0; t < maxLen; t++ {
				id := nn.PadID
				if t < n {
					id = 1 + data.IntN(vocab-1)
					if data.IntN(8) == 0 {
						id = 0
					}
					if id == 0 {
						labels[b] = 1
					}
				}
				ids[t*batch+b] = id
			}
		}
		return bt
	}
	forward := func(bt nn.Batch) {
		emb.Forward(x, ids)
		enc.Forward(x, bt)
		enc.Final(final)
		out.Forward(logits, final)
	}

	data := rand.New(rand.NewPCG(3, 4))
	for step := 0; step < 300; step++ {
		bt := makeBatch(data)
		forward(bt)
		nn.ZeroGrad(params)
		nn.SoftmaxCrossEntropy(dLogits, logits, 2, labels)
		out.Backward(dFinal, final, dLogits)
		dx := enc.Backward(nil, dFinal)
		emb.Backward(ids, dx)
		nn.ClipGradNorm(params, 5)
		opt.Step(params)
	}

	correct, total := 0, 0
	test := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 20; i++ {
		forward(makeBatch(test))
		nn.Argmax(pred, logits, 2)
		for b := range pred {
			if pred[b] == labels[b] {
				correct++
			}
			total++
		}
	}
	fmt.Printf("accuracy on new sequences: %.2f\n", float64(correct)/float64(total))
	// Output: accuracy on new sequences: 1.00
}

// The lecture's point in numbers: 50 steps back from a loss on the last step,
// the vanilla RNN's gradient has all but vanished while the LSTM's has not.
func ExampleGradientFlow() {
	res, err := nn.GradientFlow(nn.GradFlowConfig{Cells: []string{"rnn", "lstm"}, Steps: 100, Seed: 1})
	if err != nil {
		panic(err)
	}
	for i, cell := range res.Cells {
		fmt.Printf("%-4s |dL/dh| 50 steps back: %.1e\n", cell, res.Norms[i][50])
	}
	// Output:
	// rnn  |dL/dh| 50 steps back: 4.2e-16
	// lstm |dL/dh| 50 steps back: 4.8e-06
}

func ExampleNewCell() {
	for _, name := range nn.CellNames() {
		c, _ := nn.NewCell(name)
		fmt.Printf("%-8s gates=%d memory=%v\n", c.Name(), c.Gates(), c.Memory())
	}
	// Output:
	// gru      gates=3 memory=false
	// lstm     gates=4 memory=true
	// nig      gates=3 memory=true
	// peephole gates=4 memory=true
	// rnn      gates=1 memory=false
}
