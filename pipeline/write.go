package pipeline

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/nlp-go/nlp/datasets/conllu"
	"github.com/nlp-go/nlp/internal/linescan"
)

// Output formats of Writer.
const (
	OutputJSONL  = "jsonl"  // one JSON object a sentence (see Writer)
	OutputCoNLLU = "conllu" // CoNLL-U with "# sentiment = LABEL PROB" comments
	OutputTSV    = "tsv"    // FORM<TAB>UPOS<TAB>XPOS a token, a blank line after each sentence
)

// SentimentKey is the key of the CoNLL-U comment holding a sentence's sentiment:
// "# sentiment = positive 0.9731", the label, one space and the probability with
// four decimals.
const SentimentKey = "sentiment"

// Writer is the write stage: a Sink of Documents writing their sentences as JSON
// lines, CoNLL-U or TSV. Call Flush at the end.
//
// JSON lines: one object a sentence,
//
//	{"doc":0,"id":"a1","sent":0,"text":"It works.","tokens":[{"form":"It","upos":"PRON","xpos":"PRP"},...],"sentiment":{"label":"positive","prob":0.97}}
//
// where doc is the document's index in the input and sent the sentence's index in
// the document (both from 0); id appears when the input had one, upos and xpos
// when the sentence was tagged, vector (an array of numbers) when Embed found one,
// and sentiment when it was classified.
//
// CoNLL-U: a sentence read as CoNLL-U is written as read — every column, comment,
// multiword range and empty node — with UPOS and XPOS set from its tokens and a
// "# sentiment = LABEL PROB" comment added (or replaced). Other sentences get
// "# sent_id = N" (counting sentences from 1 over the whole output), "# text",
// their comments, "# sentiment", and one line per token with ID, FORM, UPOS, XPOS
// and "_" in the other columns. Vectors are not written in CoNLL-U.
//
// TSV: a line a token, its form, UPOS and XPOS separated by tabs ("_" for a tag
// not set), and a blank line after each sentence — the shape of the CoNLL
// column files the Reader reads, for tools that want the tags alone.
type Writer struct {
	w      *bufio.Writer
	format string
	conllu *conllu.Writer
	enc    *json.Encoder
	js     jsonSentence
	sentID int

	// Sentences and Tokens count what has been written.
	Sentences, Tokens int
}

// NewWriter returns a Writer of format (OutputJSONL, OutputCoNLLU or OutputTSV;
// "json" is taken as OutputJSONL) to w.
func NewWriter(w io.Writer, format string) (*Writer, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	wr := &Writer{w: bw, format: format}
	switch format {
	case OutputJSONL, "json":
		wr.format = OutputJSONL
		wr.enc = json.NewEncoder(bw)
		wr.enc.SetEscapeHTML(false)
	case OutputCoNLLU:
		wr.conllu = conllu.NewWriter(bw)
	case OutputTSV:
	default:
		return nil, fmt.Errorf("pipeline: unknown output format %q (want jsonl, conllu or tsv)", format)
	}
	return wr, nil
}

type jsonToken struct {
	Form   string    `json:"form"`
	UPOS   string    `json:"upos,omitempty"`
	XPOS   string    `json:"xpos,omitempty"`
	Vector []float32 `json:"vector,omitempty"`
}

// appendJSONTokens appends the JSON form of toks to dst: the one conversion
// of tokens to JSON, shared by the Writer and TokensJSON.
func appendJSONTokens(dst []jsonToken, toks []Token) []jsonToken {
	for _, t := range toks {
		dst = append(dst, jsonToken(t))
	}
	return dst
}

// TokensJSON is a sentence's tokens as the Writer writes its "tokens" array
// in JSON lines: a json.Marshaler, so that other JSON (the HTTP server's
// responses, package serve) embeds tokens encoded by the same code as nlp
// pipeline's output rather than by a second encoding that could drift.
type TokensJSON []Token

// MarshalJSON returns the JSON array of the tokens, HTML characters unescaped
// as the Writer leaves them (an encoder embedding it escapes them again unless
// told not to, json.Encoder.SetEscapeHTML).
func (ts TokensJSON) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(appendJSONTokens(make([]jsonToken, 0, len(ts)), ts)); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte{'\n'}), nil
}

