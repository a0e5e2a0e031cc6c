package tagger_test

import (
	"context"
	"fmt"
	"os"

	"github.com/nlp-go/nlp/embed"
	"github.com/nlp-go/nlp/tagger"
	"github.com/nlp-go/nlp/train"
)

// Train a tagger on a treebank with word2vec vectors, keep the best epoch on
// dev, and save it with a checkpoint to resume from.
func ExampleTrain() {
	trainSet, err := tagger.ReadCoNLLUFile("en_ewt-ud-train.conllu")
	if err != nil {
		fmt.Println(err)
		return
	}
	dev, err := tagger.ReadCoNLLUFile("en_ewt-ud-dev.conllu")
	if err != nil {
		fmt.Println(err)
		return
	}
	vecs, err := embed.Load("vectors-full.bin")
	if err != nil {
		fmt.Println(err)
		return
	}
	// The best model goes to en.tagger at every improvement, the checkpoint
	// to en.tagger.ckpt after every epoch; an interrupted run continues from it.
	run := train.Options{Out: "en.tagger", Checkpoint: "en.tagger.ckpt", Resume: true,
		Evaluated: func(e train.Eval) {
			fmt.Fprintf(os.Stderr, "epoch %d: loss %.4f, dev UPOS %.2f%%\n", e.Epoch, e.Loss, 100*e.Metrics[tagger.MetricUPOS])
		}}
	m, rep, err := tagger.Train(context.Background(), tagger.Config{Seed: 1}, trainSet, dev, vecs, tagger.WithTraining(run))
	if err != nil {
		fmt.Println(err)
		return
	}
	ev := m.Evaluate(dev)
	fmt.Printf("best epoch %d: UPOS %.2f%%, XPOS %.2f%%\n", rep.BestEpoch, 100*ev.UPOS, 100*ev.XPOS)
}

// Tag a CoNLL-U file, keeping every column but UPOS and XPOS as it was.
func ExampleModel_TagStream() {
	m, err := tagger.Load("en.tagger")
	if err != nil {
		fmt.Println(err)
		return
	}
	in, err := os.Open("input.conllu")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer in.Close()
	if _, err := m.TagStream(in, os.Stdout, tagger.StreamConfig{Name: "input.conllu"}); err != nil {
		fmt.Println(err)
	}
}

// Tag sentences already split into words.
func ExampleModel_Tag() {
	m, err := tagger.Load("en.tagger")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range m.Tag([][]string{{"The", "dog", "barked", "."}}) {
		fmt.Println(t.UPOS, t.XPOS)
	}
}
