package models

import (
	"testing"

	"github.com/nlp-go/nlp/tagger"
)

// TestEmbeddedTaggerGold tags the first 300 sentences of EWT dev (a copy in
// tagger/testdata) with the embedded model. The floors sit a little under what
// the shipped model measures on this slice (see BENCHMARKS.md), so a model that
// got worse fails here.
func TestEmbeddedTaggerGold(t *testing.T) {
	m, err := Tagger()
	if err != nil {
		t.Fatal(err)
	}
	gold, err := tagger.ReadCoNLLUFile("../tagger/testdata/ewt-dev-slice.conllu")
	if err != nil {
		t.Fatal(err)
	}
	ev := m.Evaluate(gold)
	t.Logf("EWT dev slice: %d tokens, UPOS %.2f%%, XPOS %.2f%%, unseen words %d: UPOS %.2f%%",
		ev.Tokens, 100*ev.UPOS, 100*ev.XPOS, ev.OOVTokens, 100*ev.OOVUPOS)
	// The shipped model measures UPOS 96.72%, XPOS 96.29% on this slice.
	const floorUPOS, floorXPOS = 0.964, 0.961
	if ev.UPOS < floorUPOS || ev.XPOS < floorXPOS {
		t.Errorf("UPOS %.4f, XPOS %.4f: below the floors %.4f, %.4f", ev.UPOS, ev.XPOS, floorUPOS, floorXPOS)
	}
}

// TestBuiltinLanguage: the built-in models are English; their files predate
// the language in metadata, so loading adds it.
func TestBuiltinLanguage(t *testing.T) {
	tm, err := Tagger()
	if err != nil {
		t.Fatal(err)
	}
	cm, err := Classifier()
	if err != nil {
		t.Fatal(err)
	}
	if tm.Language() != "en" || cm.Language != "en" {
		t.Errorf("built-in tagger %q, classifier %q, want en", tm.Language(), cm.Language)
	}
}
