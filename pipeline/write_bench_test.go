package pipeline

import (
	"context"
	"io"
	"os"
	"testing"
)

// BenchmarkWriteJSON measures the JSON lines writer alone: the sentences of the
// EWT slice, read as text from their "# text" comments, segmented and given
// tags, written to io.Discard; tokens/s is what the writer sustains.
func BenchmarkWriteJSON(b *testing.B) {
	f, err := os.Open("testdata/ewt-dev-slice.conllu")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	src, err := NewReader(f, ReadConfig{Format: InputCoNLLU})
	if err != nil {
		b.Fatal(err)
	}
	var docs []*Document
	for {
		d, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, &Document{Index: len(docs), Text: d.Sentences[0].Text})
	}
	if docs, err = Segment(SegmentConfig{}).Process(context.Background(), docs); err != nil {
		b.Fatal(err)
	}
	tokens := 0
	for _, d := range docs {
		for _, s := range d.Sentences {
			s.Sentiment = &Sentiment{Label: "positive", Prob: 0.8731}
			for i := range s.Tokens {
				s.Tokens[i].UPOS, s.Tokens[i].XPOS = "NOUN", "NN"
			}
		}
		tokens += d.Tokens()
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		w, err := NewWriter(io.Discard, OutputJSONL)
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range docs {
			if err := w.Write(d); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
		n += tokens
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "tokens/s")
}
