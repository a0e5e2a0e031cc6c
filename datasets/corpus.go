package datasets

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/datasets/tokenize"
	"github.com/nlp-go/nlp/internal/fileutil"
	"github.com/nlp-go/nlp/internal/linescan"
	"github.com/nlp-go/nlp/internal/progress"
)

// Corpus recipes understood by CorpusConfig.Recipe.
const (
	// RecipeBench is the benchmark corpus of the data README: the Brown corpus
	// (tags dropped), the Lee news corpus, the `# text` lines of EWT train and the
	// SST binary and fine train sentences; about 1.7M tokens on 85,648 lines.
	RecipeBench = "bench"
	// RecipeFull is the benchmark corpus followed by every IMDB train and unsup
	// review (label dropped, "<br />" replaced by a space, tokenized by Tokenizer),
	// about 19M tokens.
	RecipeFull = "full"
)

// DefaultDataDir is the data folder used when CorpusConfig.DataDir is empty; it
// matches the Makefile's DATA default.
const DefaultDataDir = "../shared/data"

// CorpusConfig selects a corpus recipe and where its sources live.
type CorpusConfig struct {
	// Recipe is RecipeBench or RecipeFull; empty means RecipeBench.
	Recipe string
	// DataDir is the folder laid out as in the data README (brown/, corpora/,
	// ud-english-ewt/, sst/, imdb/); empty means DefaultDataDir.
	DataDir string
	// Cased keeps the text's case, which the recipes lower-case, for vectors that
	// tell "Apple" from "apple" (the SST sentences are lower-case at the source).
	Cased bool
	// MaxLine is the longest line read from a source, in bytes: 0 means
	// linescan.DefaultMaxLine (1 MiB), at most linescan.MaxLineLimit (64 MiB).
	// A longer line is an error naming the file and the line.
	MaxLine int
}

// ErrUnknownRecipe is returned for a recipe name that is neither "bench" nor "full".
var ErrUnknownRecipe = errors.New("unknown corpus recipe")

func (c CorpusConfig) withDefaults() CorpusConfig {
	if c.Recipe == "" {
		c.Recipe = RecipeBench
	}
	if c.DataDir == "" {
		c.DataDir = DefaultDataDir
	}
	return c
}

// Validate reports the first invalid field, in the order CorpusConfig declares
// them, as an error wrapping nlp.ErrConfig (and ErrUnknownRecipe for Recipe).
func (c CorpusConfig) Validate() error {
	c = c.withDefaults()
	if c.Recipe != RecipeBench && c.Recipe != RecipeFull {
		return nlp.ConfigError("datasets", "CorpusConfig.Recipe", "%q: %w (want %q or %q)", c.Recipe, ErrUnknownRecipe, RecipeBench, RecipeFull)
	}
	if err := linescan.CheckMax(c.MaxLine); err != nil {
		return nlp.ConfigError("datasets", "CorpusConfig.MaxLine", "%w", err)
	}
	return nil
}

// CorpusStats counts what a corpus build wrote.
type CorpusStats struct {
	Lines  int64 `json:"lines"`
	Tokens int64 `json:"tokens"`
}

// corpusWriter writes token lines, lower-cased unless cased, and counts them.
type corpusWriter struct {
	w     *bufio.Writer
	cased bool
	stats CorpusStats
	bar   *progress.Bar
	buf   []byte
	// maxLine bounds the lines read from the sources (CorpusConfig.MaxLine).
	maxLine int
}

func (cw *corpusWriter) line(tokens []string) error {
	if len(tokens) == 0 {
		return nil
	}
	cw.buf = cw.buf[:0]
	for i, t := range tokens {
		if i > 0 {
			cw.buf = append(cw.buf, ' ')
		}
		if cw.cased {
			cw.buf = append(cw.buf, t...)
		} else {
			cw.buf = appendLower(cw.buf, t)
		}
	}
	cw.buf = append(cw.buf, '\n')
	cw.stats.Lines++
	cw.stats.Tokens += int64(len(tokens))
	cw.bar.Add(int64(len(tokens)))
	_, err := cw.w.Write(cw.buf)
	return err
}

// appendLower appends the lower-case form of s, with an ASCII fast path.
func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return append(dst, strings.ToLower(s)...)
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

var brownFile = regexp.MustCompile(`^c[a-r][0-9][0-9]$`)

// BrownFiles lists the Brown corpus files (c[a-r][0-9][0-9]) of dir in name order.
func BrownFiles(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("datasets: brown: %w", err)
	}
	var files []string
	for _, e := range ents {
		if !e.IsDir() && brownFile.MatchString(e.Name()) {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("datasets: brown: no c[a-r][0-9][0-9] file in %q", dir)
	}
	return files, nil
}

