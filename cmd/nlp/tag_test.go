package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestTagCommands trains a small tagger with `nlp tag train`, then tags and
// scores with it, through the command line.
func TestTagCommands(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "m.tagger")
	train, dev := "../../tagger/testdata/ewt-train-slice.conllu", "../../tagger/testdata/ewt-dev-small.conllu"
	out, err := runCLI(t, "tag", "train", "--train", train, "--dev", dev, "--out", model, "--quiet",
		"--hidden", "16", "--word-dim", "8", "--char-hidden", "8", "--epochs", "2", "--lr", "0.01", "--plot", filepath.Join(dir, "curves.svg"))
	if err != nil {
		t.Fatal(err)
	}
	assertSVG(t, filepath.Join(dir, "curves.svg"), "tagger: training", "tagger: development", "upos", "xpos", "kept")
	if !strings.Contains(out, "best epoch") {
		t.Fatalf("unexpected training output %q", out)
	}
	if !strings.Contains(out, "training words; on treebanks this small") || !strings.Contains(out, "--lr-decay -1") { // the small-treebank hint
		t.Errorf("no small-treebank note in %q", out)
	}
	if _, err := os.Stat(model + ".ckpt"); err != nil {
		t.Errorf("no checkpoint: %v", err)
	}

	out, err = runCLI(t, "tag", "--model", model, dev)
	if err != nil {
		t.Fatal(err)
	}
	gold, _ := os.ReadFile(dev)
	if strings.Count(out, "\n") != strings.Count(string(gold), "\n") {
		t.Errorf("tagging changed the number of lines")
	}

	text := filepath.Join(dir, "in.txt")
	os.WriteFile(text, []byte("This is a test. It works.\n"), 0o644)
	out, err = runCLI(t, "tag", "--model", model, "--format", "tsv", text)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "This\t") || strings.Count(out, "\n\n") != 2 {
		t.Errorf("unexpected TSV for two sentences:\n%s", out)
	}

	out, err = runCLI(t, "tag", "eval", "--model", model, dev, "--json", "--plot", filepath.Join(dir, "upos.svg")) // a flag after the file works too
	if err != nil {
		t.Fatal(err)
	}
	assertSVG(t, filepath.Join(dir, "upos.svg"), "UPOS, ewt-dev-small.conllu", "gold", "predicted", "NOUN", "PUNCT")
	var ev map[string]any
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"tokens", "upos", "xpos", "oov_tokens", "oov_upos", "per_tag", "confusions"} {
		if _, ok := ev[k]; !ok {
			t.Errorf("eval JSON lacks %q", k)
		}
	}
	if ev["tokens"].(float64) < 500 {
		t.Errorf("eval counted %v tokens", ev["tokens"])
	}

	// A student of that model, on the training set and untagged plain text.
	student := filepath.Join(dir, "student.tagger")
	if _, err := runCLI(t, "tag", "train", "--train", train, "--dev", dev, "--out", student, "--quiet",
		"--hidden", "16", "--word-dim", "8", "--char-hidden", "8", "--epochs", "1", "--lr", "0.01",
		"--teacher", model, "--unlabelled", text); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(student); err != nil {
		t.Errorf("no student model: %v", err)
	}

	// Two treebanks trained on together, the second without XPOS: "_" is not
	// a tag the model learns (and the dev set may be several files too).
	blank := filepath.Join(dir, "noxpos.conllu")
	var lines []string
	for _, l := range strings.Split(string(gold), "\n") {
		if cols := strings.Split(l, "\t"); len(cols) == 10 {
			cols[4] = "_"
			l = strings.Join(cols, "\t")
		}
		lines = append(lines, l)
	}
	os.WriteFile(blank, []byte(strings.Join(lines, "\n")), 0o644)
	both := filepath.Join(dir, "both.tagger")
	if _, err := runCLI(t, "tag", "train", "--train", train, "--train", blank, "--dev", dev+","+blank, "--out", both, "--quiet",
		"--hidden", "16", "--word-dim", "8", "--char-hidden", "8", "--epochs", "1"); err != nil {
		t.Fatal(err)
	}
	out, err = runCLI(t, "tag", "--model", both, "--format", "tsv", text)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if cols := strings.Split(l, "\t"); len(cols) >= 3 && cols[2] == "_" {
			t.Errorf("a model trained with XPOS writes none: %q", l)
		}
	}
	out, err = runCLI(t, "tag", "eval", "--model", both, blank)
	if err != nil || !strings.Contains(out, "XPOS not annotated") {
		t.Errorf("eval on a file without XPOS: %v\n%s", err, out)
	}

	// Fine-tuning that model: it is scored first, and the result is written.
	tuned := filepath.Join(dir, "tuned.tagger")
	out, err = runCLI(t, "tag", "train", "--train", train, "--dev", dev, "--out", tuned, "--quiet",
		"--init", model, "--epochs", "1", "--lr", "0.001", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Initial struct {
			Metrics map[string]float64 `json:"metrics"`
		} `json:"initial"`
		Evals []any `json:"evals"`
	}
	// The log (stderr, merged here) comes first; the report is the last line.
	out = strings.TrimSpace(out)
	if err := json.Unmarshal([]byte(out[strings.LastIndex(out, "\n")+1:]), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Initial.Metrics["upos"] != ev["upos"].(float64) || len(rep.Evals) != 1 {
		t.Errorf("fine-tuning report: initial UPOS %v (the model scores %v), %d epochs", rep.Initial.Metrics["upos"], ev["upos"], len(rep.Evals))
	}
	// The initial model's line comes before the epoch's.
	if i, j := strings.Index(out, "initial model: dev UPOS"), strings.Index(out, "epoch 1: loss"); i < 0 || j < i {
		t.Errorf("log without the initial model's line before epoch 1's:\n%s", out)
	}
	if _, err := os.Stat(tuned); err != nil {
		t.Errorf("no fine-tuned model: %v", err)
	}

	// Two copies of a model, as an ensemble, tag and score as the model does.
	single, err := runCLI(t, "tag", "--model", model, dev)
	if err != nil {
		t.Fatal(err)
	}
	pair, err := runCLI(t, "tag", "--model", model, "--model", model, dev)
	if err != nil {
		t.Fatal(err)
	}
	if pair != single {
		t.Error("an ensemble of a model with itself tags differently from the model")
	}
	out, err = runCLI(t, "tag", "eval", "-m", model+","+model, "--json", dev)
	if err != nil {
		t.Fatal(err)
	}
	var ev2 map[string]any
	if err := json.Unmarshal([]byte(out), &ev2); err != nil {
		t.Fatal(err)
	}
	if ev2["upos"] != ev["upos"] || ev2["xpos"] != ev["xpos"] {
		t.Errorf("ensemble of a model with itself scores %v/%v, the model %v/%v", ev2["upos"], ev2["xpos"], ev["upos"], ev["xpos"])
	}
}

func TestTagBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.conllu")
	os.WriteFile(bad, []byte("1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n2\tdog\n\n"), 0o644)
	for _, args := range [][]string{
		{"tag", "--model", filepath.Join(dir, "missing.model"), bad},
		{"tag", "--model", bad, bad},
		{"tag"},
		{"tag", "--input", "pdf", bad},
		{"tag", "train", "--train", bad, "--dev", bad, "--out", filepath.Join(dir, "m")},
		{"tag", "train", "--train", bad, "--dev", bad, "--out", filepath.Join(dir, "m"), "--cell", "cnn"},
	} {
		if _, err := runCLI(t, args...); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
	// A malformed CoNLL-U file: the error names the file and the line.
	model := filepath.Join(dir, "m.tagger")
	if _, err := runCLI(t, "tag", "train", "--train", "../../tagger/testdata/ewt-dev-small.conllu", "--dev", "../../tagger/testdata/ewt-dev-small.conllu",
		"--out", model, "--quiet", "--hidden", "8", "--word-dim", "4", "--char-hidden", "4", "--epochs", "1"); err != nil {
		t.Fatal(err)
	}
	_, err := runCLI(t, "tag", "--model", model, "--input", "conllu", bad)
	if err == nil || !strings.Contains(err.Error(), "bad.conllu:2:") {
		t.Errorf("error %v: want the file and line 2", err)
	}

	// Unlabelled text: it needs a teacher, a readable file and at least one sentence.
	// (A file whose first lines are as much CoNLL-U as not is an error asking
	// for --unlabelled-input; one that goes wrong later is CoNLL-U with an
	// error at the bad line.)
	goodDev, _ := os.ReadFile("../../tagger/testdata/ewt-dev-small.conllu")
	late := filepath.Join(dir, "late.conllu")
	os.WriteFile(late, append(goodDev, "1\tbroken\n\n"...), 0o644)
	lateLine := fmt.Sprintf(":%d:", bytes.Count(goodDev, []byte("\n"))+1)
	empty := filepath.Join(dir, "empty.txt")
	os.WriteFile(empty, []byte("\n\n"), 0o644)
	trainArgs := []string{"tag", "train", "--train", "../../tagger/testdata/ewt-dev-small.conllu",
		"--dev", "../../tagger/testdata/ewt-dev-small.conllu", "--out", filepath.Join(dir, "s.tagger"), "--quiet", "--epochs", "1"}
	small := []string{"--hidden", "8", "--word-dim", "4", "--char-hidden", "4"}
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"--unlabelled", bad}, []string{"--teacher"}},
		{[]string{"--teacher", model, "--unlabelled", late}, []string{"late.conllu", lateLine}},
		{[]string{"--teacher", model, "--unlabelled", bad, "--unlabelled-input", "conllu"}, []string{"bad.conllu:2:"}},
		{[]string{"--teacher", model, "--unlabelled", late, "--unlabelled-input", "pdf"}, []string{"--unlabelled-input", "pdf"}},
		{[]string{"--teacher", model, "--unlabelled", empty}, []string{"empty.txt", "no sentence"}},
		{[]string{"--teacher", model, "--unlabelled", filepath.Join(dir, "missing.txt")}, []string{"missing.txt"}},
		{[]string{"--init", filepath.Join(dir, "missing.tagger")}, []string{"--init", "missing.tagger"}},
		{[]string{"--init", bad}, []string{"--init", "bad.conllu"}},
		{[]string{"--init", model, "--hidden", "8"}, []string{"--hidden", "--init"}},
	} {
		args := append(slices.Clone(trainArgs), c.args...)
		if !slices.Contains(c.args, "--init") {
			args = append(args, small...)
		}
		_, err := runCLI(t, args...)
		for _, w := range c.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%v: error %v, want it to name %q", c.args, err, w)
			}
		}
	}
}

// TestTagEmbeddedModel is the README's first command: tagging raw text with the
// built-in English model and nothing else.
func TestTagEmbeddedModel(t *testing.T) {
	out, err := runCLI(t, "tag", "--format", "json", "../../examples/sample.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d sentences, want 4:\n%s", len(lines), out)
	}
	var s struct {
		Tokens []struct{ Form, UPOS, XPOS string }
	}
	if err := json.Unmarshal([]byte(lines[0]), &s); err != nil {
		t.Fatal(err)
	}
	if s.Tokens[0].Form != "The" || s.Tokens[0].UPOS != "DET" || s.Tokens[0].XPOS != "DT" {
		t.Errorf("first token tagged %+v, want The DET DT", s.Tokens[0])
	}
}
