package pipeline

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/datasets"
	"github.com/nlp-go/nlp/datasets/conllu"
	"github.com/nlp-go/nlp/internal/linescan"
)

// Input formats of Reader.
const (
	InputAuto   = "auto"   // detected from the first 64 KiB (DetectInput): JSON lines, CoNLL-U, CoNLL columns or text; ambiguous input is an error
	InputText   = "text"   // plain text: a document a line (or a paragraph, ReadConfig.Paragraphs)
	InputCoNLLU = "conllu" // CoNLL-U: a document a sentence, every column kept
	InputCoNLL  = "conll"  // CoNLL columns: a document a sentence, the word in the first column
	InputTokens = "tokens" // tokenized text: a document a line, one sentence of space-separated tokens
	InputJSONL  = "jsonl"  // JSON lines: {"text": "...", "id": ...} a line
)

// DefaultMaxLine is the longest line Reader accepts by default: 1 MiB, the
// default of every line reader of the toolkit (linescan.DefaultMaxLine).
const DefaultMaxLine = linescan.DefaultMaxLine

// ErrLineTooLong is wrapped by the error for a line longer than
// ReadConfig.MaxLine: nlp.ErrLineTooLong, that of every line reader.
var ErrLineTooLong = nlp.ErrLineTooLong

// ReadConfig says how a Reader reads its input. Zero values mean the defaults.
type ReadConfig struct {
	// Format is InputAuto (or ""), InputText, InputCoNLLU, InputCoNLL,
	// InputTokens or InputJSONL.
	Format string
	// Name names the input in documents and errors (a file name, "stdin");
	// "" means "input".
	Name string
	// MaxLine is the longest line read (text, JSON, CoNLL-U or CoNLL
	// columns), in bytes: 0 means DefaultMaxLine, at most
	// linescan.MaxLineLimit (64 MiB). A longer line is an error naming it
	// rather than an unbounded buffer.
	MaxLine int
	// Paragraphs makes a text document a paragraph — lines up to a blank line,
	// joined by spaces — instead of a line. The lines of a paragraph together must
	// not exceed MaxLine.
	Paragraphs bool
}

// Validate reports the first invalid field, in the order ReadConfig declares
// them, as an error wrapping nlp.ErrConfig.
func (c ReadConfig) Validate() error {
	switch c.Format {
	case "", InputAuto, InputText, InputCoNLLU, InputCoNLL, InputTokens, InputJSONL:
	default:
		return nlp.ConfigError("pipeline", "ReadConfig.Format", "%q: unknown input format (want auto, text, conllu, conll, tokens or jsonl)", c.Format)
	}
	if err := linescan.CheckMax(c.MaxLine); err != nil {
		return nlp.ConfigError("pipeline", "ReadConfig.MaxLine", "%w", err)
	}
	return nil
}

// Reader is the read stage: a Source of Documents from plain text, CoNLL-U, CoNLL
// columns, tokenized lines or JSON lines, streaming — it holds one document at a
// time, never the whole input.
//
// Plain text: a document is a non-blank line (or paragraph), its Text the line
// without its line break; Segment splits it into sentences and tokens.
// CoNLL-U: a document is a sentence, already tokenized: one Sentence whose Tokens
// are the syntactic words and whose CoNLLU field keeps everything read.
// CoNLL columns (CoNLL-2000 style, -DOCSTART- rows skipped) and tokenized lines
// (a non-blank line is a sentence of space-separated tokens): a document is a
// sentence, already tokenized, whose Text is its tokens joined by spaces; its
// CoNLLU field holds the words with "_" in every other column and no comment,
// so the CoNLL-U writer adds none (the other columns of a CoNLL file, gold tags
// for instance, are not kept).
// JSON lines: a document is a non-blank line holding an object with a "text"
// string and optionally an "id" (string or number); other fields are ignored.
// A document whose text is blank has no sentences, so it writes nothing.
type Reader struct {
	cfg    ReadConfig
	format string
	br     *bufio.Reader
	line   int   // lines read so far
	start  int64 // byte offset of the last line read
	next   int64 // byte offset of the line after it
	index  int   // documents returned so far
	conllu *conllu.Reader
	conll  *conllu.ColumnReader
	par    []byte // paragraph being joined
}

// NewReader returns a Reader of r. With InputAuto it peeks at the beginning of r
// to choose the format.
func NewReader(r io.Reader, cfg ReadConfig) (*Reader, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Name == "" {
		cfg.Name = "input"
	}
	if cfg.MaxLine == 0 {
		cfg.MaxLine = DefaultMaxLine
	}
	// A buffer of MaxLine bytes: ReadSlice then returns a whole line or reports
	// that it does not fit.
	br := bufio.NewReaderSize(r, max(cfg.MaxLine+2, 16)) // +2: the line break
	rd := &Reader{cfg: cfg, format: cfg.Format, br: br}
	if rd.format == "" || rd.format == InputAuto {
		head, err := br.Peek(min(1<<16, br.Size()))
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, fmt.Errorf("pipeline: read %s: %w", cfg.Name, err)
		}
		if rd.format, err = DetectInput(head); err != nil {
			return nil, fmt.Errorf("pipeline: %s: %w; say which with --input (text, conllu, conll, tokens or jsonl)", cfg.Name, err)
		}
	}
	switch rd.format {
	case InputCoNLLU:
		rd.conllu = conllu.NewReader(br)
		rd.conllu.MaxLine = cfg.MaxLine
	case InputCoNLL:
		rd.conll = conllu.NewColumnReaderMax(br, cfg.MaxLine)
	}
	return rd, nil
}

