package subword

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/internal/fileutil"
	"github.com/nlp-go/nlp/internal/linescan"
)

// Header is the first line of a model file: subword-nmt's version 0.2, whose
// format this is.
const Header = "#version: 0.2"

// MaxLineBytes is the longest line Read accepts: two symbols of MaxWordLen
// characters of up to 4 bytes, with room to spare for files of other tools.
const MaxLineBytes = 4096

// ErrFormat is wrapped by Read's errors about a malformed model file (in a
// *nlp.ParseError giving the line).
var ErrFormat = errors.New("subword: bad model file")

// WriteTo writes the model: Header, then one merge a line ("e r</w>").
func (m *BPE) WriteTo(w io.Writer) (int64, error) {
	bw := bufio.NewWriter(w)
	n, err := fmt.Fprintln(bw, Header)
	total := int64(n)
	for _, r := range m.Merges() {
		if err != nil {
			break
		}
		n, err = fmt.Fprintf(bw, "%s %s\n", r[0], r[1])
		total += int64(n)
	}
	if err != nil {
		return total, err
	}
	return total, bw.Flush()
}

// Save writes the model to path atomically (a crash leaves the old file or the
// new one, never half of one).
func (m *BPE) Save(path string) error {
	err := fileutil.WriteAtomic(path, func(w io.Writer) error {
		_, err := m.WriteTo(w)
		return err
	})
	if err != nil {
		return fmt.Errorf("subword: save %s: %w", path, err)
	}
	return nil
}

// Load reads a model file written by Save (or by subword-nmt's learn_bpe);
// a malformed file gives a *nlp.ParseError naming the file and line.
func Load(path string) (*BPE, error) {
	f, err := fileutil.Open(path)
	if err != nil {
		return nil, fmt.Errorf("subword: %w", err)
	}
	defer f.Close()
	m, err := Read(f)
	if err != nil {
		var pe *nlp.ParseError
		if errors.As(err, &pe) && pe.File == "" {
			pe.File = path // the message then reads path:line:col
			return nil, err
		}
		return nil, fmt.Errorf("subword: load %s: %w", path, err)
	}
	return m, nil
}

// Read reads a model as WriteTo writes it. It checks the header, that every
// line is two symbols separated by one space, that only the second symbol
// ends a word, that every symbol is a character or the result of an earlier
// merge, that no merge comes twice, and the limits MaxMerges and
// MaxLineBytes; errors are *nlp.ParseError wrapping ErrFormat (or
// nlp.ErrInvalidUTF8, nlp.ErrNUL).
func Read(r io.Reader) (*BPE, error) {
	sc := linescan.New(r, MaxLineBytes)
	m := newBPE()
	made := map[symbol]bool{} // symbols that earlier merges make
	header := false
	for sc.Scan() {
		line := sc.Text()
		if !header {
			if line != Header {
				return nil, sc.ErrAt(1, ErrFormat, "want the header %q, got %q", Header, linescan.Clip(line))
			}
			header = true
			continue
		}
		a, b, ok := strings.Cut(line, " ")
		if !ok || a == "" || b == "" || strings.Contains(b, " ") {
			return nil, sc.ErrAt(0, ErrFormat, "want two symbols separated by a space, got %q", linescan.Clip(line))
		}
		x, y := parseSymbol(a), parseSymbol(b)
		if x.final {
			return nil, sc.ErrAt(1, ErrFormat, "symbol %q ends a word, so nothing can follow it", linescan.Clip(a))
		}
		for i, s := range [2]symbol{x, y} {
			if s.text == "" || utf8.RuneCountInString(s.text) > 1 && !made[s] {
				col := 1
				if i == 1 {
					col = len(a) + 2
				}
				return nil, sc.ErrAt(col, ErrFormat, "symbol %q is neither a character nor made by an earlier merge", linescan.Clip(s.name()))
			}
		}
		if m.Len() >= MaxMerges {
			return nil, sc.ErrAt(0, ErrFormat, "more than %d merges", MaxMerges)
		}
		p := pair{m.id(x), m.id(y)}
		if _, dup := m.ranks[p]; dup {
			return nil, sc.ErrAt(0, ErrFormat, "merge %q repeated", linescan.Clip(line))
		}
		made[m.syms[m.addRule(p)]] = true
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if !header {
		return nil, linescan.Errorf(1, 0, 0, ErrFormat, "empty file: want the header %q", Header)
	}
	return m, nil
}

// parseSymbol reads a symbol as the model file writes it.
func parseSymbol(s string) symbol {
	if t, ok := strings.CutSuffix(s, EndOfWord); ok {
		return symbol{t, true}
	}
	return symbol{s, false}
}
