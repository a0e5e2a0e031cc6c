package pipeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
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

// encTok and encSent are the JSON of a token and a sentence as encoding/json
// writes them: the reference the hand-written JSON of json.go must match.
type encTok struct {
	Form   string    `json:"form"`
	Start  *int      `json:"start,omitempty"`
	End    *int      `json:"end,omitempty"`
	UPOS   string    `json:"upos,omitempty"`
	XPOS   string    `json:"xpos,omitempty"`
	Vector []float32 `json:"vector,omitempty"`
}

type encSent struct {
	Doc       int        `json:"doc"`
	ID        string     `json:"id,omitempty"`
	Sent      int        `json:"sent"`
	Text      string     `json:"text"`
	Tokens    []encTok   `json:"tokens"`
	Sentiment *Sentiment `json:"sentiment,omitempty"`
}

// encodeLines returns the JSON lines encoding/json writes for d's sentences.
func encodeLines(t *testing.T, d *Document) []byte {
	var exp bytes.Buffer
	enc := json.NewEncoder(&exp)
	enc.SetEscapeHTML(false)
	for i, s := range d.Sentences {
		js := encSent{Doc: d.Index, ID: d.ID, Sent: i, Text: s.Text, Sentiment: s.Sentiment, Tokens: []encTok{}}
		for _, tok := range s.Tokens {
			et := encTok{Form: tok.Form, UPOS: tok.UPOS, XPOS: tok.XPOS, Vector: tok.Vector}
			if tok.HasOffsets() {
				et.Start, et.End = &tok.Start, &tok.End
			}
			js.Tokens = append(js.Tokens, et)
		}
		if err := enc.Encode(js); err != nil {
			t.Fatal(err)
		}
	}
	return exp.Bytes()
}

// writeLines returns what Writer writes for d as JSON lines.
func writeLines(t *testing.T, d *Document) ([]byte, error) {
	var got bytes.Buffer
	w, err := NewWriter(&got, OutputJSONL)
	if err != nil {
		t.Fatal(err)
	}
	err = w.Write(d)
	if ferr := w.Flush(); ferr != nil {
		t.Fatal(ferr)
	}
	return got.Bytes(), err
}

// TestJSONMatchesEncoder checks that the writer's JSON lines are byte for byte
// those encoding/json writes for the same fields: strings with quotes, HTML
// characters (not escaped), control characters, U+2028 and invalid UTF-8;
// numbers of every magnitude; tokens with and without offsets, tags and
// vectors; a sentence longer than the writer's buffer, written in parts.
func TestJSONMatchesEncoder(t *testing.T) {
	strs := []string{"", "plain", `a <b> & "c" \ d`, "tab\there\nnl\r\b\f\x00\x1f\x7f", "\u2028\u2029", "bad\xff\xe2\x80x", "ünïcødé 中文 😀", "\ufffd"}
	floats := []float32{0, 1, -1, 0.5, 1e-7, -3.4e38, 1e21, 1e20, 123456.79, float32(math.SmallestNonzeroFloat32), 0.1}
	probs := []float64{0, 1, 0.9731, 1e-7, 0.123456789012345678, 5e-324}
	for n, size := range []int{0, 1, 3, 2000} {
		d := &Document{Index: n, ID: strs[n%len(strs)]}
		s := &Sentence{Text: strs[(n+1)%len(strs)], Sentiment: &Sentiment{Label: strs[(n+2)%len(strs)], Prob: probs[n%len(probs)]}}
		if n%2 == 1 {
			s.Sentiment = nil
		}
		for i := range size {
			tok := Token{Form: strs[i%len(strs)] + "x", UPOS: strs[(i+1)%len(strs)], XPOS: strs[(i+3)%len(strs)]}
			if i%3 != 0 {
				tok.Start, tok.End = i*7, i*7+1+i%5
			}
			if i%4 == 1 {
				tok.Vector = floats[:1+i%len(floats)]
			}
			s.Tokens = append(s.Tokens, tok)
		}
		d.Sentences = []*Sentence{s, {Text: "short", Tokens: []Token{{Form: "short", Start: 0, End: 5}}}}
		got, err := writeLines(t, d)
		if err != nil {
			t.Fatal(err)
		}
		if exp := encodeLines(t, d); !bytes.Equal(got, exp) {
			t.Errorf("%d tokens: the writer's\n%.2000s\nthe encoder's\n%.2000s", size, got, exp)
		}
		if size == 2000 && len(got) < 2*jsonChunk {
			t.Errorf("the long sentence is %d bytes: not written in parts", len(got))
		}
	}

	// What JSON cannot write is refused, as by the encoder, and nothing of the
	// sentence is written.
	for _, d := range []*Document{
		{Sentences: []*Sentence{{Text: "x", Tokens: []Token{{Form: "x", Vector: []float32{float32(math.NaN())}}}}}},
		{Sentences: []*Sentence{{Text: "x", Tokens: []Token{{Form: "x"}}, Sentiment: &Sentiment{Label: "p", Prob: math.Inf(1)}}}},
	} {
		if got, err := writeLines(t, d); err == nil || len(got) != 0 {
			t.Errorf("NaN or infinity: error %v, wrote %q", err, got)
		}
	}
}
