package beam

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	sdk "github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/classify"
	"github.com/nlp-go/nlp/models"
	"github.com/nlp-go/nlp/pipeline"
	"github.com/nlp-go/nlp/tagger"
)

func init() {
	register.DoFn4x1[context.Context, Record, func(string), func(DeadLetter), error](&annotateFn{})
	register.Emitter1[string]()
}

const metricsNamespace = "nlp"

// annotateFn parses Records into pipeline.Documents and runs them, a batch at
// a time, through pipeline.Segment, Tag and Classify; it emits each document's
// output (JSON lines or CoNLL-U, as pipeline.Writer writes it, with the file
// and line added) and sends the records it cannot read or annotate to the
// dead letters. The exported fields are its configuration, serialized to the
// workers.
type annotateFn struct {
	Output     string // pipeline.OutputJSONL or OutputCoNLLU
	NoSplit    bool
	Tagger     string // model path; "" for the built-in model
	Classifier string // model path; "" for the built-in model
	BatchDocs  int
	BatchBytes int
	Copies     bool // a copy of the models for this instance, not one shared by the process

	stage          pipeline.Stage[*pipeline.Document, *pipeline.Document]
	batch          []*pipeline.Document
	size           int
	buf            bytes.Buffer
	wr             *pipeline.Writer
	docs, sents    sdk.Counter
	tokens, deadMt sdk.Counter
}

// shared holds the tagger and classifier stages of a worker process, loaded
// once for its DoFn instances: serial shares one instance of each under a lock
// (pipeline.Serial), as nlp pipeline shares them between its goroutines; own
// is the same pair unshared, which an instance forks (a copy of the models'
// buffers) with Options.Copies.
var shared struct {
	sync.Mutex
	stages map[[2]string]modelStages
}

type modelStages struct {
	serial, own pipeline.Stage[*pipeline.Document, *pipeline.Document]
}

func sharedStages(ctx context.Context, taggerPath, classifierPath string) (modelStages, error) {
	shared.Lock()
	defer shared.Unlock()
	key := [2]string{taggerPath, classifierPath}
	if st, ok := shared.stages[key]; ok {
		return st, nil
	}
	tm, err := loadModel(ctx, taggerPath, models.TaggerBytes, tagger.LoadBytes)
	if err != nil {
		return modelStages{}, fmt.Errorf("nlp-beam: tagger: %w", err)
	}
	cm, err := loadModel(ctx, classifierPath, models.ClassifierBytes, classify.LoadBytes)
	if err != nil {
		return modelStages{}, fmt.Errorf("nlp-beam: classifier: %w", err)
	}
	st := modelStages{
		serial: pipeline.Then(pipeline.Serial(pipeline.Tag(tm)), pipeline.Serial(pipeline.Classify(cm))),
		own:    pipeline.Then(pipeline.Tag(tm), pipeline.Classify(cm)),
	}
	if shared.stages == nil {
		shared.stages = map[[2]string]modelStages{}
	}
	shared.stages[key] = st
	return st, nil
}

// loadModel loads the model at path through Beam's file systems (a local path,
// gs://...), or the built-in one when path is "".
func loadModel[M any](ctx context.Context, path string, builtin func() []byte, load func([]byte) (M, error)) (M, error) {
	if path == "" {
		return load(builtin())
	}
	var zero M
	data, err := readAll(ctx, path)
	if err != nil {
		return zero, err
	}
	return load(data)
}

func readAll(ctx context.Context, path string) ([]byte, error) {
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return nil, err
	}
	defer fs.Close()
	r, err := fs.OpenRead(ctx, path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

func (fn *annotateFn) Setup(ctx context.Context) error {
	st, err := sharedStages(ctx, fn.Tagger, fn.Classifier)
	if err != nil {
		return err
	}
	// Segment is per instance (its tokenizer has a memo); the models are
	// shared, or copied for this instance (Fork clones them).
	models := st.serial
	if fn.Copies {
		models = pipeline.Fork(st.own)
	}
	fn.stage = pipeline.Then(pipeline.Segment(pipeline.SegmentConfig{NoSplit: fn.NoSplit}), models)
	fn.docs = sdk.NewCounter(metricsNamespace, "documents")
	fn.sents = sdk.NewCounter(metricsNamespace, "sentences")
	fn.tokens = sdk.NewCounter(metricsNamespace, "tokens")
	fn.deadMt = sdk.NewCounter(metricsNamespace, "dead_letters")
	return nil
}

func (fn *annotateFn) ProcessElement(ctx context.Context, rec Record, emit func(string), dead func(DeadLetter)) error {
	d, err := parseRecord(rec)
	if err != nil {
		fn.deadLetter(ctx, dead, deadLetterOf(rec, err))
		return nil
	}
	fn.batch = append(fn.batch, d)
	fn.size += d.Size()
	if len(fn.batch) >= fn.BatchDocs || fn.size >= fn.BatchBytes {
		return fn.flush(ctx, emit, dead)
	}
	return nil
}

func (fn *annotateFn) FinishBundle(ctx context.Context, emit func(string), dead func(DeadLetter)) error {
	return fn.flush(ctx, emit, dead)
}

func (fn *annotateFn) deadLetter(ctx context.Context, dead func(DeadLetter), dl DeadLetter) {
	fn.deadMt.Inc(ctx, 1)
	dead(dl)
}

// parseRecord reads rec with pipeline's Reader, so that a record is checked
// (UTF-8, JSON, CoNLL-U) and read exactly as nlp pipeline reads it, then gives
// the document rec's place.
func parseRecord(rec Record) (*pipeline.Document, error) {
	rd, err := pipeline.NewReader(strings.NewReader(rec.Data), pipeline.ReadConfig{
		Format: rec.Format, Name: rec.File, MaxLine: max(len(rec.Data), 1)})
	if err != nil {
		return nil, err
	}
	d, err := rd.Next()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("empty record")
	}
	if err != nil {
		return nil, err
	}
	d.Index, d.Line = rec.Index, rec.Line
	return d, nil
}

