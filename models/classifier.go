package models

import (
	_ "embed"
	"sync"

	"github.com/nlp-go/nlp/classify"
)

// classifierFile is the default sentiment model: a classify model (a GRU read
// to its last state over our word2vec vectors, 40,000 words) trained on SST-2
// train (stsa.binary.train) with early stopping on SST-2 dev, where it scores
// 86.24%; labels 0 and 1 shown as negative and positive.
// `make model-classifier` rebuilds it from ../shared/data (see the Makefile
// target for the exact command).
//
//go:embed classifier.safetensors
var classifierFile []byte

var (
	classifierOnce  sync.Once
	classifierModel *classify.Model
	classifierErr   error
)

// ClassifierLanguage is the language of the embedded sentiment model (ISO
// 639-1), which its file lacks: Classifier sets it on the model, as should any
// code that decodes ClassifierBytes itself.
const ClassifierLanguage = "en"

// ClassifierBytes returns the embedded sentiment model file.
func ClassifierBytes() []byte { return classifierFile }

// Classifier returns a fresh copy of the embedded sentiment model (decoded once;
// each call returns a Clone with its own buffers, safe to use on its own goroutine).
func Classifier() (*classify.Model, error) {
	classifierOnce.Do(func() {
		classifierModel, classifierErr = classify.LoadBytes(classifierFile)
		if classifierErr == nil && classifierModel.Language == "" {
			classifierModel.Language = ClassifierLanguage
		}
	})
	if classifierErr != nil {
		return nil, classifierErr
	}
	return classifierModel.Clone(), nil
}