// DetectInput guesses the input format from the beginning of a file (a UTF-8
// byte order mark skipped): JSON lines when the first non-blank character is
// "{", CoNLL-U or CoNLL columns when datasets.SniffFormat says so, plain text
// otherwise (Brown's word/TAG text and labelled lines included: they are read as
// the text they are). A beginning that could be CoNLL-U as well as text (only
// comment lines, or a mix of CoNLL-U word lines and others) is an error wrapping
// datasets.ErrAmbiguousFormat, never a silent choice of text.
func DetectInput(head []byte) (string, error) {
	head = linescan.TrimBOM(head)
	if t := bytes.TrimLeft(head, " \t\r\n"); len(t) > 0 && t[0] == '{' {
		return InputJSONL, nil
	}
	f, err := datasets.SniffFormat(head)
	if err != nil {
		return "", err
	}
	switch f {
	case datasets.FormatCoNLLU:
		return InputCoNLLU, nil
	case datasets.FormatCoNLL:
		return InputCoNLL, nil
	}
	return InputText, nil
}

// Format returns the format being read (detected when asked for InputAuto).
func (r *Reader) Format() string { return r.format }

// Next returns the next document, or io.EOF after the last one. Malformed input
// gives an *Error naming the input and the line.
func (r *Reader) Next() (*Document, error) {
	switch r.format {
	case InputCoNLLU:
		return r.nextCoNLLU()
	case InputCoNLL:
		return r.nextCoNLL()
	case InputTokens:
		return r.nextTokens()
	case InputJSONL:
		return r.nextJSON()
	default:
		if r.cfg.Paragraphs {
			return r.nextParagraph()
		}
		return r.nextLine()
	}
}

// errorf returns the error about the document being read, at line, which
// starts at byte off of the input: an *Error (the document) wrapping the
// *nlp.ParseError (the place in the input) every reader of the toolkit returns.
func (r *Reader) errorf(line int, off int64, format string, args ...any) error {
	return r.errorAt(&nlp.ParseError{File: r.cfg.Name, Line: line, Offset: off, Err: fmt.Errorf(format, args...)})
}

// errorAt returns pe as the error about the document being read.
func (r *Reader) errorAt(pe *nlp.ParseError) error {
	return &Error{Position: Position{Name: r.cfg.Name, Doc: r.index, Line: pe.Line}, Err: pe}
}

// readLine returns the next line without its line break ("\n" or "\r\n"); the
// slice is valid until the next call. It returns io.EOF when the input is done.
func (r *Reader) readLine() ([]byte, error) {
	b, err := r.br.ReadSlice('\n')
	if len(b) == 0 && errors.Is(err, io.EOF) {
		return nil, io.EOF
	}
	r.line++
	r.start, r.next = r.next, r.next+int64(len(b))
	if errors.Is(err, bufio.ErrBufferFull) {
		return nil, r.errorf(r.line, r.start, "%w: more than %d bytes", ErrLineTooLong, r.cfg.MaxLine)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, r.errorf(r.line, r.start, "read: %w", err)
	}
	b = bytes.TrimSuffix(b, []byte{'\n'})
	b = bytes.TrimSuffix(b, []byte{'\r'})
	if r.line == 1 {
		b = linescan.TrimBOM(b)
	}
	if len(b) > r.cfg.MaxLine {
		return nil, r.errorf(r.line, r.start, "%w: more than %d bytes", ErrLineTooLong, r.cfg.MaxLine)
	}
	if col, err := linescan.Check(b); err != nil {
		return nil, r.errorAt(&nlp.ParseError{File: r.cfg.Name, Line: r.line, Column: col, Offset: r.start + int64(col-1), Err: err})
	}
	return b, nil
}

func (r *Reader) doc(line int, text string) *Document {
	d := &Document{Name: r.cfg.Name, Index: r.index, Line: line, Text: text}
	r.index++
	return d
}

func (r *Reader) nextLine() (*Document, error) {
	for {
		b, err := r.readLine()
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(b)) > 0 {
			return r.doc(r.line, string(b)), nil
		}
	}
}