type jsonSentence struct {
	Doc       int         `json:"doc"`
	ID        string      `json:"id,omitempty"`
	Sent      int         `json:"sent"`
	Text      string      `json:"text"`
	Tokens    []jsonToken `json:"tokens"`
	Sentiment *Sentiment  `json:"sentiment,omitempty"`
}

// Write writes the sentences of d. An error names the document.
func (w *Writer) Write(d *Document) error {
	for i, s := range d.Sentences {
		var err error
		switch w.format {
		case OutputJSONL:
			err = w.writeJSON(d, i, s)
		case OutputTSV:
			err = w.writeTSV(s)
		default:
			err = w.writeCoNLLU(s)
		}
		if err != nil {
			return &Error{Position: d.Position(), Err: fmt.Errorf("write: %w", err)}
		}
		w.Sentences++
		w.Tokens += len(s.Tokens)
	}
	return nil
}

func (w *Writer) writeJSON(d *Document, i int, s *Sentence) error {
	js := &w.js
	js.Doc, js.ID, js.Sent, js.Text, js.Sentiment = d.Index, d.ID, i, s.Text, s.Sentiment
	if js.Text == "" {
		js.Text = joinForms(s.Tokens)
	}
	if len(s.Tokens) > writePart {
		return w.writeLongJSON(js, s.Tokens)
	}
	js.Tokens = appendJSONTokens(js.Tokens[:0], s.Tokens)
	err := w.enc.Encode(js)
	clear(js.Tokens) // no references to the document past this call
	return err
}

// writeLongJSON writes the JSON line of a sentence of more than writePart
// tokens as the encoder would write it whole, a part of its tokens at a time,
// so that writing it takes no more memory than a short one (the encoder would
// hold the whole line, tens of bytes a token). js holds the other fields.
func (w *Writer) writeLongJSON(js *jsonSentence, toks []Token) error {
	// The fields around the tokens, encoded with "tokens" empty and cut there.
	tokens, sentiment := js.Tokens, js.Sentiment
	js.Tokens, js.Sentiment = []jsonToken{}, nil
	var head bytes.Buffer
	enc := json.NewEncoder(&head)
	enc.SetEscapeHTML(false)
	err := enc.Encode(js)
	js.Tokens, js.Sentiment = tokens[:0], sentiment
	if err != nil {
		return err
	}
	// head is {...,"tokens":[]}\n: drop "]}\n", write the tokens, then the rest.
	w.w.Write(head.Bytes()[:head.Len()-3])
	for lo := 0; lo < len(toks); lo += writePart {
		js.Tokens = appendJSONTokens(js.Tokens[:0], toks[lo:min(lo+writePart, len(toks))])
		head.Reset()
		err := enc.Encode(js.Tokens) // [{...},...]\n
		clear(js.Tokens)
		if err != nil {
			return err
		}
		if lo > 0 {
			w.w.WriteByte(',')
		}
		w.w.Write(head.Bytes()[1 : head.Len()-2])
	}
	w.w.WriteByte(']')
	if sentiment != nil {
		head.Reset()
		if err := enc.Encode(sentiment); err != nil {
			return err
		}
		w.w.WriteString(`,"sentiment":`)
		w.w.Write(head.Bytes()[:head.Len()-1])
	}
	w.w.WriteString("}\n")
	// A bufio.Writer keeps its first error and returns it from every later
	// call, so checking the last write is enough.
	_, err = w.w.WriteString("")
	return err
}

func (w *Writer) writeTSV(s *Sentence) error {
	for _, t := range s.Tokens {
		w.w.WriteString(t.Form)
		w.w.WriteByte('\t')
		w.w.WriteString(orNone(t.UPOS))
		w.w.WriteByte('\t')
		w.w.WriteString(orNone(t.XPOS))
		w.w.WriteByte('\n')
	}
	// A bufio.Writer keeps its first error and returns it from every later
	// call, so checking the last write is enough.
	return w.w.WriteByte('\n')
}

