package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/classify"
	"github.com/nlp-go/nlp/datasets"
	"github.com/nlp-go/nlp/datasets/conllu"
	"github.com/nlp-go/nlp/datasets/tokenize"
	"github.com/nlp-go/nlp/embed"
	"github.com/nlp-go/nlp/models"
	"github.com/nlp-go/nlp/tagger"
)

func loadModels(t testing.TB) (*tagger.Model, *classify.Model) {
	t.Helper()
	tm, err := models.Tagger()
	if err != nil {
		t.Fatal(err)
	}
	cm, err := models.Classifier()
	if err != nil {
		t.Fatal(err)
	}
	return tm, cm
}

// runDocs runs the stage over a file's documents and returns them.
func runDocs(t *testing.T, path string, rc ReadConfig, st Stage[*Document, *Document], cfg Config) []*Document {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rc.Name = path
	src, err := NewReader(f, rc)
	if err != nil {
		t.Fatal(err)
	}
	var out collect[*Document]
	if err := Run(context.Background(), src, st, &out, cfg); err != nil {
		t.Fatal(err)
	}
	return out.items
}

// The built-in chain gives the tags of tagger.Tag and the sentiment of
// classify.Predict, computed here through those packages.
func TestChainMatchesPackages(t *testing.T) {
	tm, cm := loadModels(t)
	for _, cfg := range []Config{{Workers: 1, Batch: 1}, {Workers: 3, Batch: 2}} {
		chain := Chain(Segment(SegmentConfig{}), Tag(tm), Classify(cm))
		docs := runDocs(t, "testdata/reviews.txt", ReadConfig{}, chain, cfg)

		data, _ := os.ReadFile("testdata/reviews.txt")
		tok := tokenize.New()
		var texts []string
		var forms [][]string
		lines := 0
		for _, line := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			lines++
			sents, err := tok.Sentences(line)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range sents {
				texts = append(texts, s)
				forms = append(forms, tok.Tokenize(s))
			}
		}
		ref, _ := models.Tagger()
		tags := ref.Tag(forms)
		refC, _ := models.Classifier()

		if len(docs) != lines {
			t.Fatalf("%d documents, want %d", len(docs), lines)
		}
		k := 0
		for _, d := range docs {
			for _, s := range d.Sentences {
				if s.Text != texts[k] {
					t.Fatalf("sentence %d: %q, want %q", k, s.Text, texts[k])
				}
				if len(s.Tokens) != len(forms[k]) {
					t.Fatalf("sentence %d: %d tokens, want %d", k, len(s.Tokens), len(forms[k]))
				}
				for i, tk := range s.Tokens {
					if tk.Form != forms[k][i] || tk.UPOS != tags[k].UPOS[i] || tk.XPOS != tags[k].XPOS[i] {
						t.Errorf("sentence %d token %d: %+v, want %s %s %s", k, i, tk, forms[k][i], tags[k].UPOS[i], tags[k].XPOS[i])
					}
				}
				p := refC.Predict(texts[k])
				if s.Sentiment == nil || s.Sentiment.Label != p.Label || math.Abs(s.Sentiment.Prob-p.Prob) > 1e-9 {
					t.Errorf("sentence %d %q: sentiment %+v, want %s %v", k, texts[k], s.Sentiment, p.Label, p.Prob)
				}
				k++
			}
		}
		if k != len(texts) {
			t.Fatalf("%d sentences, want %d", k, len(texts))
		}
	}
}

func TestSerialChainMatches(t *testing.T) {
	tm, cm := loadModels(t)
	par := runDocs(t, "testdata/reviews.txt", ReadConfig{}, Chain(Segment(SegmentConfig{}), Tag(tm), Classify(cm)), Config{Workers: 2, Batch: 1})
	ser := runDocs(t, "testdata/reviews.txt", ReadConfig{}, Chain(Segment(SegmentConfig{}), Serial(Tag(tm)), Serial(Classify(cm))), Config{Workers: 2, Batch: 1})
	var a, b bytes.Buffer
	for _, x := range []struct {
		docs []*Document
		buf  *bytes.Buffer
	}{{par, &a}, {ser, &b}} {
		w, _ := NewWriter(x.buf, OutputJSONL)
		for _, d := range x.docs {
			if err := w.Write(d); err != nil {
				t.Fatal(err)
			}
		}
		w.Flush()
	}
	if a.String() != b.String() {
		t.Errorf("serial and forked stages differ:\n%s\n%s", a.String(), b.String())
	}
}

