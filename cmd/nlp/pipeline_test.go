package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const pipelineTestdata = "../../pipeline/testdata"

func TestPipelineDefaultModels(t *testing.T) {
	out, err := runCLI(t, "pipeline", filepath.Join(pipelineTestdata, "reviews.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 8 {
		t.Fatalf("want 8 sentences, got %d:\n%s", len(lines), out)
	}
	var first struct {
		Doc, Sent int
		Text      string
		Tokens    []struct{ Form, UPOS, XPOS string }
		Sentiment struct {
			Label string
			Prob  float64
		}
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if first.Text != "The acting was superb and the story moved me to tears." || len(first.Tokens) != 12 ||
		first.Tokens[0].UPOS != "DET" || first.Tokens[0].XPOS != "DT" || first.Sentiment.Label != "positive" || first.Sentiment.Prob < 0.5 {
		t.Errorf("first sentence: %+v", first)
	}
	// --copies gives each worker its own models: the same output.
	out2, err := runCLI(t, "pipeline", "--copies", "--workers", "3", filepath.Join(pipelineTestdata, "reviews.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if out2 != out {
		t.Errorf("--copies changed the output:\n%s\n%s", out, out2)
	}
}

func TestPipelineCoNLLU(t *testing.T) {
	out, err := runCLIWithInput(t, "It works well. I love it.\n", "pipeline", "--format", "conllu", "-")
	if err != nil {
		t.Fatal(err)
	}
	want := "# sent_id = 1\n# text = It works well.\n# sentiment = positive "
	if !strings.HasPrefix(out, want) || !strings.Contains(out, "1\tIt\t_\tPRON\tPRP\t_\t_\t_\t_\t_\n") || !strings.Contains(out, "# sent_id = 2\n# text = I love it.\n") {
		t.Errorf("output:\n%s", out)
	}
	// CoNLL-U in: the other columns kept, the sentiment added.
	in := filepath.Join(pipelineTestdata, "ewt-dev-slice.conllu")
	out, err = runCLI(t, "pipeline", in, "--format", "conllu")
	if err != nil {
		t.Fatal(err)
	}
	src, _ := os.ReadFile(in)
	if strings.Count(out, "# sentiment = ") != strings.Count(string(src), "# text = ") ||
		strings.Count(out, "\n") != strings.Count(string(src), "\n")+strings.Count(out, "# sentiment = ") {
		t.Errorf("CoNLL-U output does not keep the input's lines")
	}
}

func TestPipelineOutFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.jsonl")
	if _, err := runCLI(t, "pipeline", "--out", path, filepath.Join(pipelineTestdata, "reviews.jsonl")); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || strings.Count(string(data), "\n") != 4 || !strings.Contains(string(data), `"id":"r1"`) {
		t.Fatalf("%v:\n%s", err, data)
	}
	// An error leaves no file behind, nor a temporary one.
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte("{\"text\": \"fine\"}\n{\"text\": \"fine\"}\nnot json\n"), 0o644)
	_, err = runCLI(t, "pipeline", "--out", filepath.Join(dir, "out2.jsonl"), bad)
	if err == nil || !strings.Contains(err.Error(), "bad.jsonl:3:") {
		t.Fatalf("got %v, want an error at bad.jsonl:3", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("files left: %v", entries)
	}
}

func TestPipelineErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"pipeline", "no-such-file.txt"}, "no-such-file.txt"},
		{[]string{"pipeline"}, "want one FILE"},
		{[]string{"pipeline", "--format", "xml", "x"}, "--format"},
		{[]string{"pipeline", "--input", "xml", "x"}, "unknown input format"},
		{[]string{"pipeline", "--tagger", "no-such.model", "x"}, "no-such.model"},
	} {
		_, err := runCLI(t, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want an error naming %q", tc.args, err, tc.want)
		}
	}
}

func TestPipelineVectorsAndParagraphs(t *testing.T) {
	dir := t.TempDir()
	vecs := filepath.Join(dir, "v.txt")
	if err := os.WriteFile(vecs, []byte("2 3\nfilm 0.5 0 1\ngood 1 1 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runCLIWithInput(t, "A good\nfilm.\n\nBad.\n", "pipeline", "--vectors", vecs, "--paragraphs", "-")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"text":"A good film."`) ||
		!strings.Contains(lines[0], `"form":"film","start":7,"end":11,"upos":"NOUN","xpos":"NN","vector":[0.5,0,1]`) || !strings.Contains(lines[1], `"doc":1`) {
		t.Errorf("output:\n%s", out)
	}
}