func sentimentComment(s *Sentiment) string {
	return "# " + SentimentKey + " = " + trimComment(s.Label) + " " + strconv.FormatFloat(s.Prob, 'f', 4, 64)
}

// isComment reports whether c is the comment "# key = ...".
func isComment(c, key string) bool {
	rest, ok := strings.CutPrefix(c, "#")
	if !ok {
		return false
	}
	rest, ok = strings.CutPrefix(strings.TrimLeft(rest, " "), key)
	return ok && strings.HasPrefix(strings.TrimLeft(rest, " "), "=")
}

func (w *Writer) writeCoNLLU(s *Sentence) error {
	w.sentID++
	if src := s.CoNLLU; src != nil {
		if n := src.NumWords(); n != len(s.Tokens) {
			return fmt.Errorf("sentence has %d tokens but %d words as read: a stage changed its tokens", len(s.Tokens), n)
		}
		comments := s.Comments
		if s.Sentiment != nil {
			comments = make([]string, 0, len(s.Comments)+1)
			for _, c := range s.Comments {
				if !isComment(c, SentimentKey) {
					comments = append(comments, c)
				}
			}
			comments = append(comments, sentimentComment(s.Sentiment))
		}
		return w.conllu.WriteCompact(comments, src, func(k int) (string, string) {
			return s.Tokens[k].UPOS, s.Tokens[k].XPOS
		})
	}
	out := conllu.Sentence{Comments: make([]string, 0, 3+len(s.Comments))}
	out.Comments = append(out.Comments, "# sent_id = "+strconv.Itoa(w.sentID))
	text := s.Text
	if text == "" {
		text = joinForms(s.Tokens)
	}
	out.Comments = append(out.Comments, "# text = "+trimComment(text))
	for _, c := range s.Comments {
		if !isComment(c, SentimentKey) {
			out.Comments = append(out.Comments, trimComment(c))
		}
	}
	if s.Sentiment != nil {
		out.Comments = append(out.Comments, sentimentComment(s.Sentiment))
	}
	if len(s.Tokens) <= writePart {
		out.Tokens = make([]conllu.Token, len(s.Tokens))
		fillTokens(out.Tokens, s.Tokens, 0)
		return w.conllu.Write(&out)
	}
	// A long sentence (read from text, tagged in windows) is written writePart
	// tokens at a time, so that writing it takes no more memory than a short
	// one; its forms are checked first, so that nothing is written of a
	// sentence the writer refuses.
	for i, t := range s.Tokens {
		if t.Form == "" || strings.ContainsAny(t.Form, "\t\n\r") {
			return fmt.Errorf("conllu: token %d column FORM %q: %w (want non-empty, no tab or line break)", i+1, linescan.Clip(t.Form), conllu.ErrBadField)
		}
	}
	out.Tokens = make([]conllu.Token, writePart)
	for lo := 0; lo < len(s.Tokens); lo += writePart {
		part := s.Tokens[lo:min(lo+writePart, len(s.Tokens))]
		out.Tokens = out.Tokens[:len(part)]
		fillTokens(out.Tokens, part, lo)
		if err := w.conllu.WritePart(&out, lo+len(part) == len(s.Tokens)); err != nil {
			return err
		}
		out.Comments = nil
	}
	return nil
}

// writePart is the number of tokens of a long sentence written at a time.
const writePart = 4096

// fillTokens sets dst to the CoNLL-U words of toks, numbered from first+1.
func fillTokens(dst []conllu.Token, toks []Token, first int) {
	for i, t := range toks {
		dst[i] = conllu.Token{Kind: conllu.Word, ID: strconv.Itoa(first + i + 1), Form: t.Form,
			Lemma: "_", UPOS: orNone(t.UPOS), XPOS: orNone(t.XPOS), Feats: "_", Head: "_", Deprel: "_", Deps: "_", Misc: "_"}
	}
}

func orNone(s string) string {
	if s == "" {
		return "_"
	}
	return s
}

// Flush writes any buffered output.
func (w *Writer) Flush() error {
	if w.conllu != nil {
		if err := w.conllu.Flush(); err != nil {
			return err
		}
	}
	return w.w.Flush()
}
