package models

import (
	_ "embed"
	"sync"

	"github.com/nlp-go/nlp/tagger"
)

// taggerFile is the default English part-of-speech tagger: word2vec vectors
// (skip-gram on the full corpus, `make vectors`), trainable word vectors and a
// character BiLSTM (2×100) feeding a BiLSTM (2×128) with UPOS and XPOS heads,
// trained on UD English EWT train with early stopping on EWT dev, and towards
// the probabilities of an ensemble of taggers on EWT train and unlabelled IMDB
// reviews (distillation in two rounds, BENCHMARKS.md).
// `make model-tagger` rebuilds it from ../shared/data.
//
//go:embed tagger-en-ewt.model
var taggerFile []byte

var (
	taggerOnce  sync.Once
	taggerModel *tagger.Model
	taggerErr   error
)

// TaggerLanguage is the language of the embedded tagger (ISO 639-1), which
// its file, written before model files recorded one, lacks: Tagger sets it
// on the model, as should any code that decodes TaggerBytes itself.
const TaggerLanguage = "en"

// TaggerBytes returns the embedded tagger model file.
func TaggerBytes() []byte { return taggerFile }

// Tagger returns a copy of the embedded English tagger (decoded once; each
// call returns a Clone with its own buffers, for use on its own goroutine).
func Tagger() (*tagger.Model, error) {
	taggerOnce.Do(func() {
		taggerModel, taggerErr = tagger.LoadBytes(taggerFile)
		if taggerErr == nil && taggerModel.Language() == "" {
			taggerModel.SetLanguage(TaggerLanguage)
		}
	})
	if taggerErr != nil {
		return nil, taggerErr
	}
	return taggerModel.Clone(), nil
}
