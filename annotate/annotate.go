// Package annotate is the toolkit as a library for programs that never run the
// nlp command: raw text in, sentences, tokens, part-of-speech tags and
// sentiment out, with the built-in models, in three lines:
//
//	a, err := annotate.New()
//	doc, err := a.Text(ctx, "The dog barks. I love it!")
//	for _, s := range doc.Sentences { ... s.Tokens[i].UPOS ... s.Sentiment.Label ... }
//
// An Annotator runs the stages of package pipeline (segment and tokenize, tag,
// classify, or any chain of one's own with NewWith) on text held in memory —
// a string, a slice of strings, an io.Reader — without a Source, a Sink or
// workers to set up. The results are pipeline Documents: exactly what nlp
// pipeline computes for the same text.
package annotate

import (
	"context"
	"fmt"
	"io"

	"github.com/nlp-go/nlp/models"
	"github.com/nlp-go/nlp/pipeline"
)

// batch is the number of documents Texts hands the stages at once: as many
// as nlp pipeline's batches, so that the tagger fills its batches of 64
// sentences and the buffers stay bounded however many texts are given.
const batch = 512

// Annotator runs a chain of pipeline stages on text. It is safe for
// concurrent use: each stage is shared under pipeline.Serial (one copy of
// each model, one batch at a time per stage), so that concurrent calls overlap
// different stages — one call tags while another classifies — without a copy
// of the models per goroutine. Throughput is best when many texts go in one
// call (Texts, Stream), since the networks run them as batches.
type Annotator struct {
	stage pipeline.Stage[*pipeline.Document, *pipeline.Document]
}

// New returns an Annotator with the built-in English models (package models):
// it splits text into sentences and Penn-Treebank-style tokens, tags every
// token (UPOS and XPOS) and gives every sentence a sentiment. It loads its own
// copy of the models (about 1 s and 110 MB): make one and keep it.
func New() (*Annotator, error) {
	t, err := models.Tagger()
	if err != nil {
		return nil, fmt.Errorf("annotate: %w", err)
	}
	c, err := models.Classifier()
	if err != nil {
		return nil, fmt.Errorf("annotate: %w", err)
	}
	return NewWith(pipeline.Tag(t), pipeline.Classify(c)), nil
}

// NewWith returns an Annotator that splits text into sentences and tokens
// (pipeline.Segment with its default configuration) and then runs stages in
// order: pipeline.Tag with a model of one's own, pipeline.Classify,
// pipeline.Embed, a stage made with pipeline.Map.
func NewWith(stages ...pipeline.Stage[*pipeline.Document, *pipeline.Document]) *Annotator {
	all := []pipeline.Stage[*pipeline.Document, *pipeline.Document]{pipeline.Serial(pipeline.Segment(pipeline.SegmentConfig{}))}
	for _, s := range stages {
		all = append(all, pipeline.Serial(s))
	}
	return &Annotator{stage: pipeline.Chain(all...)}
}

// Text annotates one text: its sentences, their tokens and whatever the
// stages add (tags, sentiment, vectors). The text is one document, however
// many lines it has.
func (a *Annotator) Text(ctx context.Context, text string) (*pipeline.Document, error) {
	docs, err := a.Texts(ctx, []string{text})
	if err != nil {
		return nil, err
	}
	return docs[0], nil
}

// Texts annotates several texts, one document each, in order (Document.Index
// is the position in texts). They go through the stages in batches, which is
// much faster than one Text call each.
func (a *Annotator) Texts(ctx context.Context, texts []string) ([]*pipeline.Document, error) {
	docs := make([]*pipeline.Document, len(texts))
	for i, t := range texts {
		docs[i] = &pipeline.Document{Name: "text", Index: i, Line: 1, Text: t}
	}
	for start := 0; start < len(docs); start += batch {
		part := docs[start:min(start+batch, len(docs))]
		out, err := a.stage.Process(ctx, part)
		if err != nil {
			return nil, fmt.Errorf("annotate: text %d: %w", start+len(out), err)
		}
		if len(out) != len(part) {
			return nil, fmt.Errorf("annotate: %d texts in, %d out: a stage dropped documents", len(part), len(out))
		}
	}
	return docs, nil
}

// Stream annotates r — plain text (a document a line), JSON lines, CoNLL-U or
// CoNLL columns, detected as nlp pipeline detects them — and writes the result
// to w in format (pipeline.OutputJSONL, OutputCoNLLU or OutputTSV), in bounded
// memory whatever the length of r, as nlp pipeline does with the same stages.
// Errors name the input "input" and give the line.
func (a *Annotator) Stream(ctx context.Context, r io.Reader, w io.Writer, format string) error {
	wr, err := pipeline.NewWriter(w, format)
	if err != nil {
		return fmt.Errorf("annotate: %w", err)
	}
	src, err := pipeline.NewReader(r, pipeline.ReadConfig{})
	if err != nil {
		return fmt.Errorf("annotate: %w", err)
	}
	runErr := pipeline.Run(ctx, src, a.stage, wr, pipeline.Config{Batch: batch, BatchSize: 16 << 10})
	// What was written before an error is complete documents: flush it.
	if err := wr.Flush(); err != nil && runErr == nil {
		runErr = err
	}
	return runErr
}
