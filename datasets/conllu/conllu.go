package conllu

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/internal/fileutil"
	"github.com/nlp-go/nlp/internal/linescan"
)

// TokenKind tells the three kinds of CoNLL-U word lines apart.
type TokenKind uint8

const (
	// Word is a syntactic word, ID "N": the unit that carries UPOS, XPOS and a head.
	Word TokenKind = iota
	// MultiWord is a multiword-token range, ID "N-M" (English "don't" → "do" + "n't").
	MultiWord
	// EmptyNode is an enhanced-dependency empty node, ID "N.M".
	EmptyNode
)

// String returns "word", "multiword" or "empty".
func (k TokenKind) String() string {
	switch k {
	case Word:
		return "word"
	case MultiWord:
		return "multiword"
	case EmptyNode:
		return "empty"
	}
	return fmt.Sprintf("TokenKind(%d)", uint8(k))
}

// Token is one CoNLL-U word line, its ten columns kept as written ("_" for none), so
// that writing it back gives the same bytes.
type Token struct {
	Kind   TokenKind
	ID     string // "3", "3-4" or "8.1"
	Form   string
	Lemma  string
	UPOS   string // universal part-of-speech tag
	XPOS   string // language-specific tag (Penn Treebank tags in EWT)
	Feats  string
	Head   string
	Deprel string
	Deps   string
	Misc   string
}

// Sentence is one CoNLL-U sentence: its comment lines, then its word lines in file
// order (multiword ranges and empty nodes included).
type Sentence struct {
	// Comments are the comment lines before the words, without the line break,
	// each starting with "#" (for example "# sent_id = x", "# text = ...").
	Comments []string
	// Tokens are all word lines in file order.
	Tokens []Token
}

// Words returns pointers to the syntactic words of s (kind Word), skipping multiword
// ranges and empty nodes: the sequence a tagger reads and tags. Setting UPOS or XPOS
// through them changes s.
func (s *Sentence) Words() []*Token {
	out := make([]*Token, 0, len(s.Tokens))
	for i := range s.Tokens {
		if s.Tokens[i].Kind == Word {
			out = append(out, &s.Tokens[i])
		}
	}
	return out
}

// Forms returns the forms of the syntactic words.
func (s *Sentence) Forms() []string {
	out := make([]string, 0, len(s.Tokens))
	for _, t := range s.Tokens {
		if t.Kind == Word {
			out = append(out, t.Form)
		}
	}
	return out
}

// UPOS returns the UPOS tags of the syntactic words.
func (s *Sentence) UPOS() []string { return s.column(func(t *Token) string { return t.UPOS }) }

// XPOS returns the XPOS tags of the syntactic words.
func (s *Sentence) XPOS() []string { return s.column(func(t *Token) string { return t.XPOS }) }

func (s *Sentence) column(f func(*Token) string) []string {
	out := make([]string, 0, len(s.Tokens))
	for i := range s.Tokens {
		if s.Tokens[i].Kind == Word {
			out = append(out, f(&s.Tokens[i]))
		}
	}
	return out
}

// ErrTagCount is returned by SetTags when a tag slice does not have one tag per word.
var ErrTagCount = errors.New("tag count differs from word count")

// SetTags sets UPOS and XPOS of the syntactic words, in order; a nil slice leaves
// that column unchanged. Everything else in s stays as it was.
func (s *Sentence) SetTags(upos, xpos []string) error {
	n := 0
	for _, t := range s.Tokens {
		if t.Kind == Word {
			n++
		}
	}
	if upos != nil && len(upos) != n {
		return fmt.Errorf("conllu: set UPOS: %w: %d tags, %d words", ErrTagCount, len(upos), n)
	}
	if xpos != nil && len(xpos) != n {
		return fmt.Errorf("conllu: set XPOS: %w: %d tags, %d words", ErrTagCount, len(xpos), n)
	}
	i := 0
	for k := range s.Tokens {
		if s.Tokens[k].Kind != Word {
			continue
		}
		if upos != nil {
			s.Tokens[k].UPOS = upos[i]
		}
		if xpos != nil {
			s.Tokens[k].XPOS = xpos[i]
		}
		i++
	}
	return nil
}

// Comment returns the value of the first comment "# key = value" and whether it exists.
func (s *Sentence) Comment(key string) (string, bool) { return comment(s.Comments, key) }