// CoNLL-U in, CoNLL-U out: every line as read but UPOS and XPOS of the words,
// and a "# sentiment" comment after each sentence's comments.
func TestCoNLLURoundTrip(t *testing.T) {
	tm, cm := loadModels(t)
	in, err := os.ReadFile("testdata/ewt-dev-slice.conllu")
	if err != nil {
		t.Fatal(err)
	}
	gold, err := conllu.NewReader(bytes.NewReader(in)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	forms := make([][]string, len(gold))
	for i, s := range gold {
		forms[i] = s.Forms()
	}
	ref, _ := models.Tagger()
	tags := ref.Tag(forms)

	for _, tc := range []struct {
		name  string
		stage Stage[*Document, *Document]
	}{
		{"classify", Classify(cm)},
		{"segment+tag+classify", Chain(Segment(SegmentConfig{}), Tag(tm), Classify(cm))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := NewReader(bytes.NewReader(in), ReadConfig{Name: "dev.conllu"})
			if err != nil {
				t.Fatal(err)
			}
			if src.Format() != InputCoNLLU {
				t.Fatalf("detected %s", src.Format())
			}
			var out bytes.Buffer
			w, _ := NewWriter(&out, OutputCoNLLU)
			if err := Run(context.Background(), src, tc.stage, w, Config{Workers: 3, Batch: 4}); err != nil {
				t.Fatal(err)
			}
			w.Flush()
			inLines := strings.Split(string(in), "\n")
			var outLines []string
			sentiments := 0
			for _, l := range strings.Split(out.String(), "\n") {
				if strings.HasPrefix(l, "# sentiment = ") {
					f := strings.Fields(strings.TrimPrefix(l, "# sentiment = "))
					if len(f) != 2 || (f[0] != "positive" && f[0] != "negative") {
						t.Fatalf("bad comment %q", l)
					}
					sentiments++
					continue
				}
				outLines = append(outLines, l)
			}
			if sentiments != len(gold) {
				t.Errorf("%d sentiment comments for %d sentences", sentiments, len(gold))
			}
			if tc.name == "classify" {
				if strings.Join(outLines, "\n") != string(in) {
					t.Fatal("without tagging, the output (sentiment comments aside) differs from the input")
				}
				return
			}
			if len(outLines) != len(inLines) {
				t.Fatalf("%d lines, want %d", len(outLines), len(inLines))
			}
			sent, word := 0, 0
			for i, l := range inLines {
				o := outLines[i]
				if l == "" {
					if o != "" {
						t.Fatalf("line %d: %q, want a blank line", i+1, o)
					}
					sent, word = sent+1, 0
					continue
				}
				cols, ocols := strings.Split(l, "\t"), strings.Split(o, "\t")
				if len(cols) != 10 || strings.ContainsAny(cols[0], "-.") {
					if o != l {
						t.Fatalf("line %d: %q, want %q", i+1, o, l)
					}
					continue
				}
				for c := range cols {
					if c == 3 || c == 4 {
						continue
					}
					if ocols[c] != cols[c] {
						t.Fatalf("line %d column %d: %q, want %q", i+1, c+1, ocols[c], cols[c])
					}
				}
				if ocols[3] != tags[sent].UPOS[word] || ocols[4] != tags[sent].XPOS[word] {
					t.Fatalf("line %d: tags %s %s, want %s %s", i+1, ocols[3], ocols[4], tags[sent].UPOS[word], tags[sent].XPOS[word])
				}
				word++
			}
		})
	}
}

