package serve

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/internal/linescan"
	"github.com/nlp-go/nlp/pipeline"
)

// pipelineStages returns the stages of /v1/pipeline, those of nlp pipeline:
// segment (a pooled tokenizer), tag and classify through the batchers (so
// that a pipeline's sentences share model batches with the other requests),
// and the vectors' lookup when the server has vectors.
func (s *Server) pipelineStages() pipeline.Stage[*pipeline.Document, *pipeline.Document] {
	seg := pipeline.StageFunc[*pipeline.Document, *pipeline.Document](func(ctx context.Context, docs []*pipeline.Document) ([]*pipeline.Document, error) {
		st, err := s.segmenter(ctx)
		if err != nil {
			return nil, err
		}
		defer func() { s.segs <- st }()
		return st.Process(ctx, docs)
	})
	stages := []pipeline.Stage[*pipeline.Document, *pipeline.Document]{seg, pipeline.StageFunc[*pipeline.Document, *pipeline.Document](s.tagDocs)}
	if s.classify != nil {
		stages = append(stages, pipeline.StageFunc[*pipeline.Document, *pipeline.Document](s.classifyDocs))
	}
	if s.models.Vectors != nil {
		stages = append(stages, pipeline.Embed(s.models.Vectors))
	}
	return pipeline.Chain(stages...)
}

// tagDocs tags the sentences of docs through the tagger's batcher.
func (s *Server) tagDocs(ctx context.Context, docs []*pipeline.Document) ([]*pipeline.Document, error) {
	var forms [][]string
	var sents []*pipeline.Sentence
	for _, d := range docs {
		for _, st := range d.Sentences {
			f := make([]string, len(st.Tokens))
			for k, t := range st.Tokens {
				f[k] = t.Form
			}
			forms = append(forms, f)
			sents = append(sents, st)
		}
	}
	tags, err := s.tag.Do(ctx, forms)
	if err != nil {
		return nil, err
	}
	for i, st := range sents {
		for k := range st.Tokens {
			st.Tokens[k].UPOS, st.Tokens[k].XPOS = tags[i].UPOS[k], tags[i].XPOS[k]
		}
	}
	return docs, nil
}

// classifyDocs gives every sentence of docs its sentiment through the
// classifier's batcher, from the sentence's text as pipeline.Classify does.
func (s *Server) classifyDocs(ctx context.Context, docs []*pipeline.Document) ([]*pipeline.Document, error) {
	var texts []string
	var sents []*pipeline.Sentence
	for _, d := range docs {
		for _, st := range d.Sentences {
			t := st.Text
			if t == "" {
				forms := make([]string, len(st.Tokens))
				for k, tok := range st.Tokens {
					forms[k] = tok.Form
				}
				t = strings.Join(forms, " ")
			}
			texts = append(texts, t)
			sents = append(sents, st)
		}
	}
	preds, err := s.classify.Do(ctx, texts)
	if err != nil {
		return nil, err
	}
	for i, st := range sents {
		st.Sentiment = &pipeline.Sentiment{Label: preds[i].Label, Prob: preds[i].Prob}
	}
	return docs, nil
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// handlePipeline streams the request's text (a document a line) or JSON lines
// through pipeline.Run and writes the records nlp pipeline writes, flushed
// document by document. The run stops when the client goes away (the
// request's context). An error before the first record is answered with its
// status; after it, the status is sent already, so the stream ends with a
// line {"error": {...}} instead.
func (s *Server) handlePipeline(w http.ResponseWriter, r *http.Request) error {
	if s.tag == nil {
		return noModel("tagger", "--tagger")
	}
	format := pipeline.InputText
	if checkContentType(r, "application/x-ndjson", "application/jsonl") == nil {
		format = pipeline.InputJSONL
	} else if err := checkContentType(r, "text/plain", "application/x-ndjson", "application/jsonl"); err != nil {
		return err
	}
	rc := http.NewResponseController(w)
	// HTTP/1.1: keep reading the body after the first record is written.
	rc.EnableFullDuplex()
	maxLine := int(min(s.cfg.MaxBody, linescan.MaxLineLimit))
	src, err := pipeline.NewReader(r.Body, pipeline.ReadConfig{Format: format, Name: "request", MaxLine: maxLine})
	if err != nil {
		return pipelineError(err)
	}
	cw := &countWriter{w: w}
	wr, err := pipeline.NewWriter(cw, pipeline.OutputJSONL)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	sink := pipeline.SinkFunc[*pipeline.Document](func(d *pipeline.Document) error {
		if err := wr.Write(d); err != nil {
			return err
		}
		before := cw.n
		if err := wr.Flush(); err != nil {
			return err
		}
		if cw.n > before {
			// The stream is alive: push the deadlines on, and the records out.
			now := time.Now()
			rc.SetWriteDeadline(now.Add(s.cfg.WriteTimeout))
			rc.SetReadDeadline(now.Add(s.cfg.ReadTimeout))
			return rc.Flush()
		}
		return nil
	})
	// A batch a document: the batchers gather the sentences of the documents
	// in flight (and of other requests) into model batches, so small batches
	// here cost little, and a client streaming line by line gets each
	// document's records as soon as it is done.
	err = pipeline.Run(r.Context(), src, s.pipelineStages(), sink, pipeline.Config{Workers: 8, Batch: 1})
	if err == nil {
		err = wr.Flush()
	}
	switch {
	case err == nil:
		s.metrics.pipelines.WithLabelValues("ok").Inc()
		return rc.Flush()
	case r.Context().Err() != nil:
		s.metrics.pipelines.WithLabelValues("cancelled").Inc()
		return nil // nobody to answer
	}
	s.metrics.pipelines.WithLabelValues("error").Inc()
	perr := pipelineError(err)
	if cw.n == 0 {
		return perr
	}
	var he *httpError
	if !errors.As(perr, &he) {
		s.log.Error("pipeline failed", "request_id", requestID(r.Context()), "err", err)
		he = errorf(http.StatusInternalServerError, "internal error (request id %s)", requestID(r.Context()))
	}
	var body errorBody
	body.Error.Status, body.Error.Message, body.Error.RequestID = he.status, he.msg, requestID(r.Context())
	json.NewEncoder(w).Encode(&body)
	return nil
}

// pipelineError gives a pipeline's error its status: 413 for a body over the
// limit, 400 for malformed input (the message names the line), 503 when the
// server is closing; other errors are the server's (500).
func pipelineError(err error) error {
	var mbe *http.MaxBytesError
	var pe *nlp.ParseError
	switch {
	case errors.As(err, &mbe):
		return errorf(http.StatusRequestEntityTooLarge, "request body over the %d-byte limit (--max-body)", mbe.Limit)
	case errors.Is(err, errStopped):
		return errorf(http.StatusServiceUnavailable, "%v", err)
	case errors.As(err, &pe), errors.Is(err, nlp.ErrLineTooLong):
		return errorf(http.StatusBadRequest, "%v", err)
	}
	return err
}