func comment(comments []string, key string) (string, bool) {
	for _, c := range comments {
		rest, ok := strings.CutPrefix(c, "#")
		if !ok {
			continue
		}
		k, v, ok := strings.Cut(rest, "=")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimPrefix(v, " "), true
		}
	}
	return "", false
}

// Text returns the "# text" comment, or the forms of the surface tokens (multiword
// tokens instead of their parts) joined by spaces when there is none.
func (s *Sentence) Text() string {
	if t, ok := s.Comment("text"); ok {
		return t
	}
	var b strings.Builder
	skipTo := 0
	for _, t := range s.Tokens {
		switch t.Kind {
		case EmptyNode:
			continue
		case MultiWord:
			_, end, _ := parseRange(t.ID)
			skipTo = end
		case Word:
			if id, _ := parseInt(t.ID); id <= skipTo {
				continue
			}
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.Form)
	}
	return b.String()
}

// Reader reads CoNLL-U sentences from a stream, one at a time, in the manner of
// encoding/csv. Lines may end in "\n" or "\r\n" (the "\r" is dropped); each sentence,
// the last one included, must be followed by one blank line.
type Reader struct {
	// MaxLine is the longest line accepted, in bytes: 0 means
	// linescan.DefaultMaxLine (1 MiB), at most linescan.MaxLineLimit (64 MiB).
	// A longer line is a *ParseError wrapping nlp.ErrLineTooLong. Set it
	// before the first Read.
	MaxLine int

	r       *bufio.Reader
	line    int
	start   int64 // byte offset of the current line
	next    int64 // byte offset of the line after it
	pending []byte
	b       compactBuilder // the sentence being read
}

// NewReader returns a CoNLL-U reader of r.
func NewReader(r io.Reader) *Reader {
	return &Reader{r: bufio.NewReaderSize(r, 1<<16)}
}

// readLine returns the next line without its line break; eof reports that the
// input ended (line then holds any final unterminated text).
func (r *Reader) readLine() (line []byte, eof bool, err error) {
	r.pending = r.pending[:0]
	for {
		chunk, err := r.r.ReadSlice('\n')
		r.pending = append(r.pending, chunk...)
		if max := linescan.Max(r.MaxLine); len(r.pending) > max+2 || (err != bufio.ErrBufferFull && len(bytes.TrimRight(r.pending, "\r\n")) > max) {
			// +2: the line break, "\r\n", is not part of the line.
			return nil, false, linescan.TooLong(r.line+1, r.next, max)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if len(r.pending) > 0 {
			r.start, r.next = r.next, r.next+int64(len(r.pending))
		}
		if err == io.EOF {
			if len(r.pending) == 0 {
				return nil, true, nil
			}
			r.line++
			if r.line == 1 {
				return linescan.TrimBOM(r.pending), true, nil
			}
			return r.pending, true, nil
		}
		if err != nil {
			return nil, false, err
		}
		r.line++
		l := r.pending[:len(r.pending)-1]
		if n := len(l); n > 0 && l[n-1] == '\r' {
			l = l[:n-1]
		}
		if r.line == 1 {
			l = linescan.TrimBOM(l)
		}
		return l, false, nil
	}
}

// Read returns the next sentence, or nil and io.EOF after the last one. Malformed
// input gives a *ParseError (wrapping ErrFieldCount, ErrBadID, ErrInvalidUTF8,
// ErrMissingBlankLine, ErrEmptyField, ErrBadLine or ErrLineTooLong) with its
// line and column.
func (r *Reader) Read() (*Sentence, error) {
	c, err := r.ReadCompact()
	if err != nil {
		return nil, err
	}
	return c.Sentence(), nil
}

// ReadCompact is Read returning the sentence in the compact form, which takes
// a tenth of the memory: the way to read sentences of any length.
func (r *Reader) ReadCompact() (*Compact, error) {
	var comments []string
	started := false // a comment or word line of the sentence was read
	var st idState
	b := &r.b
	*b = compactBuilder{}
	for {
		line, eof, err := r.readLine()
		if pe, ok := err.(*nlp.ParseError); ok {
			return nil, pe
		}
		if err != nil {
			return nil, &nlp.ParseError{Line: r.line + 1, Offset: r.next, Err: err}
		}
		if eof && line == nil {
			if started {
				return nil, linescan.Errorf(r.line, r.start, 0, ErrMissingBlankLine, "")
			}
			return nil, io.EOF
		}
		if col, err := linescan.Check(line); err != nil {
			return nil, linescan.Errorf(r.line, r.start, col, err, "")
		}
		if i := bytes.IndexByte(line, '\r'); i >= 0 {
			return nil, linescan.Errorf(r.line, r.start, i+1, ErrBadLine, "carriage return inside a line")
		}
		switch {
		case len(line) == 0:
			if !started {
				return nil, linescan.Errorf(r.line, r.start, 0, ErrBadLine, "blank line where a sentence should start (CoNLL-U puts exactly one blank line after each sentence)")
			}
			if st.words == 0 {
				return nil, linescan.Errorf(r.line, r.start, 0, ErrBadLine, "sentence without word lines")
			}
			if st.rangeEnd > st.words {
				return nil, linescan.Errorf(r.line, r.start, 0, ErrBadID, "multiword range ends at %d after the last word %d", st.rangeEnd, st.words)
			}
			return b.done(comments), nil
		case line[0] == '#':
			started = true
			if len(b.toks) > 0 {
				return nil, linescan.Errorf(r.line, r.start, 1, ErrBadLine, "comment after the word lines of a sentence")
			}
			comments = append(comments, string(line))
		default:
			started = true
			kind, perr := parseTokenLine(line, r.line, r.start, &st)
			if perr != nil {
				return nil, perr
			}
			if b.lines.Len()+len(line)+1 > MaxSentenceBytes {
				return nil, linescan.Errorf(r.line, r.start, 0, ErrBadLine, "a sentence of more than %d bytes of word lines", MaxSentenceBytes)
			}
			b.addLine(line, kind)
		}
		if eof {
			return nil, linescan.Errorf(r.line, r.start, len(line)+1, ErrMissingBlankLine, "")
		}
	}
}

// ReadAll reads the remaining sentences.
func (r *Reader) ReadAll() ([]*Sentence, error) {
	var out []*Sentence
	for {
		s, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, s)
	}
}

