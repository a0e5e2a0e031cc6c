package models

import (
	"testing"

	"github.com/nlp-go/nlp/translate"
	"github.com/nlp-go/nlp/translate/bleu"
)

// TestEmbeddedTranslator translates the first 100 sentences of Multi30k val
// (a copy in testdata) with the embedded German→English model, greedy. The
// floor sits a little under what the shipped model measures on this slice,
// so a model that got worse fails here.
func TestEmbeddedTranslator(t *testing.T) {
	m, err := Translator()
	if err != nil {
		t.Fatal(err)
	}
	p, err := translate.ReadParallel("testdata/multi30k-val-100.de", "testdata/multi30k-val-100.en")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := translate.NewTranslator(m, translate.DecodeOptions{Beam: 1})
	if err != nil {
		t.Fatal(err)
	}
	var acc bleu.Accumulator
	for i, h := range tr.Translate(p.Src) {
		acc.Add(bleu.Tokenize(h), bleu.Tokenize(p.Tgt[i]))
	}
	s := acc.Score()
	t.Logf("Multi30k val, first 100 sentences, greedy: %v", s)
	// The shipped model measures BLEU 22.94 on this slice.
	const floor = 21.5
	if s.BLEU < floor {
		t.Errorf("BLEU %.2f, below the floor %.2f", s.BLEU, floor)
	}
}
