package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/nlp-go/nlp/datasets/tokenize"
	"github.com/nlp-go/nlp/models"
	"github.com/nlp-go/nlp/pipeline"
)

// sampleText is a few sentences with what a tokenizer splits: contractions,
// quotes, brackets, numbers, HTML characters.
const sampleText = `The film opens in 1953, in a small town. "It isn't what I expected," she said (twice) & left.
Critics loved it; audiences didn't <really>. Who wouldn't watch it again?`

// sixteen returns 16 different sentences of about 20 tokens.
func sixteen() []string {
	subjects := []string{"The old man", "A young woman", "Our neighbours", "The committee", "My brother", "Every student",
		"The small dog", "Two engineers", "The new manager", "Her parents", "The orchestra", "A tired nurse",
		"The city council", "Some tourists", "The best players", "An honest critic"}
	var out []string
	for i, s := range subjects {
		out = append(out, fmt.Sprintf("%s walked slowly to the station on day %d, but the last train had already left for the coast.", s, i+1))
	}
	return out
}

type apiToken struct {
	Form  string `json:"form"`
	UPOS  string `json:"upos"`
	XPOS  string `json:"xpos"`
	Start *int   `json:"start"`
	End   *int   `json:"end"`
}

type apiTagged struct {
	Sentences []struct {
		Text   string     `json:"text"`
		Tokens []apiToken `json:"tokens"`
	} `json:"sentences"`
}

// directTags tags text as a program would without the server: the tokenizer's
// sentences and tokens, then the built-in tagger (a copy of its own), each
// sentence alone.
func directTags(t testing.TB, texts ...string) [][]apiToken {
	t.Helper()
	m, err := models.Tagger()
	if err != nil {
		t.Fatal(err)
	}
	tok := tokenize.New()
	var out [][]apiToken
	for _, text := range texts {
		sents, err := tok.SentenceTokens(text)
		if err != nil {
			t.Fatal(err)
		}
		for _, forms := range sents {
			tags := m.Tag([][]string{forms})[0]
			var s []apiToken
			for k, f := range forms {
				s = append(s, apiToken{Form: f, UPOS: tags.UPOS[k], XPOS: tags.XPOS[k]})
			}
			out = append(out, s)
		}
	}
	return out
}

// sameTags reports where got and want differ (offsets aside), "" if nowhere.
func sameTags(got apiTagged, want [][]apiToken) string {
	if len(got.Sentences) != len(want) {
		return fmt.Sprintf("%d sentences, want %d", len(got.Sentences), len(want))
	}
	for i, s := range got.Sentences {
		if len(s.Tokens) != len(want[i]) {
			return fmt.Sprintf("sentence %d: %d tokens, want %d", i, len(s.Tokens), len(want[i]))
		}
		for k, tk := range s.Tokens {
			w := want[i][k]
			if tk.Form != w.Form || tk.UPOS != w.UPOS || tk.XPOS != w.XPOS {
				return fmt.Sprintf("sentence %d token %d: %s/%s/%s, want %s/%s/%s", i, k, tk.Form, tk.UPOS, tk.XPOS, w.Form, w.UPOS, w.XPOS)
			}
		}
	}
	return ""
}

