package models

import (
	_ "embed"
	"sync"

	"github.com/nlp-go/nlp/translate"
)

// translatorFile is the default German→English translation model: the
// default configuration of `nlp translate train` (a bidirectional GRU encoder
// 2×256 over byte-pair units, general attention with input feeding, a GRU
// decoder 512) trained on Multi30k train, the weights kept by greedy BLEU on
// Multi30k val after every epoch. `make model-translate` rebuilds it from
// ../shared/data (BENCHMARKS.md, translate).
//
//go:embed translate-de-en.model
var translatorFile []byte

var (
	translatorOnce  sync.Once
	translatorModel *translate.Model
	translatorErr   error
)

// TranslatorBytes returns the embedded German→English model file.
func TranslatorBytes() []byte { return translatorFile }

// Translator returns a copy of the embedded German→English model (decoded
// once; each call returns a Clone, for use on its own goroutine).
func Translator() (*translate.Model, error) {
	translatorOnce.Do(func() {
		translatorModel, translatorErr = translate.LoadBytes(translatorFile)
	})
	if translatorErr != nil {
		return nil, translatorErr
	}
	return translatorModel.Clone(), nil
}