// idState checks the ID sequence within one sentence.
type idState struct {
	words    int // last syntactic word ID
	rangeEnd int // end of the last multiword range
	emptyMaj int // major part of the last empty node
	emptyMin int // minor part of the last empty node
}

var columnNames = [10]string{"ID", "FORM", "LEMMA", "UPOS", "XPOS", "FEATS", "HEAD", "DEPREL", "DEPS", "MISC"}

// parseTokenLine checks a word line and the ID sequence, and returns the
// line's kind.
func parseTokenLine(line []byte, lineNo int, lineStart int64, st *idState) (TokenKind, *nlp.ParseError) {
	// The ID and where each column starts (1-based); the other columns are
	// only checked.
	var starts [11]int
	n, pos := 0, 0
	for {
		i := bytes.IndexByte(line[pos:], '\t')
		if n == 10 {
			return 0, linescan.Errorf(lineNo, lineStart, pos, ErrFieldCount, "want 10 tab-separated columns, got more")
		}
		starts[n] = pos + 1
		n++
		if i < 0 {
			break
		}
		pos += i + 1
	}
	if n != 10 {
		return 0, linescan.Errorf(lineNo, lineStart, len(line)+1, ErrFieldCount, "want 10 tab-separated columns, got %d", n)
	}
	starts[10] = len(line) + 2 // as if a tab followed the last column
	for k := range 10 {
		if starts[k+1] == starts[k]+1 {
			return 0, linescan.Errorf(lineNo, lineStart, starts[k], ErrEmptyField, "column %d (%s) is empty; use _", k+1, columnNames[k])
		}
	}
	idBytes := line[:starts[1]-2]
	id := string(idBytes) // does not escape: no allocation for a short ID
	var kind TokenKind
	bad := func(format string, args ...any) (TokenKind, *nlp.ParseError) {
		return 0, linescan.Errorf(lineNo, lineStart, 1, ErrBadID, "%q: "+format, append([]any{string(idBytes)}, args...)...)
	}
	switch {
	case strings.IndexByte(id, '-') >= 0:
		kind = MultiWord
		a, b, ok := parseRange(id)
		if !ok {
			return bad("want N-M")
		}
		if a != st.words+1 {
			return bad("range starts at %d, want %d", a, st.words+1)
		}
		if b <= a {
			return bad("range end must exceed its start")
		}
		if st.rangeEnd > st.words {
			return bad("range overlaps the range ending at %d", st.rangeEnd)
		}
		st.rangeEnd = b
	case strings.IndexByte(id, '.') >= 0:
		kind = EmptyNode
		maj, min, ok := parseDecimal(id)
		if !ok {
			return bad("want N.M")
		}
		if maj != st.words {
			return bad("empty node after word %d must be %d.M", st.words, st.words)
		}
		if maj == st.emptyMaj && st.emptyMin > 0 {
			if min != st.emptyMin+1 {
				return bad("want %d.%d", maj, st.emptyMin+1)
			}
		} else if min != 1 {
			return bad("want %d.1", maj)
		}
		st.emptyMaj, st.emptyMin = maj, min
	default:
		kind = Word
		v, ok := parseInt(id)
		if !ok || v == 0 {
			return bad("want a word number, N-M or N.M")
		}
		if v != st.words+1 {
			return bad("want %d", st.words+1)
		}
		st.words = v
		st.emptyMaj, st.emptyMin = v, 0
	}
	return kind, nil
}

