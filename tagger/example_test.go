package tagger_test

import (
	"fmt"
	"os"

	"github.com/nlp-go/nlp/embed"
	"github.com/nlp-go/nlp/tagger"
)

// Train a tagger on a treebank with word2vec vectors, keep the best epoch on
// dev, and save it with a checkpoint to resume from.
func ExampleTrain() {
	train, err := tagger.ReadCoNLLUFile("en_ewt-ud-train.conllu")
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
	m, rep, err := tagger.Train(tagger.Config{Seed: 1}, train, dev, vecs,
		tagger.WithOutput("en.tagger", true), tagger.WithProgress(os.Stderr))
	if err != nil {
		fmt.Println(err)
		return
	}
	ev := m.Evaluate(dev)
	fmt.Printf("best epoch %d: UPOS %.2f%%, XPOS %.2f%%\n", rep.BestEpoch, 100*ev.UPOS, 100*ev.XPOS)
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
