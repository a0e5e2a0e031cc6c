package tagger

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/nlp-go/nlp/datasets"
	"github.com/nlp-go/nlp/datasets/conllu"
	"github.com/nlp-go/nlp/internal/linescan"
)

// Output formats of TagStream.
const (
	OutputCoNLLU = "conllu" // CoNLL-U, every column but UPOS and XPOS kept as read
	OutputTSV    = "tsv"    // form<TAB>UPOS<TAB>XPOS, a blank line after each sentence
	OutputJSON   = "json"   // one JSON object a sentence: {"text", "tokens": [{"form","upos","xpos"}]}
)

// StreamConfig says how TagStream reads and writes.
type StreamConfig struct {
	// Input is the input format: datasets.FormatAuto (the zero value) detects it
	// from the beginning of the input; FormatCoNLLU, FormatCoNLL (the first
	// column is the word), FormatText (raw text, split into sentences and
	// tokenized) and FormatTokens (one tokenized sentence a line) are read.
	Input datasets.Format
	// Output is OutputCoNLLU (the default), OutputTSV or OutputJSON.
	Output string
	// Name names the input in error messages (a file name, or "stdin").
	Name string
	// Batch is how many sentences are tagged together; default 512.
	Batch int
}

// Validate reports whether the configuration is usable.
func (c StreamConfig) Validate() error {
	switch c.Output {
	case "", OutputCoNLLU, OutputTSV, OutputJSON:
	default:
		return fmt.Errorf("tagger: unknown output format %q (want conllu, tsv or json)", c.Output)
	}
	switch c.Input {
	case datasets.FormatAuto, datasets.FormatCoNLLU, datasets.FormatCoNLL, datasets.FormatText, datasets.FormatTokens:
	default:
		return fmt.Errorf("tagger: cannot tag %s input", c.Input)
	}
	if c.Batch < 0 {
		return fmt.Errorf("tagger: batch must not be negative, got %d", c.Batch)
	}
	return nil
}

// StreamStats counts what TagStream tagged.
type StreamStats struct {
	Sentences, Words int
	Format           datasets.Format // the input format read
}

// sentenceSource yields sentences from some input format.
type sentenceSource interface {
	next() (*conllu.Sentence, error)
}

// TagStream reads sentences from r, tags them and writes them to w, a batch at
// a time, so that memory stays bounded whatever the input's size. Errors in the
// input name cfg.Name and the line.
func (m *Model) TagStream(r io.Reader, w io.Writer, cfg StreamConfig) (StreamStats, error) {
	return tagStream(m.Tag, r, w, cfg)
}

// tagStream is TagStream with the tagging done by tag.
func tagStream(tag func([][]string) []Tagged, r io.Reader, w io.Writer, cfg StreamConfig) (StreamStats, error) {
	if err := cfg.Validate(); err != nil {
		return StreamStats{}, err
	}
	if cfg.Output == "" {
		cfg.Output = OutputCoNLLU
	}
	if cfg.Batch == 0 {
		cfg.Batch = 512
	}
	if cfg.Name == "" {
		cfg.Name = "input"
	}
	src, format, err := openSource(r, cfg.Input, cfg.Name)
	if err != nil {
		return StreamStats{}, err
	}
	st := StreamStats{Format: format}
	bw := bufio.NewWriterSize(w, 1<<16)
	out := newSink(bw, cfg.Output)
	batch := make([]*conllu.Sentence, 0, cfg.Batch)
	forms := make([][]string, 0, cfg.Batch)
	flush := func() error {
		forms = forms[:0]
		for _, s := range batch {
			forms = append(forms, s.Forms())
		}
		for i, t := range tag(forms) {
			if err := batch[i].SetTags(t.UPOS, t.XPOS); err != nil {
				return err
			}
			if err := out.write(batch[i]); err != nil {
				return fmt.Errorf("tagger: write: %w", err)
			}
			st.Sentences++
			st.Words += len(t.UPOS)
		}
		batch = batch[:0]
		return nil
	}
	for {
		s, err := src.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return st, fmt.Errorf("tagger: %s: %w", cfg.Name, err)
		}
		batch = append(batch, s)
		if len(batch) == cfg.Batch {
			if err := flush(); err != nil {
				return st, err
			}
		}
	}
	if err := flush(); err != nil {
		return st, err
	}
	if err := out.close(); err != nil {
		return st, fmt.Errorf("tagger: write: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return st, fmt.Errorf("tagger: write: %w", err)
	}
	return st, nil
}

// ReadSentences reads the words of every sentence of r, in any format TagStream
// reads (format datasets.FormatAuto detects it); name names r in errors. It is
// how unlabelled text for WithUnlabelled is read.
func ReadSentences(r io.Reader, name string, format datasets.Format) ([][]string, error) {
	if err := (StreamConfig{Input: format}).Validate(); err != nil {
		return nil, err
	}
	src, _, err := openSource(r, format, name)
	if err != nil {
		return nil, err
	}
	var forms [][]string
	for {
		s, err := src.next()
		if errors.Is(err, io.EOF) {
			return forms, nil
		}
		if err != nil {
			return nil, fmt.Errorf("tagger: %s: %w", name, err)
		}
		if f := s.Forms(); len(f) > 0 {
			forms = append(forms, f)
		}
	}
}

