package beam

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	sdk "github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/nlp-go/nlp/internal/linescan"
	"github.com/nlp-go/nlp/pipeline"
)

func init() {
	register.DoFn4x1[context.Context, fileio.ReadableFile, func(Record), func(DeadLetter), error](&readFn{})
	register.Emitter1[Record]()
	register.Emitter1[DeadLetter]()
	// The element types, for the workers' coders (a remote worker resolves
	// them by name).
	sdk.RegisterType(reflect.TypeOf((*Record)(nil)).Elem())
	sdk.RegisterType(reflect.TypeOf((*DeadLetter)(nil)).Elem())
	sdk.RegisterType(reflect.TypeOf((*wordCount)(nil)).Elem())
}

// Record is one unit of input as read from a file: a non-blank line of text or
// JSON, or the lines of a CoNLL-U sentence, with its place.
type Record struct {
	File   string // the file's path, as matched
	Line   int    // 1-based line where the record starts
	Index  int    // 0-based position among the file's records, dead letters included: the "doc" of nlp pipeline's output
	Format string // pipeline.InputText, InputTokens, InputJSONL or InputCoNLLU
	Data   string // the line (without its line break), or the CoNLL-U sentence's lines
}

// DeadLetter is a record that could not be processed: where it is and why.
type DeadLetter struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// readFn reads a file into Records: the format is detected from its first
// 64 KiB as nlp pipeline detects it (unless Format names it), lines longer than
// MaxLine and CoNLL-U sentences of more than MaxLine bytes are dead letters.
type readFn struct {
	Format  string
	MaxLine int

	records, dead sdk.Counter
}

func (fn *readFn) Setup() {
	fn.records = sdk.NewCounter(metricsNamespace, "records")
	fn.dead = sdk.NewCounter(metricsNamespace, "dead_letters")
}

func (fn *readFn) ProcessElement(ctx context.Context, f fileio.ReadableFile, emit func(Record), dead func(DeadLetter)) error {
	name := f.Metadata.Path
	rc, err := f.Open(ctx)
	if err != nil {
		return fmt.Errorf("nlp-beam: open %s: %w", name, err)
	}
	defer rc.Close()
	deadLetter := func(line int, reason string) {
		fn.dead.Inc(ctx, 1)
		dead(DeadLetter{File: name, Line: line, Reason: reason})
	}
	br := bufio.NewReaderSize(rc, 1<<16)
	format := fn.Format
	if format == "" || format == pipeline.InputAuto {
		head, err := br.Peek(1 << 16)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
			return fmt.Errorf("nlp-beam: read %s: %w", name, err)
		}
		if format, err = pipeline.DetectInput(head); err != nil {
			deadLetter(0, fmt.Sprintf("%v; name the format with --input-format", err))
			return nil
		}
	}
	switch format {
	case pipeline.InputText, pipeline.InputTokens, pipeline.InputJSONL, pipeline.InputCoNLLU:
	default:
		deadLetter(0, fmt.Sprintf("input format %q is not read by nlp-beam (text, tokens, jsonl or conllu)", format))
		return nil
	}
	lr := lineReader{br: br, max: fn.MaxLine}
	index := 0
	var block strings.Builder // a CoNLL-U sentence being read
	start := 0                // its first line
	skip := false             // the rest of the sentence is dropped (a dead letter)
	for {
		b, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.Is(err, errTooLong) {
			deadLetter(lr.line, fmt.Sprintf("%v: more than %d bytes", pipeline.ErrLineTooLong, fn.MaxLine))
			// The record is lost but keeps its index, so that the next ones
			// keep theirs (a malformed JSON line does too).
			if format != pipeline.InputCoNLLU {
				index++
			} else if !skip {
				skip = true
				index++
				block.Reset()
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("nlp-beam: read %s:%d: %w", name, lr.line, err)
		}
		if lr.line == 1 {
			b = linescan.TrimBOM(b)
		}
		blank := len(bytes.TrimSpace(b)) == 0
		if format != pipeline.InputCoNLLU {
			if !blank {
				fn.records.Inc(ctx, 1)
				emit(Record{File: name, Line: lr.line, Index: index, Format: format, Data: string(b)})
				index++
			}
			continue
		}
		if blank {
			if block.Len() > 0 {
				fn.records.Inc(ctx, 1)
				block.WriteByte('\n')
				emit(Record{File: name, Line: start, Index: index, Format: format, Data: block.String()})
				index++
			}
			block.Reset()
			skip = false
			continue
		}
		if skip {
			continue
		}
		if block.Len() == 0 {
			start = lr.line
		}
		if block.Len()+len(b) > fn.MaxLine {
			deadLetter(start, fmt.Sprintf("sentence too long: more than %d bytes", fn.MaxLine))
			skip = true
			index++
			block.Reset()
			continue
		}
		block.Write(b)
		block.WriteByte('\n')
	}
	if block.Len() > 0 {
		fn.records.Inc(ctx, 1)
		block.WriteByte('\n')
		emit(Record{File: name, Line: start, Index: index, Format: format, Data: block.String()})
	}
	return nil
}

var errTooLong = errors.New("line too long")

// lineReader returns the lines of a file without their line break, at most max
// bytes each: a longer line is skipped to its end and reported as errTooLong,
// so that it takes no more memory than max.
type lineReader struct {
	br   *bufio.Reader
	max  int
	line int
	buf  []byte
}

func (r *lineReader) next() ([]byte, error) {
	r.buf = r.buf[:0]
	tooLong := false
	for {
		b, err := r.br.ReadSlice('\n')
		if len(b) == 0 && errors.Is(err, io.EOF) {
			if len(r.buf) == 0 && !tooLong {
				return nil, io.EOF
			}
			break
		}
		if !tooLong {
			if len(r.buf)+len(b) > r.max+2 { // +2: the line break
				tooLong = true
				r.buf = r.buf[:0]
			} else {
				r.buf = append(r.buf, b...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		break
	}
	r.line++
	if tooLong {
		return nil, errTooLong
	}
	b := bytes.TrimSuffix(r.buf, []byte{'\n'})
	b = bytes.TrimSuffix(b, []byte{'\r'})
	if len(b) > r.max {
		return nil, errTooLong
	}
	return b, nil
}