// TestTagEqualsDirect: the tags of /v1/tag, for raw text and for sentences
// already tokenized, are those of the tokenizer and the tagger used directly.
func TestTagEqualsDirect(t *testing.T) {
	_, ts := shared(t)
	want := directTags(t, sampleText)
	r := postJSON(t, ts.URL+"/v1/tag", map[string]string{"text": sampleText})
	var got apiTagged
	if err := json.Unmarshal(r.body, &got); err != nil || r.status != 200 {
		t.Fatalf("status %d, %v: %s", r.status, err, r.body)
	}
	if d := sameTags(got, want); d != "" {
		t.Errorf("raw text: %s", d)
	}
	if got.Sentences[0].Text != "The film opens in 1953, in a small town." {
		t.Errorf("first sentence's text %q", got.Sentences[0].Text)
	}
	if !bytes.Contains(r.body, []byte(`"form":"<really>"`)) || !bytes.Contains(r.body, []byte(`"form":"&"`)) {
		t.Errorf("HTML characters escaped in %s", r.body)
	}
	var forms [][]string
	for _, s := range want {
		var f []string
		for _, tk := range s {
			f = append(f, tk.Form)
		}
		forms = append(forms, f)
	}
	r = postJSON(t, ts.URL+"/v1/tag", map[string]any{"sentences": forms})
	got = apiTagged{}
	if err := json.Unmarshal(r.body, &got); err != nil || r.status != 200 {
		t.Fatalf("status %d, %v: %s", r.status, err, r.body)
	}
	if d := sameTags(got, want); d != "" {
		t.Errorf("sentences: %s", d)
	}
	for _, s := range got.Sentences {
		for _, tk := range s.Tokens {
			if tk.Start != nil || tk.End != nil {
				t.Fatalf("offsets for tokenized input: %s", r.body)
			}
		}
	}
	// The tokens are written as nlp pipeline's records write them.
	var rec bytes.Buffer
	w, _ := pipeline.NewWriter(&rec, pipeline.OutputJSONL)
	d := &pipeline.Document{Sentences: []*pipeline.Sentence{{Text: "x", Tokens: []pipeline.Token{{Form: forms[0][0], UPOS: want[0][0].UPOS, XPOS: want[0][0].XPOS}}}}}
	w.Write(d)
	w.Flush()
	_, tokJSON, _ := strings.Cut(rec.String(), `"tokens":[`)
	tokJSON, _, _ = strings.Cut(tokJSON, "}")
	if !bytes.Contains(r.body, []byte(`"tokens":[`+tokJSON+"}")) {
		t.Errorf("the response's first token is not written as the pipeline writes %s: %s", tokJSON, r.body)
	}
}

// TestConcurrentBatchedTags: 16 clients at once, each sending one sentence a
// request several times, with batching on: every answer equals the sentence
// tagged alone, directly, and the server did gather requests into batches.
func TestConcurrentBatchedTags(t *testing.T) {
	_, ts := newTestServer(t, Config{}, testModels(t))
	sents := sixteen()
	want := make([][][]apiToken, len(sents))
	for i, s := range sents {
		want[i] = directTags(t, s)
	}
	const rounds = 4
	var wg sync.WaitGroup
	errs := make(chan string, len(sents)*rounds)
	for i, s := range sents {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				r := postJSON(t, ts.URL+"/v1/tag", map[string]string{"text": s})
				var got apiTagged
				if err := json.Unmarshal(r.body, &got); err != nil || r.status != 200 {
					errs <- fmt.Sprintf("client %d: status %d, %v", i, r.status, err)
					return
				}
				if d := sameTags(got, want[i]); d != "" {
					errs <- fmt.Sprintf("client %d: %s", i, d)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	n, _ := metricValue(t, ts.URL, `nlp_batch_items_count{model="tagger"}`)
	sum, _ := metricValue(t, ts.URL, `nlp_batch_items_sum{model="tagger"}`)
	if sum != float64(len(sents)*rounds) {
		t.Errorf("%v sentences went through the tagger, want %d", sum, len(sents)*rounds)
	}
	t.Logf("%v sentences in %v batches", sum, n)
	if n >= sum {
		t.Errorf("%v batches for %v sentences: no request was batched with another", n, sum)
	}
}

// near reports whether two probabilities are equal but for the last bits:
// the classifier's sums run in an order that depends on the batch (its
// length and composition), so a text batched with others gets probabilities
// that may differ from its own alone by a few units in the last place.
func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12 }

// TestClassifyEqualsDirect: /v1/classify's labels and probabilities, for
// texts batched with other requests', equal the classifier's on each text
// alone (to 1e-12: see near).
func TestClassifyEqualsDirect(t *testing.T) {
	_, ts := shared(t)
	m, err := models.Classifier()
	if err != nil {
		t.Fatal(err)
	}
	texts := append(sixteen(), "A gorgeous, moving film.", "The plot is a dull mess.", "")
	var wg sync.WaitGroup
	for i, text := range texts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			want := m.Clone().Predict(text)
			r := postJSON(t, ts.URL+"/v1/classify", map[string]any{"texts": []string{text}})
			var got struct {
				Results []struct {
					Label         string             `json:"label"`
					Probabilities map[string]float64 `json:"probabilities"`
				} `json:"results"`
			}
			if err := json.Unmarshal(r.body, &got); err != nil || r.status != 200 || len(got.Results) != 1 {
				t.Errorf("text %d: status %d, %v: %s", i, r.status, err, r.body)
				return
			}
			g := got.Results[0]
			if g.Label != want.Label || !near(g.Probabilities["negative"], want.Probs[0]) || !near(g.Probabilities["positive"], want.Probs[1]) {
				t.Errorf("text %d: %v, want %s %v", i, g, want.Label, want.Probs)
			}
		}()
	}
	wg.Wait()
}

