package pipeline

import (
	"bytes"
	"encoding/json"
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

// TestWriteLongJSON checks that the JSON line of a sentence longer than
// writePart, written in parts, is byte for byte the line the encoder writes
// for the whole sentence: with and without id and sentiment, HTML characters
// and quotes in text and forms (not escaped), vectors.
func TestWriteLongJSON(t *testing.T) {
	for _, n := range []int{writePart + 1, 2*writePart + 7} {
		for _, withExtras := range []bool{false, true} {
			d := &Document{Index: 3}
			s := &Sentence{Text: `a <b> & "c"`, Tokens: make([]Token, n)}
			if withExtras {
				d.ID = "doc<1>"
				s.Sentiment = &Sentiment{Label: "positive", Prob: 0.9731}
			}
			for i := range s.Tokens {
				s.Tokens[i] = Token{Form: fmt.Sprintf("w<%d>\"", i), UPOS: "NOUN"}
				if i%1000 == 0 {
					s.Tokens[i].Vector = []float32{0.5, -1}
					s.Tokens[i].XPOS = "NN"
				}
			}
			d.Sentences = []*Sentence{s, {Text: "short", Tokens: []Token{{Form: "short"}}}}
			var got, exp bytes.Buffer
			w, err := NewWriter(&got, OutputJSONL)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(d); err != nil {
				t.Fatal(err)
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			enc := json.NewEncoder(&exp)
			enc.SetEscapeHTML(false)
			for i, s := range d.Sentences {
				js := jsonSentence{Doc: d.Index, ID: d.ID, Sent: i, Text: s.Text, Sentiment: s.Sentiment}
				for _, t := range s.Tokens {
					js.Tokens = append(js.Tokens, jsonToken(t))
				}
				if err := enc.Encode(js); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(got.Bytes(), exp.Bytes()) {
				t.Errorf("%d tokens, id and sentiment %v: written in parts, %d bytes differ from the encoder's %d", n, withExtras, got.Len(), exp.Len())
			}
		}
	}
}
