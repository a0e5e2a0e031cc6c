package datasets

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/datasets/conllu"
	"github.com/nlp-go/nlp/internal/linescan"
)

// StatsConfig sets how Stats reads a file.
type StatsConfig struct {
	// Format of the input; FormatAuto (the default) detects it from the first lines.
	Format Format
	// Vocab, when set, adds the out-of-vocabulary rate of the tokens.
	Vocab *Vocab
	// Lower lower-cases tokens before the vocabulary lookup (for vocabularies built
	// from lower-cased corpora); false looks them up as written.
	Lower bool
	// MaxLine is the longest line read, in bytes, whatever the format: 0
	// means linescan.DefaultMaxLine (1 MiB), at most linescan.MaxLineLimit
	// (64 MiB). A longer line is a *ParseError wrapping nlp.ErrLineTooLong.
	MaxLine int
}

// Validate reports the first invalid field, in the order StatsConfig declares
// them, as an error wrapping nlp.ErrConfig (and ErrUnknownFormat for Format).
func (c StatsConfig) Validate() error {
	if _, ok := formatNames[c.Format]; !ok {
		return nlp.ConfigError("datasets", "StatsConfig.Format", "%v: %w", c.Format, ErrUnknownFormat)
	}
	if err := linescan.CheckMax(c.MaxLine); err != nil {
		return nlp.ConfigError("datasets", "StatsConfig.MaxLine", "%w", err)
	}
	return nil
}

// Stats describes a corpus file.
type Stats struct {
	Format     string           `json:"format"`
	Sentences  int64            `json:"sentences"`
	Tokens     int64            `json:"tokens"`
	Types      int              `json:"types"`
	MultiWord  int64            `json:"multiword_tokens,omitempty"`
	EmptyNodes int64            `json:"empty_nodes,omitempty"`
	UPOS       map[string]int64 `json:"upos,omitempty"`
	XPOS       map[string]int64 `json:"xpos,omitempty"`
	Tags       map[string]int64 `json:"tags,omitempty"`   // CoNLL second column, Brown tags
	Labels     map[string]int64 `json:"labels,omitempty"` // labelled sentences
	OOV        *OOVStats        `json:"oov,omitempty"`
}

// OOVStats is the out-of-vocabulary count of the tokens against a vocabulary.
type OOVStats struct {
	VocabSize int     `json:"vocab_size"`
	Tokens    int64   `json:"tokens"`
	Rate      float64 `json:"rate"`
}

type statsAcc struct {
	s       *Stats
	cfg     StatsConfig
	types   map[string]struct{}
	oov     int64
	counter *Counter
	lowered []string
}

func (a *statsAcc) sentence(words []string) {
	if a.counter != nil {
		if a.cfg.Lower {
			a.lowered = a.lowered[:0]
			for _, w := range words {
				a.lowered = append(a.lowered, strings.ToLower(w))
			}
			a.counter.Add(a.lowered...)
		} else {
			a.counter.Add(words...)
		}
	}
	a.s.Sentences++
	a.s.Tokens += int64(len(words))
	for _, w := range words {
		if _, ok := a.types[w]; !ok {
			a.types[strings.Clone(w)] = struct{}{}
		}
		if a.cfg.Vocab != nil {
			if a.cfg.Lower {
				w = strings.ToLower(w)
			}
			if _, ok := a.cfg.Vocab.Lookup(w); !ok {
				a.oov++
			}
		}
	}
}

func count(m *map[string]int64, k string) {
	if *m == nil {
		*m = make(map[string]int64)
	}
	(*m)[k]++
}

// ComputeStats reads r to the end in the configured (or detected) format and counts
// sentences, tokens, distinct tokens, tags or labels and, with a vocabulary, the
// out-of-vocabulary tokens. For plain text, a line is a sentence, tokenized by
// Tokenizer; for FormatTokens, a line is a sentence of space-separated tokens; for
// CoNLL-U, tokens are the syntactic words.
func ComputeStats(r io.Reader, cfg StatsConfig) (*Stats, error) {
	return computeStats(r, cfg, nil)
}

