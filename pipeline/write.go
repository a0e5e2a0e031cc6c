package pipeline

import (
	"bufio"
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
//	{"doc":0,"id":"a1","sent":0,"text":"It works.","tokens":[{"form":"It","start":0,"end":2,"upos":"PRON","xpos":"PRP"},...],"sentiment":{"label":"positive","prob":0.97}}
//
// where doc is the document's index in the input and sent the sentence's index in
// the document (both from 0); id appears when the input had one; start and end
// when the sentence was read from text: the token's place in the document's
// text, in Unicode code points from its start, end exclusive (Token.Start,
// Token.End: spaCy's idx, Stanza's start_char and end_char); upos and xpos
// when the sentence was tagged, vector (an array of numbers) when Embed found
// one, and sentiment when it was classified. AppendSentenceJSON and
// AppendTokenJSON write these objects for other uses (a server).
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
	buf    []byte // a sentence's JSON, reused
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
	case OutputCoNLLU:
		wr.conllu = conllu.NewWriter(bw)
	case OutputTSV:
	default:
		return nil, fmt.Errorf("pipeline: unknown output format %q (want jsonl, conllu or tsv)", format)
	}
	return wr, nil
}

// Write writes the sentences of d. An error names the document.
func (w *Writer) Write(d *Document) error {
	for i, s := range d.Sentences {
		var err error
		switch w.format {
		case OutputJSONL:
			err = w.writeJSON(d, i)
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

func (w *Writer) writeJSON(d *Document, i int) error {
	if !finiteJSON(d.Sentences[i]) {
		// encoding/json's answer, before anything of the sentence is written.
		return fmt.Errorf("json: sentence %d: a vector or probability is NaN or infinite", i)
	}
	b := appendSentenceJSON(w.buf[:0], d, i, func(b []byte) []byte {
		w.w.Write(b)
		return b[:0]
	})
	b = append(b, '\n')
	// A bufio.Writer keeps its first error and returns it from every later
	// call, so checking the last write is enough.
	_, err := w.w.Write(b)
	w.buf = b[:0]
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