func TestJSONLines(t *testing.T) {
	tm, cm := loadModels(t)
	f, _ := os.Open("testdata/reviews.jsonl")
	defer f.Close()
	src, err := NewReader(f, ReadConfig{Name: "reviews.jsonl"})
	if err != nil {
		t.Fatal(err)
	}
	if src.Format() != InputJSONL {
		t.Fatalf("detected %s", src.Format())
	}
	var out bytes.Buffer
	w, _ := NewWriter(&out, OutputJSONL)
	if err := Run(context.Background(), src, Chain(Segment(SegmentConfig{}), Tag(tm), Classify(cm)), w, Config{}); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	type token struct{ Form, UPOS, XPOS string }
	type line struct {
		Doc, Sent int
		ID        *string
		Text      string
		Tokens    []token
		Sentiment *Sentiment
	}
	var got []line
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("%v: %s", err, sc.Text())
		}
		got = append(got, l)
	}
	want := []struct {
		doc, sent int
		id        string
		text      string
	}{
		{0, 0, "r1", "The acting was superb and the story moved me to tears."},
		{1, 0, "2", "What a dull, tedious mess."},
		{1, 1, "2", "Nobody should pay to see this film."},
		{2, 0, "", "It's a small film about a family in a small town."},
	}
	if len(got) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(got), len(want), out.String())
	}
	for i, w := range want {
		g := got[i]
		id := ""
		if g.ID != nil {
			id = *g.ID
		}
		if g.Doc != w.doc || g.Sent != w.sent || id != w.id || g.Text != w.text {
			t.Errorf("line %d: doc %d sent %d id %q text %q, want %+v", i, g.Doc, g.Sent, id, g.Text, w)
		}
		if len(g.Tokens) == 0 || g.Tokens[0].UPOS == "" || g.Tokens[0].XPOS == "" || g.Sentiment == nil || g.Sentiment.Prob < 0.5 {
			t.Errorf("line %d: %+v", i, g)
		}
	}
	if got[0].Sentiment.Label != "positive" || got[1].Sentiment.Label != "negative" {
		t.Errorf("sentiments %v %v", got[0].Sentiment, got[1].Sentiment)
	}
}

