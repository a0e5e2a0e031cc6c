package embed

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/internal/fileutil"
	"github.com/nlp-go/nlp/internal/linescan"
)

// Errors wrapped in the readers' *nlp.ParseError. In the binary format, the
// error's Line counts vectors as lines (the header is line 1, the first vector
// line 2) and its Offset gives the byte where the vector starts.
var (
	ErrHeader     = errors.New("bad header, want \"COUNT DIM\"")
	ErrFieldCount = errors.New("wrong number of values")
	ErrTruncated  = errors.New("file ends before the vectors the header announces")
	ErrTrailing   = errors.New("data after the vectors the header announces")
	// ErrNonFinite means a vector value that is NaN or ±Inf ("nan", "inf" in the
	// text format, or those bit patterns in the binary one): every similarity
	// with that word would be NaN, and a model initialised from it would train
	// on NaN, so the readers refuse it.
	ErrNonFinite = errors.New("non-finite value (NaN or Inf)")
	// ErrDim means rows whose number of values differs from the header's DIM.
	ErrDim = errors.New("the vectors do not have the header's dimension")
)

// maxDim bounds the dimension a header may announce, so that a corrupt file cannot
// make the reader allocate without limit.
const maxDim = 1 << 16

// asciiFields splits s at runs of ASCII white space only, as word2vec C and gensim do,
// so that a word may hold any other byte (checkWord rejects the same set).
func asciiFields(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case ' ', '\t', '\n', '\r', '\v', '\f':
			return true
		}
		return false
	})
}

// parseHeader reads "COUNT DIM".
func parseHeader(line string) (count, dim int, err error) {
	f := asciiFields(line)
	if len(f) != 2 {
		return 0, 0, ErrHeader
	}
	count, err1 := strconv.Atoi(f[0])
	dim, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil || count < 0 || dim <= 0 || dim > maxDim {
		return 0, 0, ErrHeader
	}
	return count, dim, nil
}

// ReadText reads vectors in the word2vec text format: a header line "COUNT DIM", then
// COUNT lines "WORD V1 … VDIM" separated by spaces or tabs (trailing space allowed, as
// word2vec C writes it).
func ReadText(r io.Reader) (*Vectors, error) {
	return readText(r, -1)
}