// TestPipelineEqualsRun: /v1/pipeline writes the records pipeline.Run writes
// with the built-in models and nlp pipeline's stages, for text and for JSON
// lines: byte for byte but for the sentiment's probability, equal to 1e-12
// (see near).
func TestPipelineEqualsRun(t *testing.T) {
	_, ts := shared(t)
	text := sampleText + "\n\n" + strings.Join(sixteen(), "\n") + "\n"
	var jsonl strings.Builder
	for i, line := range strings.Split(strings.TrimSpace(text), "\n") {
		fmt.Fprintf(&jsonl, `{"id": "d%d", "text": %q}`+"\n", i, line)
	}
	m := testModels(t)
	for _, in := range []struct{ contentType, format, body string }{
		{"text/plain; charset=utf-8", pipeline.InputText, text},
		{"application/x-ndjson", pipeline.InputJSONL, jsonl.String()},
	} {
		src, err := pipeline.NewReader(strings.NewReader(in.body), pipeline.ReadConfig{Format: in.format})
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		w, _ := pipeline.NewWriter(&want, pipeline.OutputJSONL)
		stages := pipeline.Chain(pipeline.Segment(pipeline.SegmentConfig{}), pipeline.Tag(m.Tagger), pipeline.Classify(m.Classifier))
		if err := pipeline.Run(context.Background(), src, stages, w, pipeline.Config{}); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		r := do(t, nil, "POST", ts.URL+"/v1/pipeline", in.contentType, strings.NewReader(in.body))
		if r.status != 200 || r.header.Get("Content-Type") != "application/x-ndjson" {
			t.Errorf("%s: status %d, Content-Type %s: %s", in.format, r.status, r.header.Get("Content-Type"), r.body)
			continue
		}
		got, exp := strings.Split(string(r.body), "\n"), strings.Split(want.String(), "\n")
		if len(got) != len(exp) {
			t.Errorf("%s: %d lines, pipeline.Run wrote %d", in.format, len(got), len(exp))
			continue
		}
		for i := range got {
			if g, e := cutProb(t, got[i]), cutProb(t, exp[i]); g.line != e.line || !near(g.prob, e.prob) {
				t.Errorf("%s: line %d: the server wrote\n%s\npipeline.Run wrote\n%s", in.format, i+1, got[i], exp[i])
			}
		}
		if len(got) < 20 {
			t.Errorf("%s: only %d records", in.format, len(got))
		}
	}
}

type lineProb struct {
	line string
	prob float64
}

// cutProb returns a record with its sentiment's probability cut out, and the
// probability.
func cutProb(t *testing.T, line string) lineProb {
	head, rest, ok := strings.Cut(line, `"prob":`)
	if !ok {
		return lineProb{line: line}
	}
	num, tail, _ := strings.Cut(rest, "}")
	var p float64
	if _, err := fmt.Sscan(num, &p); err != nil {
		t.Fatalf("probability %q: %v", num, err)
	}
	return lineProb{head + tail, p}
}