// WriteCorpus writes the corpus of cfg's recipe to w: one sentence or document a
// line, tokens (lower-cased unless cfg.Cased) joined by single spaces. It returns the line and token
// counts.
func WriteCorpus(w io.Writer, cfg CorpusConfig, opts ...Option) (CorpusStats, error) {
	if err := cfg.Validate(); err != nil {
		return CorpusStats{}, err
	}
	cfg = cfg.withDefaults()
	o := collect(opts)
	cw := &corpusWriter{w: bufio.NewWriterSize(w, 1<<16), cased: cfg.Cased, maxLine: cfg.MaxLine}
	cw.bar = progress.New(o.progress, "corpus "+cfg.Recipe, 0, "tokens")
	steps := []func(*corpusWriter, string) error{benchBrown, benchLee, benchEWT, benchSST}
	if cfg.Recipe == RecipeFull {
		steps = append(steps, fullIMDB)
	}
	for _, step := range steps {
		if err := step(cw, cfg.DataDir); err != nil {
			return cw.stats, err
		}
	}
	cw.bar.Finish()
	if err := cw.w.Flush(); err != nil {
		return cw.stats, fmt.Errorf("datasets: write corpus: %w", err)
	}
	return cw.stats, nil
}

// WriteCorpusFile writes the corpus to path through a temporary file in the same
// folder, renamed into place only when complete.
func WriteCorpusFile(path string, cfg CorpusConfig, opts ...Option) (CorpusStats, error) {
	var st CorpusStats
	err := writeFileAtomic(collect(opts).ctx, path, func(w io.Writer) error {
		var err error
		st, err = WriteCorpus(w, cfg, opts...)
		return err
	})
	return st, err
}

func benchBrown(cw *corpusWriter, data string) error {
	files, err := BrownFiles(filepath.Join(data, "brown"))
	if err != nil {
		return err
	}
	var words []string
	for _, path := range files {
		err := func() error {
			f, err := fileutil.Open(path)
			if err != nil {
				return fmt.Errorf("datasets: brown: %w", err)
			}
			defer f.Close()
			r := NewBrownReaderMax(f, cw.maxLine)
			for {
				s, err := r.Read()
				if err == io.EOF {
					return nil
				}
				if err != nil {
					return fmt.Errorf("datasets: brown %q: %w", path, err)
				}
				words = words[:0]
				for _, t := range s.Tokens {
					words = append(words, t.Word)
				}
				if err := cw.line(words); err != nil {
					return err
				}
			}
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// eachLine calls fn on every line of the file at path (gunzipped when it is
// gzip: fileutil.Open), read by linescan: lines of up to cw.maxLine bytes, valid UTF-8
// without NUL. Errors, fn's included, name the file and the line.
func (cw *corpusWriter) eachLine(path string, fn func(line string) error) error {
	f, err := fileutil.Open(path)
	if err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	defer f.Close()
	sc := linescan.New(f, cw.maxLine)
	for sc.Scan() {
		if err := fn(sc.Text()); err != nil {
			pe := sc.ErrAt(0, err, "")
			pe.File = path
			return fmt.Errorf("datasets: %w", pe)
		}
	}
	if err := sc.Err(); err != nil {
		var pe *nlp.ParseError
		if errors.As(err, &pe) {
			pe.File = path
			return fmt.Errorf("datasets: %w", pe)
		}
		return fmt.Errorf("datasets: read %q: %w", path, err)
	}
	return nil
}

func benchLee(cw *corpusWriter, data string) error {
	return cw.eachLine(filepath.Join(data, "corpora", "lee_background.cor"), func(line string) error {
		return cw.line(strings.Fields(line))
	})
}

func benchEWT(cw *corpusWriter, data string) error {
	return cw.eachLine(filepath.Join(data, "ud-english-ewt", "en_ewt-ud-train.conllu"), func(line string) error {
		if text, ok := strings.CutPrefix(line, "# text = "); ok {
			return cw.line(strings.Fields(text))
		}
		return nil
	})
}

func benchSST(cw *corpusWriter, data string) error {
	for _, name := range []string{"stsa.binary.train", "stsa.fine.train"} {
		err := cw.eachLine(filepath.Join(data, "sst", name), func(line string) error {
			_, text, ok := strings.Cut(line, " ")
			if !ok && strings.TrimSpace(line) != "" {
				return fmt.Errorf("want LABEL text, got %q", linescan.Clip(line))
			}
			return cw.line(strings.Fields(text))
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func fullIMDB(cw *corpusWriter, data string) error {
	tok := tokenize.New()
	var toks []string
	for _, f := range []struct {
		name     string
		labelled bool
	}{{"train.txt.gz", true}, {"unsup.txt.gz", false}} {
		err := cw.eachLine(filepath.Join(data, "imdb", f.name), func(line string) error {
			text := line
			if f.labelled {
				var ok bool
				if _, text, ok = strings.Cut(line, " "); !ok {
					return fmt.Errorf("want LABEL text, got %q", linescan.Clip(line))
				}
			}
			text = strings.ReplaceAll(text, "<br />", " ")
			toks = tok.AppendTokens(toks[:0], text)
			return cw.line(toks)
		})
		if err != nil {
			return err
		}
	}
	return nil
}