func TestReaderErrors(t *testing.T) {
	for _, tc := range []struct {
		name, input string
		cfg         ReadConfig
		want        string // error prefix
		sentinel    error
	}{
		{"bad json", "{\"text\": \"a\"}\n\n{\"text\": \"b\"\n", ReadConfig{Name: "x.jsonl"}, "x.jsonl:3: doc 1: invalid JSON line", nil},
		{"no text", "{\"text\": \"a\"}\n{\"id\": 1}\n", ReadConfig{Name: "x.jsonl"}, `x.jsonl:2: doc 1: JSON line without a "text" string`, nil},
		{"text not a string", "{\"text\": 3}\n", ReadConfig{Name: "x.jsonl"}, "x.jsonl:1: doc 0: invalid JSON line", nil},
		{"bad id", "{\"text\": \"a\", \"id\": [1]}\n", ReadConfig{Name: "x.jsonl"}, `x.jsonl:1: doc 0: JSON line whose "id"`, nil},
		{"long line", "short\n" + strings.Repeat("x", 11) + "\n", ReadConfig{Name: "t.txt", MaxLine: 10}, "t.txt:2: doc 1: line too long", ErrLineTooLong},
		{"long last line", "short\n" + strings.Repeat("x", 11), ReadConfig{Name: "t.txt", MaxLine: 10}, "t.txt:2: doc 1: line too long", ErrLineTooLong},
		{"long paragraph", "a b\n\nccc\nddd\neee\n", ReadConfig{Name: "t.txt", MaxLine: 10, Paragraphs: true}, "t.txt:3: doc 1: line too long", ErrLineTooLong},
		{"invalid utf-8", "fine\nbad \xff byte\n", ReadConfig{Name: "t.txt"}, "t.txt:2:5: doc 1: invalid UTF-8", nlp.ErrInvalidUTF8},
		{"NUL", "fine\nbad \x00 byte\n", ReadConfig{Name: "t.txt"}, "t.txt:2:5: doc 1: NUL byte", nlp.ErrNUL},
		{"bad conllu", "# text = a b\n1\ta\t_\t_\t_\t_\t_\t_\t_\t_\n2\tb\t_\t_\t_\n\n", ReadConfig{Name: "c.conllu", Format: InputCoNLLU}, "c.conllu:3:10: doc 0: wrong number of columns", conllu.ErrFieldCount},
		{"conllu second sentence", "1\ta\t_\t_\t_\t_\t_\t_\t_\t_\n\n1\tb\t_\t_\t_\t_\t_\t_\t_\n\n", ReadConfig{Name: "c.conllu", Format: InputCoNLLU}, "c.conllu:3:18: doc 1: wrong number of columns", conllu.ErrFieldCount},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(tc.input), tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			for err == nil {
				_, err = r.Next()
			}
			var pe *Error
			if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("got %v, want an *Error starting %q", err, tc.want)
			}
			if tc.sentinel != nil && !errors.Is(err, tc.sentinel) {
				t.Errorf("%v does not wrap %v", err, tc.sentinel)
			}
			// The document error wraps the one position error of the readers.
			var ppe *nlp.ParseError
			if !errors.As(err, &ppe) || ppe.File != tc.cfg.Name || ppe.Line != pe.Line {
				t.Errorf("%v: no *nlp.ParseError at %s:%d inside (%+v)", err, tc.cfg.Name, pe.Line, ppe)
			}
		})
	}
	if _, err := NewReader(strings.NewReader(""), ReadConfig{Format: "xml"}); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestReaderText(t *testing.T) {
	read := func(input string, cfg ReadConfig) []*Document {
		t.Helper()
		r, err := NewReader(strings.NewReader(input), cfg)
		if err != nil {
			t.Fatal(err)
		}
		var docs []*Document
		for {
			d, err := r.Next()
			if err == io.EOF {
				return docs
			}
			if err != nil {
				t.Fatal(err)
			}
			docs = append(docs, d)
		}
	}
	docs := read("first line\r\n\n  \nsecond\nthird", ReadConfig{})
	if len(docs) != 3 || docs[0].Text != "first line" || docs[1].Line != 4 || docs[2].Text != "third" || docs[2].Index != 2 || docs[2].Line != 5 || docs[0].Name != "input" {
		t.Errorf("lines: %+v %+v %+v", docs[0], docs[1], docs[2])
	}
	docs = read("\na paragraph\non two lines\n\n\nanother\n", ReadConfig{Paragraphs: true})
	if len(docs) != 2 || docs[0].Text != "a paragraph on two lines" || docs[0].Line != 2 || docs[1].Line != 6 {
		t.Errorf("paragraphs: %+v %+v", docs[0], docs[1])
	}
	if got, err := DetectInput([]byte("  {\"text\": 1}")); got != InputJSONL || err != nil {
		t.Errorf("DetectInput: %s %v", got, err)
	}
	if got, err := DetectInput([]byte("Just words.\n")); got != InputText || err != nil {
		t.Errorf("DetectInput: %s %v", got, err)
	}
}

func TestSegmentMaxTokens(t *testing.T) {
	d := &Document{Text: strings.Repeat("word ", 25) + "end"}
	if _, err := Segment(SegmentConfig{MaxTokens: 10}).Process(context.Background(), []*Document{d}); err != nil {
		t.Fatal(err)
	}
	var n []int
	for _, s := range d.Sentences {
		n = append(n, len(s.Tokens))
	}
	if fmt.Sprint(n) != "[10 10 6]" {
		t.Errorf("pieces of %v tokens, want [10 10 6]", n)
	}
	d = &Document{Text: "One sentence. Another one."}
	Segment(SegmentConfig{NoSplit: true}).Process(context.Background(), []*Document{d})
	if len(d.Sentences) != 1 || len(d.Sentences[0].Tokens) != 6 {
		t.Errorf("NoSplit: %+v", d.Sentences)
	}
}