func computeStats(r io.Reader, cfg StatsConfig, counter *Counter) (*Stats, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(r, 1<<16)
	f := cfg.Format
	if f == FormatAuto {
		head, _ := br.Peek(1 << 16)
		var err error
		if f, err = SniffFormat(head); err != nil {
			return nil, fmt.Errorf("datasets: stats: %w (name the format: conllu, conll, text, brown, labelled or tokens)", err)
		}
	}
	a := &statsAcc{s: &Stats{Format: f.String()}, cfg: cfg, types: map[string]struct{}{}, counter: counter}
	s := a.s
	var err error
	switch f {
	case FormatCoNLLU:
		rd := conllu.NewReader(br)
		rd.MaxLine = cfg.MaxLine
		for {
			var sent *conllu.Sentence
			if sent, err = rd.Read(); err != nil {
				break
			}
			for _, t := range sent.Tokens {
				switch t.Kind {
				case conllu.MultiWord:
					s.MultiWord++
				case conllu.EmptyNode:
					s.EmptyNodes++
				default:
					count(&s.UPOS, t.UPOS)
					count(&s.XPOS, t.XPOS)
				}
			}
			a.sentence(sent.Forms())
		}
	case FormatCoNLL:
		rd := conllu.NewColumnReaderMax(br, cfg.MaxLine)
		for {
			var sent *conllu.ColumnSentence
			if sent, err = rd.Read(); err != nil {
				break
			}
			if rd.Columns() > 1 {
				for _, t := range sent.Column(1) {
					count(&s.Tags, t)
				}
			}
			a.sentence(sent.Tokens())
		}
	case FormatBrown:
		rd := NewBrownReaderMax(br, cfg.MaxLine)
		for {
			var sent *TaggedSentence
			if sent, err = rd.Read(); err != nil {
				break
			}
			for _, t := range sent.Tokens {
				count(&s.Tags, t.Tag)
			}
			a.sentence(sent.Words())
		}
	case FormatLabelled:
		rd := NewLabelledReaderMax(br, LabelAuto, cfg.MaxLine)
		for {
			var ex *Example
			if ex, err = rd.Read(); err != nil {
				break
			}
			count(&s.Labels, ex.Label)
			a.sentence(strings.Fields(ex.Text))
		}
	case FormatTokens:
		sc := linescan.New(br, cfg.MaxLine)
		var words []string
		for sc.Scan() {
			words = AppendTokens(words[:0], sc.Text())
			if len(words) > 0 {
				a.sentence(words)
			}
		}
		if err = sc.Err(); err == nil {
			err = io.EOF
		}
	default:
		rd := NewTextReader(br, TextConfig{MaxLine: cfg.MaxLine}, nil)
		for {
			var toks []string
			if toks, err = rd.Read(); err != nil {
				break
			}
			a.sentence(toks)
		}
	}
	if err != io.EOF {
		return nil, err
	}
	s.Types = len(a.types)
	if cfg.Vocab != nil {
		s.OOV = &OOVStats{VocabSize: cfg.Vocab.Len(), Tokens: a.oov}
		if s.Tokens > 0 {
			s.OOV.Rate = float64(a.oov) / float64(s.Tokens)
		}
	}
	return s, nil
}

// FileStats is ComputeStats on a file (gunzipped when its name ends in ".gz"); errors
// name the file and line.
func FileStats(path string, cfg StatsConfig) (*Stats, error) {
	rc, err := OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	s, err := ComputeStats(rc, cfg)
	if err != nil {
		return nil, fileError("stats", path, err)
	}
	return s, nil
}

// CountFile adds the tokens of a corpus file (any format Stats reads; gunzipped
// when its name ends in ".gz") to c, lower-cased when cfg.Lower is set, and returns
// the file's Stats. Build a Vocab from c afterwards.
func CountFile(c *Counter, path string, cfg StatsConfig) (*Stats, error) {
	rc, err := OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	s, err := computeStats(rc, cfg, c)
	if err != nil {
		return nil, fileError("count", path, err)
	}
	return s, nil
}

// WriteReport writes s as readable text, tag tables by decreasing count.
func (s *Stats) WriteReport(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "format     %s\n", s.Format)
	fmt.Fprintf(bw, "sentences  %d\n", s.Sentences)
	fmt.Fprintf(bw, "tokens     %d\n", s.Tokens)
	fmt.Fprintf(bw, "types      %d\n", s.Types)
	if s.Sentences > 0 {
		fmt.Fprintf(bw, "mean length %.1f tokens\n", float64(s.Tokens)/float64(s.Sentences))
	}
	if s.MultiWord > 0 || s.EmptyNodes > 0 {
		fmt.Fprintf(bw, "multiword tokens %d, empty nodes %d\n", s.MultiWord, s.EmptyNodes)
	}
	if s.OOV != nil {
		fmt.Fprintf(bw, "OOV        %d of %d tokens (%.2f%%) against a vocabulary of %d\n", s.OOV.Tokens, s.Tokens, 100*s.OOV.Rate, s.OOV.VocabSize)
	}
	for _, t := range []struct {
		name string
		m    map[string]int64
	}{{"UPOS", s.UPOS}, {"XPOS", s.XPOS}, {"tags", s.Tags}, {"labels", s.Labels}} {
		if len(t.m) == 0 {
			continue
		}
		var total int64
		keys := make([]string, 0, len(t.m))
		for k, v := range t.m {
			keys = append(keys, k)
			total += v
		}
		sort.Slice(keys, func(i, j int) bool {
			if t.m[keys[i]] != t.m[keys[j]] {
				return t.m[keys[i]] > t.m[keys[j]]
			}
			return keys[i] < keys[j]
		})
		fmt.Fprintf(bw, "%s (%d)\n", t.name, len(keys))
		for _, k := range keys {
			fmt.Fprintf(bw, "  %-10s %9d  %5.2f%%\n", k, t.m[k], 100*float64(t.m[k])/float64(total))
		}
	}
	return bw.Flush()
}

// fileError names the file path in err: a *nlp.ParseError gets it as its File
// (the message then reads "datasets: stats: path:line:col: ..."), any other
// error is prefixed with it.
func fileError(what, path string, err error) error {
	var pe *nlp.ParseError
	if errors.As(err, &pe) && pe.File == "" {
		pe.File = path
		return fmt.Errorf("datasets: %s: %w", what, err)
	}
	return fmt.Errorf("datasets: %s %q: %w", what, path, err)
}

// AppendTokens appends to dst the tokens of a line of the tokens format:
// the runs between spaces, tabs, carriage returns, vertical tabs and form
// feeds (a line holds no newline). Other Unicode spaces belong to tokens, as
// in the files the format describes.
func AppendTokens(dst []string, line string) []string {
	for {
		line = strings.TrimLeft(line, " \t\r\v\f")
		if line == "" {
			return dst
		}
		i := strings.IndexAny(line, " \t\r\v\f")
		if i < 0 {
			i = len(line)
		}
		dst = append(dst, line[:i])
		line = line[i:]
	}
}