// readText reads the text format; with dim > 0 the file has no header (as wego's Save
// writes it) and every line must have dim values.
func readText(r io.Reader, dim int) (*Vectors, error) {
	sc := linescan.New(r, 64*1024*1024)
	count := -1
	if dim <= 0 {
		if !sc.Scan() {
			if err := sc.Err(); err != nil {
				return nil, err
			}
			return nil, &nlp.ParseError{Line: 1, Err: ErrHeader}
		}
		var err error
		count, dim, err = parseHeader(sc.Text())
		if err != nil {
			return nil, sc.ErrAt(0, err, "")
		}
	}
	words := make([]string, 0, min(max(count, 0), 1<<16))
	data := make([]float32, 0, min(max(count, 0), (1<<22)/dim)*dim) // grows past what a header claims
	index := make(map[string]int)
	for sc.Scan() {
		f := asciiFields(sc.Text())
		if len(f) == 0 && count < 0 {
			continue // headerless files may end with blank lines
		}
		if count >= 0 && len(words) == count {
			if len(f) == 0 {
				continue
			}
			return nil, sc.ErrAt(0, ErrTrailing, "")
		}
		if len(f) != dim+1 {
			if count >= 0 {
				return nil, sc.ErrAt(0, ErrFieldCount, "%d, want the header's DIM %d", len(f)-1, dim)
			}
			return nil, sc.ErrAt(0, ErrFieldCount, "%d, want %d", len(f)-1, dim)
		}
		w := f[0]
		if j, dup := index[w]; dup {
			return nil, sc.ErrAt(1, fmt.Errorf("word %q repeats the word of vector %d", w, j+1), "")
		}
		index[w] = len(words)
		words = append(words, w)
		for k, s := range f[1:] {
			x, err := strconv.ParseFloat(s, 32)
			if err != nil {
				return nil, sc.ErrAt(fieldColumn(sc.Text(), k+1), fmt.Errorf("value %d: %w", k+1, err), "")
			}
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, sc.ErrAt(fieldColumn(sc.Text(), k+1), ErrNonFinite, "value %d of %q is %s", k+1, linescan.Clip(w), s)
			}
			data = append(data, float32(x))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if count >= 0 && len(words) != count {
		return nil, &nlp.ParseError{Line: sc.Line() + 1, Offset: sc.End(), Err: fmt.Errorf("%w: %d of %d", ErrTruncated, len(words), count)}
	}
	return &Vectors{words: words, dim: dim, data: data, index: index}, nil
}

// fieldColumn returns the 1-based byte column of field k (0-based, as
// asciiFields counts them) of line, so that an error points at the bad value.
func fieldColumn(line string, k int) int {
	in := false
	for i := 0; i < len(line); i++ {
		space := strings.IndexByte(" \t\n\r\v\f", line[i]) >= 0
		if !space && !in {
			if k == 0 {
				return i + 1
			}
			k--
		}
		in = !space
	}
	return 0
}

// WriteText writes v in the word2vec text format, each value in the shortest form
// that reads back to the same float32.
func WriteText(w io.Writer, v *Vectors) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "%d %d\n", v.Len(), v.dim)
	buf := make([]byte, 0, 32)
	for i, word := range v.words {
		bw.WriteString(word)
		for _, x := range v.Row(i) {
			bw.WriteByte(' ')
			buf = strconv.AppendFloat(buf[:0], float64(x), 'g', -1, 32)
			bw.Write(buf)
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// ReadBinary reads vectors in the word2vec binary format: a header line "COUNT DIM",
// then for each word its bytes, one space and DIM little-endian float32, optionally
// followed by a newline (word2vec C writes one, gensim does not).
func ReadBinary(r io.Reader) (*Vectors, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	var off int64
	head, err := br.ReadString('\n')
	off += int64(len(head))
	if err != nil {
		if err == io.EOF {
			err = ErrHeader
		}
		return nil, &nlp.ParseError{Line: 1, Offset: 0, Err: err}
	}
	count, dim, err := parseHeader(head)
	if err != nil {
		return nil, &nlp.ParseError{Line: 1, Offset: 0, Err: err}
	}
	words := make([]string, 0, min(count, 1<<16))
	data := make([]float32, 0, min(count, (1<<22)/dim)*dim) // grows past what a header claims
	index := make(map[string]int)
	raw := make([]byte, 4*dim)
	var word bytes.Buffer
	for n := 0; n < count; n++ {
		line := n + 2
		start := off
		word.Reset()
		for {
			c, err := br.ReadByte()
			if err != nil {
				if err == io.EOF {
					err = fmt.Errorf("%w: %d of %d", ErrTruncated, n, count)
				}
				return nil, &nlp.ParseError{Line: line, Offset: off, Err: err}
			}
			off++
			if c == ' ' {
				break
			}
			if c == '\n' && word.Len() == 0 {
				continue // the newline after the previous vector
			}
			if word.Len() > 1<<16 {
				return nil, &nlp.ParseError{Line: line, Offset: start, Err: errors.New("word longer than 64 KiB")}
			}
			word.WriteByte(c)
		}
		w := word.String()
		if err := checkWord(w); err != nil {
			if n > 0 {
				// The most common cause by far: a DIM in the header that is not
				// the rows' own, so the previous vector ended in the wrong place
				// and this "word" is the middle of a vector.
				err = fmt.Errorf("%w (vector %d: %v): check the DIM %d of the header", ErrDim, n+1, err, dim)
			}
			return nil, &nlp.ParseError{Line: line, Offset: start, Err: err}
		}
		if j, dup := index[w]; dup {
			return nil, &nlp.ParseError{Line: line, Offset: start, Err: fmt.Errorf("word %q repeats the word of vector %d", w, j+1)}
		}
		if _, err := io.ReadFull(br, raw); err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				err = fmt.Errorf("%w: vector %d of %d cut short", ErrTruncated, n+1, count)
			}
			return nil, &nlp.ParseError{Line: line, Offset: off, Err: err}
		}
		off += int64(len(raw))
		index[w] = len(words)
		words = append(words, w)
		for k := 0; k < dim; k++ {
			x := math.Float32frombits(binary.LittleEndian.Uint32(raw[4*k:]))
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return nil, &nlp.ParseError{Line: line, Offset: off - int64(len(raw)) + int64(4*k),
					Err: fmt.Errorf("%w: value %d of %q (vector %d) is %v", ErrNonFinite, k+1, linescan.Clip(w), n+1, x)}
			}
			data = append(data, x)
		}
	}
	// Allow the final newline, then nothing else.
	for {
		c, err := br.ReadByte()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &nlp.ParseError{Line: count + 2, Offset: off, Err: err}
		}
		if c != '\n' {
			return nil, &nlp.ParseError{Line: count + 2, Offset: off, Err: ErrTrailing}
		}
		off++
	}
	return &Vectors{words: words, dim: dim, data: data, index: index}, nil
}