// The tagger clears its memo of word projections when it is full (it used to
// panic then); the tag stage must give the same tags on a stream with more
// distinct words than the memo holds.
func TestTagManyDistinctWords(t *testing.T) {
	if testing.Short() {
		t.Skip("tags 10,000 new words")
	}
	tm, _ := loadModels(t)
	var docs []*Document
	w := 0
	for i := range 1000 {
		words := make([]string, 20)
		for k := range words {
			// Half the words new, half seen before: the memo then overflows in
			// a batch that also needs entries it held.
			if k%2 == 0 {
				words[k] = fmt.Sprintf("zq%x", w)
				w++
			} else {
				words[k] = fmt.Sprintf("common%d", k)
			}
		}
		docs = append(docs, &Document{Index: i, Text: strings.Join(words, " ")})
	}
	var out collect[*Document]
	err := Run(context.Background(), &sliceSource{docs: docs}, Then(Segment(SegmentConfig{NoSplit: true}), Serial(Tag(tm))), &out, Config{Workers: 2, Batch: 100})
	if err != nil {
		t.Fatal(err)
	}
	// The same tags as fresh models, each tagging 100 sentences (2,000 forms: no
	// overflow).
	for lo := 0; lo < len(out.items); lo += 100 {
		ref, _ := models.Tagger()
		var forms [][]string
		for _, d := range out.items[lo : lo+100] {
			forms = append(forms, strings.Fields(d.Text))
		}
		for i, tg := range ref.Tag(forms) {
			for k, tk := range out.items[lo+i].Sentences[0].Tokens {
				if tk.UPOS != tg.UPOS[k] || tk.XPOS != tg.XPOS[k] {
					t.Fatalf("document %d token %d: %s %s, want %s %s", lo+i, k, tk.UPOS, tk.XPOS, tg.UPOS[k], tg.XPOS[k])
				}
			}
		}
	}
}

// lazyText produces n bytes of text lines without holding them.
type lazyText struct {
	n, done int
	line    []byte
	off     int
}

