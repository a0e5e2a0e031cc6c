package tagger_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/nlp-go/nlp/models"
	"github.com/nlp-go/nlp/tagger"
	"github.com/nlp-go/nlp/train"
)

// Train a tagger on a treebank, keep the best epoch on dev, save it (with a
// checkpoint to resume from) and tag with the saved file. The treebank here is
// 200 sentences of EWT train and the model is tiny, so that the example runs in
// a second; a real training passes the word2vec vectors of embed.Load instead
// of nil and keeps the default sizes (Config{Seed: 1}). A model that has seen
// so little still errs: "good" is tagged as a verb.
func ExampleTrain() {
	trainSet, err := tagger.ReadCoNLLUFile("testdata/ewt-train-slice.conllu")
	if err != nil {
		fmt.Println(err)
		return
	}
	dev, err := tagger.ReadCoNLLUFile("testdata/ewt-dev-small.conllu")
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, err := os.MkdirTemp("", "tagger-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "en.tagger")

	cfg := tagger.Config{Hidden: 24, WordDim: 16, CharDim: 8, CharHidden: 12, Epochs: 12, LR: 0.01, BatchSize: 16, Seed: 1}
	// The best model goes to path at every improvement, the checkpoint to
	// path.ckpt after every epoch; with Resume an interrupted run goes on.
	run := train.Options{Out: path, Checkpoint: path + ".ckpt", Resume: true}
	_, rep, err := tagger.Train(context.Background(), cfg, trainSet, dev, nil, tagger.WithTraining(run))
	if err != nil {
		fmt.Println(err)
		return
	}
	best := rep.Best()
	fmt.Printf("best epoch %d of %d: dev UPOS %.0f%%, XPOS %.0f%%\n", rep.BestEpoch, rep.Epochs,
		100*best.Metrics[tagger.MetricUPOS], 100*best.Metrics[tagger.MetricXPOS])

	m, err := tagger.Load(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	words := []string{"The", "man", "said", "it", "was", "good", "."}
	t := m.Tag([][]string{words})[0]
	tagged := make([]string, len(words))
	for i, w := range words {
		tagged[i] = w + "/" + t.UPOS[i]
	}
	fmt.Println(strings.Join(tagged, " "))
	// Output:
	// best epoch 12 of 12: dev UPOS 71%, XPOS 62%
	// The/DET man/NOUN said/VERB it/PRON was/AUX good/VERB ./PUNCT
}

// Tag sentences already split into words with the built-in English model.
func ExampleModel_Tag() {
	m, err := models.Tagger()
	if err != nil {
		fmt.Println(err)
		return
	}
	words := []string{"The", "dog", "barked", "."}
	t := m.Tag([][]string{words})[0]
	for i, w := range words {
		fmt.Println(w, t.UPOS[i], t.XPOS[i])
	}
	// Output:
	// The DET DT
	// dog NOUN NN
	// barked VERB VBD
	// . PUNCT .
}
