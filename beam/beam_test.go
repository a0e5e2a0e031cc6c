package beam

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	sdk "github.com/apache/beam/sdks/v2/go/pkg/beam"
	beamlog "github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"

	"github.com/nlp-go/nlp/datasets"
	"github.com/nlp-go/nlp/models"
	"github.com/nlp-go/nlp/pipeline"
)

func TestMain(m *testing.M) {
	beamlog.LogLevel = "warn" // Prism logs every job's progress at INFO
	sdk.Init()
	os.Exit(m.Run())
}

// execute runs the pipeline on Prism, in-process, and returns its counters.
func execute(t *testing.T, p *sdk.Pipeline) map[string]int64 {
	t.Helper()
	pr, err := prism.Execute(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return Counters(pr)
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func putFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if strings.HasSuffix(path, ".gz") {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(data)
		zw.Close()
		data = buf.Bytes()
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// runPipeline is nlp pipeline on one file: pipeline.Run with Segment, Tag and
// Classify on the built-in models, writing JSON lines.
func runPipeline(t *testing.T, name string, data []byte) []map[string]any {
	t.Helper()
	tm, err := models.Tagger()
	if err != nil {
		t.Fatal(err)
	}
	cm, err := models.Classifier()
	if err != nil {
		t.Fatal(err)
	}
	src, err := pipeline.NewReader(bytes.NewReader(data), pipeline.ReadConfig{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	wr, err := pipeline.NewWriter(&out, pipeline.OutputJSONL)
	if err != nil {
		t.Fatal(err)
	}
	stages := pipeline.Chain(pipeline.Segment(pipeline.SegmentConfig{}), pipeline.Tag(tm), pipeline.Classify(cm))
	if err := pipeline.Run(context.Background(), src, stages, wr, pipeline.Config{Batch: 512, BatchSize: 16 << 10}); err != nil {
		t.Fatal(err)
	}
	if err := wr.Flush(); err != nil {
		t.Fatal(err)
	}
	return jsonLines(t, out.Bytes())
}

func jsonLines(t *testing.T, data []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range bytes.Lines(data) {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		out = append(out, m)
	}
	return out
}

// shards reads the files matching glob, concatenated.
func shards(t *testing.T, glob string) []byte {
	t.Helper()
	names, err := filepath.Glob(glob)
	if err != nil {
		t.Fatal(err)
	}
	var all []byte
	for _, n := range names {
		all = append(all, readFile(t, n)...)
	}
	return all
}

// TestAnnotateEqualsRun: the records of every file — text, gzipped text, JSON
// lines, CoNLL-U — are those of pipeline.Run on that file, plus its name and
// the line of each document, whatever the sharding.
func TestAnnotateEqualsRun(t *testing.T) {
	t.Run("bundles", func(t *testing.T) { testAnnotateEqualsRun(t, 0, false) })
	t.Run("hash-shards-copies", func(t *testing.T) { testAnnotateEqualsRun(t, 3, true) })
}

func testAnnotateEqualsRun(t *testing.T, nShards int, copies bool) {
	dir := t.TempDir()
	inputs := map[string][]byte{
		"a-sample.txt":      readFile(t, "testdata/sample.txt"),
		"b-reviews.txt.gz":  readFile(t, "testdata/reviews.txt"),
		"c-reviews.jsonl":   readFile(t, "testdata/reviews.jsonl"),
		"d-ewt.conllu":      readFile(t, "testdata/ewt-dev-slice.conllu"),
		"e-reviews-2.jsonl": readFile(t, "testdata/reviews.jsonl"),
	}
	for name, data := range inputs {
		putFile(t, filepath.Join(dir, name), data)
	}
	p, s := sdk.NewPipelineWithRoot()
	out := filepath.Join(t.TempDir(), "out")
	if _, _, err := Annotate(s, Options{Input: filepath.Join(dir, "*"), Output: out, Shards: nShards, BatchDocs: 7, Copies: copies}); err != nil {
		t.Fatal(err)
	}
	counters := execute(t, p)
	names, _ := filepath.Glob(out + "-*")
	for _, n := range names {
		if m, _ := filepath.Match(out+"-0000?-of-0000?.jsonl", n); !m {
			t.Errorf("output file %s, want PREFIX-SSSSS-of-NNNNN.jsonl", n)
		}
	}
	if len(names) == 0 || nShards > 0 && len(names) < 2 {
		t.Errorf("output files %q", names)
	}
	if n, _ := filepath.Glob(out + "-errors-*"); len(n) != 0 {
		t.Errorf("dead letters %q, want none", n)
	}
	got := map[string][]map[string]any{} // by file
	for _, r := range jsonLines(t, shards(t, out+"-0*")) {
		f := filepath.Base(r["file"].(string))
		got[f] = append(got[f], r)
	}
	sentences := 0
	for name, data := range inputs {
		want := runPipeline(t, name, data)
		sentences += len(want)
		recs := got[name]
		// The order of a shard is the runner's: sort by document and sentence.
		sort.Slice(recs, func(i, j int) bool {
			if recs[i]["doc"].(float64) != recs[j]["doc"].(float64) {
				return recs[i]["doc"].(float64) < recs[j]["doc"].(float64)
			}
			return recs[i]["sent"].(float64) < recs[j]["sent"].(float64)
		})
		if len(recs) != len(want) {
			t.Errorf("%s: %d records, want %d (pipeline.Run's)", name, len(recs), len(want))
			continue
		}
		lines := docLines(name, data)
		for i, r := range recs {
			line := int(r["line"].(float64))
			if doc := int(r["doc"].(float64)); lines[doc] != line {
				t.Errorf("%s: doc %d at line %d, want %d", name, doc, line, lines[doc])
			}
			delete(r, "file")
			delete(r, "line")
			if !sameSentiment(r, want[i]) {
				t.Errorf("%s: record %d: sentiment %v, want %v", name, i, r["sentiment"], want[i]["sentiment"])
			}
			if !reflect.DeepEqual(r, want[i]) {
				t.Errorf("%s: record %d\n got %v\nwant %v", name, i, r, want[i])
			}
		}
	}
	if counters["sentences"] != int64(sentences) || counters["dead_letters"] != 0 {
		t.Errorf("counters %v, want %d sentences, no dead letter", counters, sentences)
	}
}

// sameSentiment reports whether two records have the same sentiment label and
// probabilities within 1e-9, and then sets the second's probability to the
// first's. The classifier's last digits depend on which sentences share its
// batch (a GEMM of another shape adds in another order): pipeline.Run's own
// output varies as much with its batch size.
func sameSentiment(got, want map[string]any) bool {
	g, ok1 := got["sentiment"].(map[string]any)
	w, ok2 := want["sentiment"].(map[string]any)
	if !ok1 || !ok2 {
		return ok1 == ok2
	}
	gp, wp := g["prob"].(float64), w["prob"].(float64)
	if g["label"] != w["label"] || math.Abs(gp-wp) > 1e-9 {
		return false
	}
	w["prob"] = gp
	return true
}

// docLines returns the line where each document of a file starts: its
// non-blank lines, or for CoNLL-U the first line of each sentence.
func docLines(name string, data []byte) []int {
	var out []int
	prevBlank := true
	for i, l := range strings.Split(string(data), "\n") {
		blank := strings.TrimSpace(l) == ""
		if strings.HasSuffix(name, ".conllu") {
			if !blank && prevBlank {
				out = append(out, i+1)
			}
		} else if !blank {
			out = append(out, i+1)
		}
		prevBlank = blank
	}
	return out
}

// TestDeadLetters: a malformed JSON line, an over-long line, invalid UTF-8 and
// a broken CoNLL-U sentence land in PREFIX-errors-* with their file, line and
// reason, are counted, and the good records around them are annotated.
func TestDeadLetters(t *testing.T) {
	dir := t.TempDir()
	putFile(t, filepath.Join(dir, "a.jsonl"), []byte(`{"text": "A fine film."}`+"\n\n"+`{"text": "broken`+"\n"+`{"text": "A dull film."}`+"\n"))
	long := strings.Repeat("word ", 100)
	putFile(t, filepath.Join(dir, "b.txt.gz"), []byte("A good start.\n"+long+"\nBad \xff byte.\nA good end.\n"))
	putFile(t, filepath.Join(dir, "c.conllu"), []byte("# text = Fine .\n1\tFine\t_\t_\t_\t_\t_\t_\t_\t_\n2\t.\t_\t_\t_\t_\t_\t_\t_\t_\n\n"+
		"1\tBroken\n\n"+
		"1\tGood\t_\t_\t_\t_\t_\t_\t_\t_\n\n"))
	p, s := sdk.NewPipelineWithRoot()
	out := filepath.Join(t.TempDir(), "out")
	if _, _, err := Annotate(s, Options{Input: filepath.Join(dir, "*"), Output: out, MaxLine: 200, Shards: 2}); err != nil {
		t.Fatal(err)
	}
	counters := execute(t, p)
	var dead []DeadLetter
	for line := range bytes.Lines(readFile(t, out+"-errors-00000-of-00001.jsonl")) {
		var d DeadLetter
		if err := json.Unmarshal(line, &d); err != nil {
			t.Fatal(err)
		}
		d.File = filepath.Base(d.File)
		dead = append(dead, d)
	}
	sort.Slice(dead, func(i, j int) bool { return dead[i].File < dead[j].File })
	want := []struct {
		file   string
		line   int
		reason string
	}{
		{"a.jsonl", 3, "invalid JSON line"},
		{"b.txt.gz", 2, "line too long: more than 200 bytes"},
		{"b.txt.gz", 3, "invalid UTF-8"},
		{"c.conllu", 5, "wrong number of columns"},
	}
	if len(dead) != len(want) {
		t.Fatalf("dead letters %+v, want %d", dead, len(want))
	}
	for i, w := range want {
		d := dead[i]
		if d.File != w.file || d.Line != w.line || !strings.Contains(d.Reason, w.reason) {
			t.Errorf("dead letter %+v, want %s:%d %q", d, w.file, w.line, w.reason)
		}
	}
	if counters["dead_letters"] != int64(len(want)) {
		t.Errorf("counters %v, want %d dead letters", counters, len(want))
	}
	recs := jsonLines(t, shards(t, out+"-0*"))
	var texts []string
	for _, r := range recs {
		texts = append(texts, r["text"].(string))
		// A dead letter keeps its index: the documents after it keep theirs.
		if want := map[string]float64{"A dull film.": 2, "A good end.": 3, "Good": 2}[r["text"].(string)]; want > 0 && r["doc"] != want {
			t.Errorf("%q: doc %v, want %v", r["text"], r["doc"], want)
		}
	}
	sort.Strings(texts)
	wantTexts := []string{"A dull film.", "A fine film.", "A good end.", "A good start.", "Fine .", "Good"}
	if !reflect.DeepEqual(texts, wantTexts) {
		t.Errorf("records %q, want %q", texts, wantTexts)
	}
}

// TestAnnotateCoNLLU: CoNLL-U output names each sentence's source, and
// sentences read from text get an id that holds over every shard.
func TestAnnotateCoNLLU(t *testing.T) {
	dir := t.TempDir()
	putFile(t, filepath.Join(dir, "a.txt"), []byte("It works. It really does.\n"))
	p, s := sdk.NewPipelineWithRoot()
	out := filepath.Join(t.TempDir(), "out")
	if _, _, err := Annotate(s, Options{Input: filepath.Join(dir, "*"), Output: out, Format: pipeline.OutputCoNLLU, Shards: 1}); err != nil {
		t.Fatal(err)
	}
	execute(t, p)
	got := string(readFile(t, out+"-00000-of-00001.conllu"))
	src := filepath.Join(dir, "a.txt") + ":1"
	for _, want := range []string{"# newdoc\n# sent_id = " + src + ":1\n# text = It works.\n# source = " + src + "\n# sentiment = ",
		"# sent_id = " + src + ":2\n# text = It really does.\n", "1\tIt\t_\tPRON\tPRP\t"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

// TestVocabEqualsCounter: the vocabulary of several shards, one gzipped,
// lower-cased and cut at a min count, is the file nlp datasets vocab writes
// (datasets.CountFile, Counter.Vocab, Vocab.WriteTo) byte for byte.
func TestVocabEqualsCounter(t *testing.T) {
	dir := t.TempDir()
	text := string(readFile(t, "testdata/reviews.txt")) + string(readFile(t, "testdata/sample.txt"))
	lines := strings.SplitAfter(text, "\n")
	half := len(lines) / 2
	paths := []string{filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt.gz"), filepath.Join(dir, "c.conllu")}
	putFile(t, paths[0], []byte(strings.Join(lines[:half], "")))
	putFile(t, paths[1], []byte(strings.Join(lines[half:], "")))
	putFile(t, paths[2], readFile(t, "testdata/ewt-dev-slice.conllu"))
	for _, tc := range []struct {
		name     string
		lower    bool
		minCount int64
	}{{"all", false, 1}, {"lower-min2", true, 2}} {
		t.Run(tc.name, func(t *testing.T) {
			var c datasets.Counter
			for _, path := range paths {
				if _, err := datasets.CountFile(&c, path, datasets.StatsConfig{Lower: tc.lower}); err != nil {
					t.Fatal(err)
				}
			}
			v, err := c.Vocab(datasets.VocabConfig{MinCount: tc.minCount})
			if err != nil {
				t.Fatal(err)
			}
			var want bytes.Buffer
			if _, err := v.WriteTo(&want); err != nil {
				t.Fatal(err)
			}
			p, s := sdk.NewPipelineWithRoot()
			out := filepath.Join(t.TempDir(), "vocab.txt")
			// FlushWords 5: the counts of a file reach the combiner in several parts.
			if err := Vocab(s, VocabOptions{Input: filepath.Join(dir, "*"), Output: out, Lower: tc.lower, MinCount: tc.minCount, FlushWords: 5}); err != nil {
				t.Fatal(err)
			}
			counters := execute(t, p)
			got := readFile(t, out)
			if !bytes.Equal(got, want.Bytes()) {
				t.Errorf("vocabulary differs from datasets':\n got %q\nwant %q", head(got), head(want.Bytes()))
			}
			if counters["tokens"] != c.Total() {
				t.Errorf("counted %d tokens, want %d", counters["tokens"], c.Total())
			}
			if _, err := datasets.LoadVocab(out); err != nil {
				t.Errorf("datasets.LoadVocab: %v", err)
			}
		})
	}
}

func head(b []byte) []byte { return b[:min(len(b), 300)] }

func TestOptionsValidate(t *testing.T) {
	for _, o := range []Options{
		{Output: "x"},
		{Input: "x"},
		{Input: "x", Output: "y", Format: "tsv"},
		{Input: "x", Output: "y", InputFormat: "conll"},
		{Input: "x", Output: "y", Shards: -1},
	} {
		if err := o.Validate(); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}