// WriteBinary writes v in the word2vec binary format, with a newline after each vector
// as word2vec C does (gensim and word2vec C read it).
func WriteBinary(w io.Writer, v *Vectors) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "%d %d\n", v.Len(), v.dim)
	raw := make([]byte, 4*v.dim)
	for i, word := range v.words {
		bw.WriteString(word)
		bw.WriteByte(' ')
		for k, x := range v.Row(i) {
			binary.LittleEndian.PutUint32(raw[4*k:], math.Float32bits(x))
		}
		bw.Write(raw)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// IsBinaryPath reports whether a file name asks for the binary format (".bin").
func IsBinaryPath(path string) bool {
	return strings.EqualFold(filepath.Ext(path), ".bin")
}

// Save writes v to path, in the binary format if binary is true and the text format
// otherwise, through a temporary file renamed into place so that a crash never leaves
// a half-written file.
func Save(path string, v *Vectors, binary bool) error {
	err := fileutil.WriteAtomic(path, func(w io.Writer) error {
		if binary {
			return WriteBinary(w, v)
		}
		return WriteText(w, v)
	})
	if err != nil {
		return fmt.Errorf("embed: save %q: %w", path, err)
	}
	return nil
}

// Load reads vectors from path, decompressing it when its name ends in ".gz". The
// format is detected from the content: a file whose first vector line is valid UTF-8
// text with DIM numbers is text, anything else binary. A first line of numbers whose
// count is not the header's DIM is an error wrapping ErrDim: the header is wrong,
// and reading the file as binary would only report a misleading bad word.
func Load(path string) (*Vectors, error) {
	f, err := fileutil.Open(path)
	if err != nil {
		return nil, fmt.Errorf("embed: load: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	bin, err := sniffBinary(br)
	if err != nil {
		return nil, fmt.Errorf("embed: load %q: %w", path, err)
	}
	var v *Vectors
	if bin {
		v, err = ReadBinary(br)
	} else {
		v, err = ReadText(br)
	}
	if err != nil {
		return nil, fmt.Errorf("embed: load %q: %w", path, err)
	}
	return v, nil
}

// sniffBinary peeks at the start of the file and reports whether it is binary: the
// first 4·DIM bytes after the first word of a binary file are raw floats, which almost
// never read as DIM space-separated numbers.
func sniffBinary(br *bufio.Reader) (bool, error) {
	peek, err := br.Peek(br.Size())
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return false, err
	}
	nl := bytes.IndexByte(peek, '\n')
	if nl < 0 {
		return false, nil // let the text reader report the header
	}
	count, dim, err := parseHeader(string(peek[:nl]))
	if err != nil || count == 0 {
		return false, nil
	}
	rest := peek[nl+1:]
	end := bytes.IndexByte(rest, '\n')
	if end < 0 {
		end = len(rest)
	}
	f := asciiFields(string(rest[:end]))
	if len(f) < 2 || !utf8.Valid(rest[:end]) {
		return true, nil
	}
	for _, s := range f[1:] {
		if _, err := strconv.ParseFloat(s, 32); err != nil && !errors.Is(err, strconv.ErrRange) {
			return true, nil
		}
	}
	if len(f) != dim+1 {
		// A line of text and numbers: a text file whose header is wrong.
		return false, &nlp.ParseError{Line: 2, Offset: int64(nl + 1),
			Err: fmt.Errorf("%w: the header says DIM %d, the first vector has %d values", ErrDim, dim, len(f)-1)}
	}
	return false, nil
}