// IsID reports whether id is a CoNLL-U word ID: N (a word), N-M (a multiword
// token's range) or N.M (an empty node), numbers without sign or leading zeros.
// It is how a line is recognised as a CoNLL-U word line when guessing a file's
// format.
func IsID(id string) bool {
	if _, ok := parseInt(id); ok {
		return true
	}
	if _, _, ok := parseRange(id); ok {
		return true
	}
	_, _, ok := parseDecimal(id)
	return ok
}

// parseInt parses a decimal number without sign or leading zeros.
func parseInt(s string) (int, bool) {
	if s == "" || len(s) > 9 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// parseRange reads a multiword token's ID "3-4" (the first part positive).
func parseRange(id string) (int, int, bool) {
	x, y, ok := parsePair(id, "-")
	return x, y, ok && x > 0
}

// parseDecimal reads an empty node's ID "3.1" (the second part positive).
func parseDecimal(id string) (int, int, bool) {
	x, y, ok := parsePair(id, ".")
	return x, y, ok && y > 0
}

// parsePair reads two decimal numbers joined by sep.
func parsePair(id, sep string) (int, int, bool) {
	a, b, ok := strings.Cut(id, sep)
	if !ok {
		return 0, 0, false
	}
	x, ok1 := parseInt(a)
	y, ok2 := parseInt(b)
	return x, y, ok1 && ok2
}

// ErrBadField is returned by Writer.Write for a field or comment that would not
// read back the same (empty, or holding a tab or line break).
var ErrBadField = errors.New("field cannot be written")

// Writer writes CoNLL-U sentences. Writing what a Reader read gives back the same
// bytes (for input with "\n" line breaks).
type Writer struct {
	w   *bufio.Writer
	err error
}

// NewWriter returns a CoNLL-U writer to w; call Flush when done.
func NewWriter(w io.Writer) *Writer { return &Writer{w: bufio.NewWriterSize(w, 1<<16)} }

// Write writes one sentence followed by its blank line. It refuses fields that would
// not read back the same.
func (w *Writer) Write(s *Sentence) error { return w.WritePart(s, true) }

// WritePart writes part of a sentence: s's comments and tokens, followed by the
// blank line that ends the sentence only when end is set. A long sentence can
// so be written a few tokens at a time, without a Sentence holding all of its
// tokens: the first part with the comments, the following ones without, the
// last one with end. Each part is checked as Write checks a sentence (token
// numbers in errors count from the part's start) before any of it is written.
func (w *Writer) WritePart(s *Sentence, end bool) error {
	if w.err != nil {
		return w.err
	}
	if err := checkComments(s.Comments); err != nil {
		return err
	}
	for i := range s.Tokens {
		t := &s.Tokens[i]
		if err := checkFields(i, []string{t.ID, t.Form, t.Lemma, t.UPOS, t.XPOS, t.Feats, t.Head, t.Deprel, t.Deps, t.Misc}); err != nil {
			return err
		}
	}
	for _, c := range s.Comments {
		w.w.WriteString(c)
		w.w.WriteByte('\n')
	}
	for i := range s.Tokens {
		t := &s.Tokens[i]
		f := [10]string{t.ID, t.Form, t.Lemma, t.UPOS, t.XPOS, t.Feats, t.Head, t.Deprel, t.Deps, t.Misc}
		for k, v := range f {
			if k > 0 {
				w.w.WriteByte('\t')
			}
			w.w.WriteString(v)
		}
		w.w.WriteByte('\n')
	}
	var err error
	if end {
		_, err = w.w.WriteString("\n")
	} else {
		// An empty write reports any error of the underlying writer so far.
		_, err = w.w.WriteString("")
	}
	if err != nil {
		w.err = err
	}
	return err
}

// WriteCompact writes s as Write writes the same sentence, with comments in
// place of s.Comments, and the UPOS and XPOS of syntactic word k (0-based)
// replaced by those tags(k) returns, a tag "" keeping the column as read; tags
// may be nil. Comments and tags that would not read back the same are refused
// (ErrBadField) before anything is written.
func (w *Writer) WriteCompact(comments []string, s *Compact, tags func(k int) (upos, xpos string)) error {
	if w.err != nil {
		return w.err
	}
	if err := checkComments(comments); err != nil {
		return err
	}
	if tags != nil {
		for i, k := 0, 0; i < len(s.toks); i++ {
			if s.toks[i].kind != Word {
				continue
			}
			u, x := tags(k)
			k++
			for col, v := range [...]string{3: u, 4: x} {
				if v != "" {
					if err := checkField(i, col, v); err != nil {
						return err
					}
				}
			}
		}
	}
	for _, c := range comments {
		w.w.WriteString(c)
		w.w.WriteByte('\n')
	}
	if tags == nil {
		w.w.WriteString(s.lines)
	} else {
		for i, k := 0, 0; i < len(s.toks); i++ {
			line := s.line(i)
			if s.toks[i].kind != Word {
				w.w.WriteString(line)
				w.w.WriteByte('\n')
				continue
			}
			u, x := tags(k)
			k++
			f := splitFields(line)
			if u != "" {
				f[3] = u
			}
			if x != "" {
				f[4] = x
			}
			for c, v := range f {
				if c > 0 {
					w.w.WriteByte('\t')
				}
				w.w.WriteString(v)
			}
			w.w.WriteByte('\n')
		}
	}
	if _, err := w.w.WriteString("\n"); err != nil {
		w.err = err
		return err
	}
	return nil
}

// Flush writes any buffered data to the underlying writer.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	w.err = w.w.Flush()
	return w.err
}