func (l *lazyText) Read(p []byte) (int, error) {
	if l.done >= l.n {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && l.done < l.n {
		c := copy(p[k:], l.line[l.off:])
		k, l.off, l.done = k+c, (l.off+c)%len(l.line), l.done+c
	}
	return k, nil
}

// A long input streams through in bounded memory: the heap never holds more than
// a small part of it.
func TestMemoryBounded(t *testing.T) {
	line := []byte("the quick brown fox jumps over the lazy dog and runs far away into the woods again\n")
	size := (24 << 20) / len(line) * len(line)
	src, err := NewReader(&lazyText{n: size, line: line}, ReadConfig{Format: InputText})
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak uint64
	docs, tokens := 0, 0
	sink := SinkFunc[*Document](func(d *Document) error {
		docs++
		tokens += d.Tokens()
		if docs%20000 == 0 {
			runtime.GC() // count what is live, not garbage waiting for the collector
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		return nil
	})
	if err := Run(context.Background(), src, Segment(SegmentConfig{NoSplit: true}), sink, Config{Workers: 2, Batch: 256}); err != nil {
		t.Fatal(err)
	}
	if want := size / len(line); docs != want || tokens != 17*want {
		t.Fatalf("%d documents and %d tokens, want %d and %d", docs, tokens, want, 17*want)
	}
	// Holding the input's tokens would take several times its size.
	if grown := int64(peak) - int64(base); grown > 16<<20 {
		t.Errorf("heap grew by %d MB while streaming %d MB", grown>>20, size>>20)
	}
}

func TestEmbed(t *testing.T) {
	v, err := embed.NewVectors([]string{"film", "good", "The"}, 2, []float32{1, 2, 3, 4, 5, 6})
	if err != nil {
		t.Fatal(err)
	}
	docs := []*Document{{Text: "The good film, the Film."}}
	var out collect[*Document]
	if err := Run(context.Background(), &sliceSource{docs: docs}, Then(Segment(SegmentConfig{}), Embed(v)), &out, Config{}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tk := range out.items[0].Sentences[0].Tokens {
		got = append(got, fmt.Sprint(tk.Form, tk.Vector))
	}
	// As written first ("The"), else lower-cased ("Film" → "film"); none for the others.
	if want := "[The[5 6] good[3 4] film[1 2] ,[] the[] Film[1 2] .[]]"; fmt.Sprint(got) != want {
		t.Errorf("got %v, want %s", got, want)
	}
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, OutputJSONL)
	w.Write(out.items[0])
	w.Flush()
	if !strings.Contains(buf.String(), `{"form":"good","vector":[3,4]}`) || !strings.Contains(buf.String(), `{"form":","}`) {
		t.Errorf("JSON: %s", buf.String())
	}
}

// TestReaderDetection covers issue 17, item 3 for the pipeline reader: a BOM
// is dropped from text and CoNLL-U, a CoNLL-U input with a malformed line is
// an error at that line, and input of comments only is an error naming --input.
func TestReaderDetection(t *testing.T) {
	first := func(in string) (*Document, error) {
		r, err := NewReader(strings.NewReader(in), ReadConfig{Name: "f"})
		if err != nil {
			return nil, err
		}
		return r.Next()
	}
	d, err := first("\ufeffHello world.\n")
	if err != nil || d.Text != "Hello world." {
		t.Errorf("BOM text: %+v %v", d, err)
	}
	word := "1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n"
	d, err = first("\ufeff" + word + "\n")
	if err != nil || len(d.Sentences) != 1 || d.Sentences[0].Tokens[0].Form != "Hi" {
		t.Errorf("BOM CoNLL-U: %+v %v", d, err)
	}
	bad := word + strings.Replace(word, "1\t", "2\t", 1) + word[:5] + " broken\n" + word + "\n"
	r, err := NewReader(strings.NewReader(bad), ReadConfig{Name: "f"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Next()
	var pe *nlp.ParseError
	if !errors.As(err, &pe) || pe.Line != 3 || pe.Column == 0 {
		t.Errorf("bad line: %v, want a parse error at line 3 with a column", err)
	}
	_, err = NewReader(strings.NewReader("# one\n# two\n"), ReadConfig{Name: "f"})
	if !errors.Is(err, datasets.ErrAmbiguousFormat) || !strings.Contains(err.Error(), "--input") {
		t.Errorf("only comments: %v", err)
	}
}

// TestTokensJSON: the tokens of a sentence encoded through TokensJSON (as the
// HTTP server embeds them) are byte for byte the "tokens" array of the JSON
// line the Writer writes for it, tags, vectors and HTML characters included.
func TestTokensJSON(t *testing.T) {
	toks := []Token{
		{Form: "<b>", UPOS: "X", XPOS: "ADD"},
		{Form: "Tom&Jerry", UPOS: "PROPN", XPOS: "NNP", Vector: []float32{0.5, -1.25}},
		{Form: "\"", UPOS: "PUNCT", XPOS: "''"},
		{Form: "untagged"},
	}
	d := &Document{Sentences: []*Sentence{{Text: "<b> Tom&Jerry \" untagged", Tokens: toks}}}
	var out bytes.Buffer
	w, err := NewWriter(&out, OutputJSONL)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(d); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	var line map[string]json.RawMessage
	if err := json.Unmarshal(out.Bytes(), &line); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	enc := json.NewEncoder(&got)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(struct {
		Tokens TokensJSON `json:"tokens"`
	}{toks}); err != nil {
		t.Fatal(err)
	}
	want := `{"tokens":` + string(line["tokens"]) + "}\n"
	if got.String() != want {
		t.Errorf("TokensJSON:\n%s\nthe Writer's tokens:\n%s", got.String(), want)
	}
	if !strings.Contains(want, `"form":"<b>"`) {
		t.Errorf("the Writer escaped HTML characters: %s", want)
	}
}