// openSource reads r in format, or in the format its beginning shows when
// format is datasets.FormatAuto, which it returns.
func openSource(r io.Reader, format datasets.Format, name string) (sentenceSource, datasets.Format, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	if format == datasets.FormatAuto {
		head, err := br.Peek(1 << 16)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, format, fmt.Errorf("tagger: read %s: %w", name, err)
		}
		format = datasets.DetectFormat(head)
		switch format {
		case datasets.FormatBrown, datasets.FormatLabelled:
			// Already tagged or labelled text: read it as text.
			format = datasets.FormatText
		}
	}
	return newSource(br, format), format, nil
}

func newSource(r io.Reader, f datasets.Format) sentenceSource {
	switch f {
	case datasets.FormatCoNLLU:
		return &conlluSource{r: conllu.NewReader(r)}
	case datasets.FormatCoNLL:
		return &columnSource{r: conllu.NewColumnReader(r)}
	case datasets.FormatTokens:
		// linescan applies the one text policy (valid UTF-8, no NUL) that
		// every other reader applies; bufio's own limit is kept.
		return &tokensSource{sc: linescan.New(r, bufio.MaxScanTokenSize)}
	default:
		return &textSource{r: datasets.NewTextReader(r, datasets.TextConfig{SplitSentences: true}, nil)}
	}
}

type conlluSource struct{ r *conllu.Reader }

func (s *conlluSource) next() (*conllu.Sentence, error) { return s.r.Read() }

type columnSource struct{ r *conllu.ColumnReader }

func (s *columnSource) next() (*conllu.Sentence, error) {
	cs, err := s.r.Read()
	if err != nil {
		return nil, err
	}
	return sentenceOf(cs.Tokens(), nil), nil
}

type textSource struct {
	r *datasets.TextReader
	n int
}

func (s *textSource) next() (*conllu.Sentence, error) {
	toks, err := s.r.Read()
	if err != nil {
		return nil, err
	}
	s.n++
	return sentenceOf(toks, []string{"# sent_id = " + strconv.Itoa(s.n), "# text = " + strings.Join(toks, " ")}), nil
}

// tokensSource reads one tokenized sentence a line.
type tokensSource struct {
	sc *linescan.Scanner
}

func (s *tokensSource) next() (*conllu.Sentence, error) {
	for s.sc.Scan() {
		if toks := strings.Fields(s.sc.Text()); len(toks) > 0 {
			return sentenceOf(toks, nil), nil
		}
	}
	if err := s.sc.Err(); err != nil {
		return nil, err // a *nlp.ParseError: it says the line
	}
	return nil, io.EOF
}

// sentenceOf makes a CoNLL-U sentence of bare tokens.
func sentenceOf(forms []string, comments []string) *conllu.Sentence {
	s := &conllu.Sentence{Comments: comments, Tokens: make([]conllu.Token, len(forms))}
	for i, f := range forms {
		s.Tokens[i] = conllu.Token{Kind: conllu.Word, ID: strconv.Itoa(i + 1), Form: f,
			Lemma: "_", UPOS: "_", XPOS: "_", Feats: "_", Head: "_", Deprel: "_", Deps: "_", Misc: "_"}
	}
	return s
}

// sink writes tagged sentences in an output format.
type sink interface {
	write(s *conllu.Sentence) error
	close() error
}

func newSink(w *bufio.Writer, format string) sink {
	switch format {
	case OutputTSV:
		return &tsvSink{w: w}
	case OutputJSON:
		return &jsonSink{enc: json.NewEncoder(w)}
	}
	return &conlluSink{w: conllu.NewWriter(w)}
}

type conlluSink struct{ w *conllu.Writer }

func (s *conlluSink) write(x *conllu.Sentence) error { return s.w.Write(x) }
func (s *conlluSink) close() error                   { return s.w.Flush() }

type tsvSink struct{ w *bufio.Writer }

func (s *tsvSink) write(x *conllu.Sentence) error {
	for _, t := range x.Words() {
		s.w.WriteString(t.Form)
		s.w.WriteByte('\t')
		s.w.WriteString(t.UPOS)
		s.w.WriteByte('\t')
		s.w.WriteString(t.XPOS)
		s.w.WriteByte('\n')
	}
	return s.w.WriteByte('\n')
}
func (s *tsvSink) close() error { return nil }

type jsonSink struct{ enc *json.Encoder }

type jsonToken struct {
	Form string `json:"form"`
	UPOS string `json:"upos"`
	XPOS string `json:"xpos"`
}

type jsonSentence struct {
	Text   string      `json:"text"`
	Tokens []jsonToken `json:"tokens"`
}

func (s *jsonSink) write(x *conllu.Sentence) error {
	js := jsonSentence{Text: x.Text()}
	words := x.Words()
	js.Tokens = make([]jsonToken, len(words))
	forms := make([]string, len(words))
	for i, t := range words {
		js.Tokens[i] = jsonToken{Form: t.Form, UPOS: t.UPOS, XPOS: t.XPOS}
		forms[i] = t.Form
	}
	if js.Text == "" {
		js.Text = strings.Join(forms, " ")
	}
	return s.enc.Encode(js)
}
func (s *jsonSink) close() error { return nil }
