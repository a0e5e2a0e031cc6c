package annotate

import (
	"bytes"
	"context"
	"errors"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/nlp-go/nlp/models"
	"github.com/nlp-go/nlp/pipeline"
)

// view is what an annotation says about a document's sentences, for comparing
// two annotations of the same text.
func view(d *pipeline.Document) []string {
	var out []string
	for _, s := range d.Sentences {
		var b strings.Builder
		b.WriteString(s.Text)
		for _, t := range s.Tokens {
			b.WriteString(" " + t.Form + "/" + t.UPOS + "/" + t.XPOS)
		}
		if s.Sentiment != nil {
			b.WriteString(" " + s.Sentiment.Label)
		}
		out = append(out, b.String())
	}
	return out
}

// reference runs nlp pipeline's chain over the file with pipeline.Run, on
// models of its own: the independent path the Annotator must agree with.
func reference(t *testing.T, path string) []*pipeline.Document {
	t.Helper()
	tm, err := models.Tagger()
	if err != nil {
		t.Fatal(err)
	}
	cm, err := models.Classifier()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := pipeline.NewReader(f, pipeline.ReadConfig{Name: path})
	if err != nil {
		t.Fatal(err)
	}
	var docs []*pipeline.Document
	sink := pipeline.SinkFunc[*pipeline.Document](func(d *pipeline.Document) error { docs = append(docs, d); return nil })
	chain := pipeline.Chain(pipeline.Segment(pipeline.SegmentConfig{}), pipeline.Tag(tm), pipeline.Classify(cm))
	if err := pipeline.Run(context.Background(), src, chain, sink, pipeline.Config{}); err != nil {
		t.Fatal(err)
	}
	return docs
}

// The Annotator gives what pipeline.Run gives with the same stages: for many
// texts at once, for one text each from concurrent callers, and as a stream.
func TestAnnotator(t *testing.T) {
	const path = "testdata/reviews.txt"
	want := reference(t, path)
	a, err := New()
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, d := range want {
		texts = append(texts, d.Text)
	}

	docs, err := a.Texts(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != len(want) || len(docs) < 10 {
		t.Fatalf("%d documents, want %d (at least 10)", len(docs), len(want))
	}
	for i := range docs {
		if docs[i].Index != i || !reflect.DeepEqual(view(docs[i]), view(want[i])) {
			t.Fatalf("text %d (index %d): %q\nwant %q", i, docs[i].Index, view(docs[i]), view(want[i]))
		}
	}

	// Concurrent callers, one text each (go test -race checks the sharing).
	var wg sync.WaitGroup
	errs := make([]error, len(texts))
	got := make([]*pipeline.Document, len(texts))
	for i, text := range texts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = a.Text(context.Background(), text)
		}()
	}
	wg.Wait()
	for i := range texts {
		if errs[i] != nil {
			t.Fatalf("text %d: %v", i, errs[i])
		}
		if !reflect.DeepEqual(view(got[i]), view(want[i])) {
			t.Errorf("concurrent text %d: %q\nwant %q", i, view(got[i]), view(want[i]))
		}
	}

	// Stream writes what pipeline's Writer writes for Run's documents.
	var ref bytes.Buffer
	w, err := pipeline.NewWriter(&ref, pipeline.OutputJSONL)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range want {
		if err := w.Write(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out bytes.Buffer
	if err := a.Stream(context.Background(), f, &out, pipeline.OutputJSONL); err != nil {
		t.Fatal(err)
	}
	if out.String() != ref.String() {
		t.Errorf("Stream:\n%s\nwant\n%s", out.String(), ref.String())
	}
}

func TestAnnotatorErrors(t *testing.T) {
	a := NewWith() // segmentation alone: no model needed
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := a.Text(ctx, "Cancelled before it starts."); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: got %v, want context.Canceled", err)
	}
	if err := a.Stream(context.Background(), strings.NewReader("ok\n"), &bytes.Buffer{}, "yaml"); err == nil {
		t.Error("Stream with format yaml: no error")
	}
	err := a.Stream(context.Background(), strings.NewReader("fine\nbad \xff byte\n"), &bytes.Buffer{}, pipeline.OutputJSONL)
	if err == nil || !strings.Contains(err.Error(), "input:2") {
		t.Errorf("invalid UTF-8 on line 2: got %v, want an error naming input:2", err)
	}
	doc, err := a.Text(context.Background(), "")
	if err != nil || len(doc.Sentences) != 0 {
		t.Errorf("empty text: %v, %d sentences", err, len(doc.Sentences))
	}
}
