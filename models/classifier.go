package models

import (
	_ "embed"
	"sync"

	"github.com/nlp-go/nlp/classify"
)

// classifierFile is the default sentiment model (SST-2): a classify model (a
// GRU read to its last state over our word2vec vectors, 40,000 words) trained
// on every distinct non-neutral phrase of the Stanford Sentiment Treebank's
// training trees (77,616 phrases, labels 0–1 negative, 3–4 positive) with
// early stopping on the SST-2 dev sentences, where it scores 88.19%; labels 0
// and 1 shown as negative and positive. `make model-classifier` rebuilds it
// from ../shared/data (see the Makefile target for the exact command).
//
//go:embed classifier.safetensors
var classifierFile []byte

// classifierSST5File is the five-class sentiment model (SST-5): a
// bidirectional GRU of width 64 with max-pooling over time, on the same
// vectors, trained on every distinct phrase of the training trees (159,274,
// labels 0..4 shown as very-negative .. very-positive): 52.32% on the 1,101
// dev trees' sentences. `make model-classifier-sst5` rebuilds it.
//
//go:embed classifier-sst5.safetensors
var classifierSST5File []byte

// embedded decodes an embedded classifier once and hands out clones.
type embedded struct {
	file  []byte
	once  sync.Once
	model *classify.Model
	err   error
}

func (e *embedded) get() (*classify.Model, error) {
	e.once.Do(func() {
		e.model, e.err = classify.LoadBytes(e.file)
		if e.err == nil && e.model.Language == "" {
			e.model.Language = ClassifierLanguage
		}
	})
	if e.err != nil {
		return nil, e.err
	}
	return e.model.Clone(), nil
}

var (
	sst2 = &embedded{file: classifierFile}
	sst5 = &embedded{file: classifierSST5File}
)

// ClassifierLanguage is the language of the embedded sentiment models (ISO
// 639-1), which their files may lack: Classifier and ClassifierSST5 set it on
// the model, as should any code that decodes ClassifierBytes itself.
const ClassifierLanguage = "en"

// ClassifierBytes returns the embedded sentiment model file.
func ClassifierBytes() []byte { return classifierFile }

// Classifier returns a fresh copy of the embedded sentiment model (decoded once;
// each call returns a Clone with its own buffers, safe to use on its own goroutine).
func Classifier() (*classify.Model, error) { return sst2.get() }

// ClassifierSST5 returns a fresh copy of the embedded five-class sentiment
// model, as Classifier does.
func ClassifierSST5() (*classify.Model, error) { return sst5.get() }