func (r *Reader) nextParagraph() (*Document, error) {
	r.par = r.par[:0]
	start, startOff := 0, int64(0)
	for {
		b, err := r.readLine()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(b)) == 0 {
			if len(r.par) > 0 {
				break
			}
			continue
		}
		if len(r.par) == 0 {
			start, startOff = r.line, r.start
		} else {
			r.par = append(r.par, ' ')
		}
		if len(r.par)+len(b) > r.cfg.MaxLine {
			return nil, r.errorf(start, startOff, "%w: a paragraph of more than %d bytes", ErrLineTooLong, r.cfg.MaxLine)
		}
		r.par = append(r.par, b...)
	}
	if len(r.par) == 0 {
		return nil, io.EOF
	}
	d := r.doc(start, string(r.par))
	d.Paragraph = true
	return d, nil
}

// jsonDoc is the shape of a JSON line.
type jsonDoc struct {
	Text *string         `json:"text"`
	ID   json.RawMessage `json:"id"`
}

func (r *Reader) nextJSON() (*Document, error) {
	for {
		b, err := r.readLine()
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		var jd jsonDoc
		if err := json.Unmarshal(b, &jd); err != nil {
			return nil, r.errorf(r.line, r.start, "invalid JSON line: %w", err)
		}
		if jd.Text == nil {
			return nil, r.errorf(r.line, r.start, `JSON line without a "text" string`)
		}
		var docID string
		if id := bytes.TrimSpace(jd.ID); len(id) > 0 && string(id) != "null" {
			var s string
			if json.Unmarshal(id, &s) == nil {
				docID = s
			} else if _, err := strconv.ParseFloat(string(id), 64); err == nil {
				docID = string(id)
			} else {
				return nil, r.errorf(r.line, r.start, `JSON line whose "id" is neither a string nor a number: %s`, id)
			}
		}
		d := r.doc(r.line, *jd.Text)
		d.ID = docID
		return d, nil
	}
}

func (r *Reader) nextCoNLLU() (*Document, error) {
	s, err := r.conllu.ReadCompact()
	if errors.Is(err, io.EOF) {
		return nil, io.EOF
	}
	if err != nil {
		var pe *nlp.ParseError
		if errors.As(err, &pe) {
			pe.File = r.cfg.Name
			return nil, r.errorAt(pe)
		}
		return nil, r.errorf(r.line+1, r.next, "%w", err)
	}
	// The reader insists on one blank line after each sentence and none before,
	// so a sentence starts right after the previous one's blank line.
	start := r.line + 1
	r.line += len(s.Comments) + s.Len() + 1
	sent := &Sentence{Text: s.Text(), Comments: s.Comments, CoNLLU: s}
	sent.Tokens = make([]Token, 0, s.NumWords())
	for i := range s.Len() {
		if s.Kind(i) != conllu.Word {
			continue
		}
		w := s.Token(i)
		t := Token{Form: w.Form}
		if w.UPOS != "_" {
			t.UPOS = w.UPOS
		}
		if w.XPOS != "_" {
			t.XPOS = w.XPOS
		}
		sent.Tokens = append(sent.Tokens, t)
	}
	d := r.doc(start, "")
	d.Sentences = []*Sentence{sent}
	return d, nil
}

// nextCoNLL reads a sentence of CoNLL columns. The column reader does not say
// where a sentence starts, so the document's Line is 0 (unknown); its errors
// name their line.
func (r *Reader) nextCoNLL() (*Document, error) {
	cs, err := r.conll.Read()
	if errors.Is(err, io.EOF) {
		return nil, io.EOF
	}
	if err != nil {
		var pe *nlp.ParseError
		if errors.As(err, &pe) {
			if pe.File == "" {
				pe.File = r.cfg.Name
			}
			return nil, r.errorAt(pe)
		}
		return nil, r.errorf(0, 0, "%w", err)
	}
	return r.tokenized(0, cs.Tokens())
}

// nextTokens reads a non-blank line as one sentence of space-separated tokens.
func (r *Reader) nextTokens() (*Document, error) {
	for {
		b, err := r.readLine()
		if err != nil {
			return nil, err
		}
		if toks := strings.Fields(string(b)); len(toks) > 0 {
			return r.tokenized(r.line, toks)
		}
	}
}

// tokenized returns a document of one sentence of the tokens forms, with a
// bare CoNLL-U form of them ("_" in every column but ID and FORM, no comment).
func (r *Reader) tokenized(line int, forms []string) (*Document, error) {
	bare, err := conllu.BareCompact(forms)
	if err != nil {
		return nil, r.errorf(line, 0, "%w", err)
	}
	sent := &Sentence{Text: strings.Join(forms, " "), Tokens: make([]Token, len(forms)), CoNLLU: bare}
	for i, f := range forms {
		sent.Tokens[i].Form = f
	}
	d := r.doc(line, "")
	d.Sentences = []*Sentence{sent}
	return d, nil
}

// trimComment makes s fit on one comment line.
func trimComment(s string) string {
	if strings.ContainsAny(s, "\t\r\n") {
		s = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\r' || r == '\n' {
				return ' '
			}
			return r
		}, s)
	}
	return s
}