// deadLetterOf places err, an error about rec, at its line of the file.
func deadLetterOf(rec Record, err error) DeadLetter {
	dl := DeadLetter{File: rec.File, Line: rec.Line, Reason: err.Error()}
	var pe *nlp.ParseError
	if errors.As(err, &pe) {
		// pe's line counts from the record's first line.
		if pe.Line > 0 {
			dl.Line = rec.Line + pe.Line - 1
		}
		dl.Reason = pe.Err.Error()
		if pe.Column > 0 {
			dl.Reason = fmt.Sprintf("column %d: %v", pe.Column, pe.Err)
		}
	}
	return dl
}

// flush annotates the batch and emits its documents. A document a stage fails
// on is a dead letter; the batch goes on after it.
func (fn *annotateFn) flush(ctx context.Context, emit func(string), dead func(DeadLetter)) error {
	batch := fn.batch
	defer func() {
		clear(fn.batch)
		fn.batch, fn.size = fn.batch[:0], 0
	}()
	for len(batch) > 0 {
		out, err := fn.stage.Process(ctx, batch)
		for _, d := range out {
			if err := fn.emitDoc(ctx, d, emit); err != nil {
				fn.deadLetter(ctx, dead, DeadLetter{File: d.Name, Line: d.Line, Reason: err.Error()})
			}
		}
		if err == nil {
			return nil
		}
		var pe *pipeline.Error
		if !errors.As(err, &pe) {
			return fmt.Errorf("nlp-beam: annotate: %w", err) // systemic: the bundle fails
		}
		k := len(out)
		for k < len(batch) && (batch[k].Name != pe.Name || batch[k].Index != pe.Doc) {
			k++
		}
		if k == len(batch) {
			return fmt.Errorf("nlp-beam: annotate: %w", err)
		}
		reason := pe.Err.Error()
		fn.deadLetter(ctx, dead, DeadLetter{File: batch[k].Name, Line: batch[k].Line, Reason: reason})
		batch = batch[k+1:]
	}
	return nil
}

// emitDoc writes d as pipeline.Writer does and emits it: JSON lines with
// "file" and "line" first; CoNLL-U with a "# source = FILE:LINE" comment and,
// for sentences read from text, "# sent_id = FILE:LINE:N" (N from 1 in the
// document) instead of a count that only holds in one output file.
func (fn *annotateFn) emitDoc(ctx context.Context, d *pipeline.Document, emit func(string)) error {
	if len(d.Sentences) == 0 {
		return nil
	}
	fn.buf.Reset()
	if fn.wr == nil {
		var err error
		if fn.wr, err = pipeline.NewWriter(&fn.buf, fn.Output); err != nil {
			return err
		}
	}
	place := d.Name + ":" + strconv.Itoa(d.Line)
	var out strings.Builder
	if fn.Output == pipeline.OutputCoNLLU {
		one := *d
		for i, s := range d.Sentences {
			s.Comments = append([]string{"# source = " + place}, s.Comments...)
			one.Sentences = []*pipeline.Sentence{s}
			id := fn.wr.Sentences + 1
			err := fn.wr.Write(&one)
			if err == nil {
				err = fn.wr.Flush()
			}
			if err != nil {
				fn.wr = nil // its sentence count is off: start another
				return err
			}
			b := fn.buf.Bytes()
			if s.CoNLLU == nil {
				// The writer's sent_id line, after "# newdoc" and "# newpar" if any.
				old := []byte("# sent_id = " + strconv.Itoa(id) + "\n")
				if at := bytes.Index(b, old); at == 0 || at > 0 && b[at-1] == '\n' {
					out.Write(b[:at])
					out.WriteString("# sent_id = " + place + ":" + strconv.Itoa(i+1) + "\n")
					b = b[at+len(old):]
				}
			}
			out.Write(b)
			fn.buf.Reset()
		}
	} else {
		err := fn.wr.Write(d)
		if err == nil {
			err = fn.wr.Flush()
		}
		if err != nil {
			fn.wr = nil
			return err
		}
		name, err := json.Marshal(d.Name)
		if err != nil {
			return err
		}
		head := `{"file":` + string(name) + `,"line":` + strconv.Itoa(d.Line) + `,`
		for line := range bytes.Lines(fn.buf.Bytes()) {
			out.WriteString(head)
			out.Write(line[1:]) // after the "{"
		}
	}
	fn.docs.Inc(ctx, 1)
	fn.sents.Inc(ctx, int64(len(d.Sentences)))
	fn.tokens.Inc(ctx, int64(d.Tokens()))
	emit(out.String())
	return nil
}
