package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/nlp-go/nlp/datasets/conllu"
)

// TestWriteLongSentence checks that a sentence longer than writePart, written
// in parts, comes out as a whole sentence would, and that a bad form in any
// part is refused before anything of the sentence is written.
func TestWriteLongSentence(t *testing.T) {
	for _, n := range []int{writePart, writePart + 1, 2*writePart + 7} {
		s := &Sentence{Text: "long", Tokens: make([]Token, n)}
		want := conllu.Sentence{Comments: []string{"# sent_id = 1", "# text = long"}, Tokens: make([]conllu.Token, n)}
		for i := range s.Tokens {
			s.Tokens[i] = Token{Form: fmt.Sprintf("w%d", i), UPOS: "NOUN"}
			want.Tokens[i] = conllu.Token{Kind: conllu.Word, ID: strconv.Itoa(i + 1), Form: s.Tokens[i].Form,
				Lemma: "_", UPOS: "NOUN", XPOS: "_", Feats: "_", Head: "_", Deprel: "_", Deps: "_", Misc: "_"}
		}
		var got, exp bytes.Buffer
		w, err := NewWriter(&got, OutputCoNLLU)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(&Document{Sentences: []*Sentence{s}}); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		cw := conllu.NewWriter(&exp)
		if err := cw.Write(&want); err != nil {
			t.Fatal(err)
		}
		if err := cw.Flush(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), exp.Bytes()) {
			t.Errorf("%d tokens: written in parts, %d bytes differ from the whole sentence's %d", n, got.Len(), exp.Len())
		}

		s.Tokens[n-1].Form = "a\tb"
		got.Reset()
		w, _ = NewWriter(&got, OutputCoNLLU)
		err = w.Write(&Document{Sentences: []*Sentence{s}})
		w.Flush()
		if !errors.Is(err, conllu.ErrBadField) || got.Len() != 0 {
			t.Errorf("%d tokens, a tab in the last form: error %v, %d bytes written", n, err, got.Len())
		}
	}
}