// Error reports any error from a previous Write or Flush.
func (w *Writer) Error() error { return w.err }

// ReadFile reads every sentence of a CoNLL-U file (gunzipped when its name
// ends in ".gz"); errors name the file, line and column. Lines may be up to
// linescan.DefaultMaxLine bytes (1 MiB) long.
func ReadFile(path string) ([]*Sentence, error) { return ReadFileMax(path, 0) }

// ReadFileMax is ReadFile accepting lines of up to maxLine bytes (0: 1 MiB; at
// most linescan.MaxLineLimit, 64 MiB): Reader.MaxLine.
func ReadFileMax(path string, maxLine int) ([]*Sentence, error) {
	rc, err := fileutil.Open(path)
	if err != nil {
		return nil, fmt.Errorf("conllu: %w", err)
	}
	defer rc.Close()
	r := NewReader(rc)
	r.MaxLine = maxLine
	sents, err := r.ReadAll()
	if err != nil {
		var pe *nlp.ParseError
		if errors.As(err, &pe) && pe.File == "" {
			pe.File = path // the message then reads path:line:col
			return nil, fmt.Errorf("conllu: %w", err)
		}
		return nil, fmt.Errorf("conllu: read %q: %w", path, err)
	}
	return sents, nil
}

// WriteFile writes sentences to path through a temporary file and a rename.
func WriteFile(path string, sents []*Sentence) error {
	err := fileutil.WriteAtomic(path, func(f io.Writer) error {
		w := NewWriter(f)
		for _, s := range sents {
			if err := w.Write(s); err != nil {
				return err
			}
		}
		return w.Flush()
	})
	if err != nil {
		return fmt.Errorf("conllu: write %q: %w", path, err)
	}
	return nil
}
