package pipeline

import "github.com/nlp-go/nlp/datasets/conllu"

// Document is one unit of input — a line or paragraph of text, a JSON line, or a
// CoNLL-U sentence — with where it came from, and, once segmented, its sentences.
type Document struct {
	Name  string // the source's name, as errors give it ("input.txt", "stdin")
	Index int    // 0-based position of the document in its source
	Line  int    // 1-based line where the document starts
	ID    string // the "id" of a JSON line (a number is kept as written); "" for none
	// Text is the raw text; empty for input that comes tokenized (CoNLL-U,
	// CoNLL columns, tokenized lines).
	Text string
	// Sentences are filled by Segment (or by the CoNLL-U reader), then annotated
	// by the stages that follow.
	Sentences []*Sentence
}

// Position returns where d came from, for error messages.
func (d *Document) Position() Position { return Position{Name: d.Name, Doc: d.Index, Line: d.Line} }

// Size is the number of bytes of text of d (of its forms when it has no text):
// what Config.BatchSize counts.
func (d *Document) Size() int {
	if d.Text != "" {
		return len(d.Text)
	}
	n := 0
	for _, s := range d.Sentences {
		for _, t := range s.Tokens {
			n += len(t.Form) + 1
		}
	}
	return n
}

// Tokens returns the number of tokens of d's sentences.
func (d *Document) Tokens() int {
	n := 0
	for _, s := range d.Sentences {
		n += len(s.Tokens)
	}
	return n
}

// Sentence is a sentence of a document: its text, its tokens and what the stages
// found out about it.
type Sentence struct {
	// Text is the sentence's text as it appears in the input (for CoNLL-U, its
	// "# text" comment, or its surface forms joined by spaces).
	Text string
	// Tokens are the words: for text input the tokens of Segment (Penn Treebank
	// style, "don't" → "do" "n't"); for CoNLL-U input the syntactic words.
	Tokens []Token
	// Sentiment is set by the Classify stage; nil before.
	Sentiment *Sentiment
	// Comments are CoNLL-U comment lines ("# key = value") written before the
	// words: those of a CoNLL-U input, and any a stage adds. The CoNLL-U writer adds
	// "# sent_id", "# text" and "# sentiment" itself.
	Comments []string
	// CoNLLU is the sentence as read when the input is CoNLL-U — every column,
	// multiword-token range and empty node — so that the CoNLL-U writer changes
	// nothing but the UPOS and XPOS of its words (from Tokens). nil otherwise.
	// It is kept compact (the lines as read, in one string), so that a long
	// sentence costs little more than its bytes.
	CoNLLU *conllu.Compact
}

// Token is one word of a sentence.
type Token struct {
	// Form is the word as written: for text input the token's characters in
	// the document's text (so "“" where the tokenizer reads a quote, "n’t"
	// where it reads "n't").
	Form string
	UPOS string // universal part-of-speech tag, set by Tag ("" before)
	XPOS string // language-specific tag (Penn Treebank in English), set by Tag
	// Start and End are where the token is in its document's Text, set by
	// Segment: offsets in Unicode code points (characters, not bytes) from the
	// start of the text, End exclusive — what spaCy's Token.idx and Stanza's
	// start_char and end_char count — so that []rune(Text)[Start:End] is Form.
	// For input read tokenized (CoNLL-U, CoNLL columns, tokenized lines), which
	// has no text to point into, both are 0: HasOffsets reports which.
	Start, End int
	// NoSpaceAfter is set by Segment when the next token of the document
	// follows this one with no white space between them (CoNLL-U's
	// SpaceAfter=No); it is false for the document's last token and for
	// input read tokenized.
	NoSpaceAfter bool
	Vector       []float32 // the word's vector, set by Embed when the word has one; shared, read-only
}

// HasOffsets reports whether t has offsets in its document's text: whether it
// was read from text (a token is never empty, so End is positive then).
func (t *Token) HasOffsets() bool { return t.End > 0 }

// Sentiment is a classifier's answer for a sentence: the most probable label and
// its probability.
type Sentiment struct {
	Label string  `json:"label"`
	Prob  float64 `json:"prob"`
}
