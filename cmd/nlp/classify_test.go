package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLIWithInput is runCLI with stdin.
func runCLIWithInput(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	app := newApp()
	var out bytes.Buffer
	app.Reader = strings.NewReader(stdin)
	app.Writer = &out
	app.ErrWriter = &out
	err := app.Run(append([]string{"nlp"}, args...))
	return out.String(), err
}

const classifyTestdata = "../../classify/testdata"

func TestClassifyEmbedded(t *testing.T) {
	out, err := runCLI(t, "classify", "A gorgeous, moving film.", "A dull, tedious mess.")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "positive\t") || !strings.HasPrefix(lines[1], "negative\t") {
		t.Fatalf("output:\n%s", out)
	}
	out, err = runCLIWithInput(t, "what a delight\n\nawful acting , boring plot\n", "classify", "-", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 JSON lines, got:\n%s", out)
	}
	var p struct {
		Text  string             `json:"text"`
		Label string             `json:"label"`
		Prob  float64            `json:"probability"`
		Probs map[string]float64 `json:"probabilities"`
	}
	if err := json.Unmarshal([]byte(lines[1]), &p); err != nil {
		t.Fatal(err)
	}
	if p.Label != "negative" || len(p.Probs) != 2 || p.Probs["negative"] != p.Prob || p.Text != "awful acting , boring plot" {
		t.Fatalf("JSON line %+v", p)
	}
}

func TestClassifyTrainEval(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "m.safetensors")
	train := filepath.Join(classifyTestdata, "sst2-train.txt")
	dev := filepath.Join(classifyTestdata, "sst2-dev.txt")
	out, err := runCLI(t, "classify", "train", "--train", train, "--dev", dev, "--vectors", filepath.Join(classifyTestdata, "vectors-small.bin"),
		"--hidden", "8", "--epochs", "2", "--quiet", "--out", model, "--label-names", "neg,pos", "--cell", "gru", "--bidirectional")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "2 classes") {
		t.Fatalf("train output: %s", out)
	}
	if _, err := os.Stat(model + ".ckpt"); err != nil {
		t.Fatalf("no checkpoint: %v", err)
	}
	// Resume with more epochs continues from the checkpoint.
	out, err = runCLI(t, "classify", "train", "--train", train, "--dev", dev, "--vectors", filepath.Join(classifyTestdata, "vectors-small.bin"),
		"--hidden", "8", "--epochs", "3", "--out", model, "--label-names", "neg,pos", "--cell", "gru", "--bidirectional", "--resume", "--json",
		"--plot", filepath.Join(dir, "curves.png"))
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if img, err := os.ReadFile(filepath.Join(dir, "curves.png")); err != nil || !bytes.HasPrefix(img, []byte("\x89PNG")) {
		t.Errorf("--plot curves.png: %v, not a PNG", err)
	}
	if strings.Contains(out, "epoch 1:") || !strings.Contains(out, "epoch 3:") {
		t.Fatalf("resumed training output: %s", out)
	}
	out, err = runCLI(t, "classify", "eval", dev, "--model", model, "--json", "--plot", filepath.Join(dir, "confusion.svg"))
	if err != nil {
		t.Fatal(err)
	}
	assertSVG(t, filepath.Join(dir, "confusion.svg"), "sst2-dev.txt", "gold", "predicted", "neg", "pos")
	var ev map[string]any
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for _, k := range []string{"examples", "accuracy", "macro_f1", "per_class", "confusion"} {
		if _, ok := ev[k]; !ok {
			t.Errorf("eval JSON lacks %q", k)
		}
	}
	if ev["examples"].(float64) != 436 {
		t.Errorf("examples %v", ev["examples"])
	}
	out, err = runCLI(t, "classify", "eval", "--model", model, dev)
	if err != nil || !strings.Contains(out, "accuracy") || !strings.Contains(out, "gold \\ predicted") {
		t.Fatalf("eval text: %v\n%s", err, out)
	}
	out, err = runCLI(t, "classify", "--model", model, "great")
	if err != nil || !(strings.HasPrefix(out, "pos\t") || strings.HasPrefix(out, "neg\t")) {
		t.Fatalf("classify with --model: %v %q", err, out)
	}
}

func TestClassifyErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("1 fine\n\n0\n"), 0o644)
	unknown := filepath.Join(dir, "unknown.txt")
	os.WriteFile(unknown, []byte("1 fine\n7 what\n"), 0o644)
	notModel := filepath.Join(dir, "x.safetensors")
	os.WriteFile(notModel, []byte("not a model"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"classify"}, "no text"},
		{[]string{"classify", "--format", "xml", "hi"}, "--format"},
		{[]string{"classify", "--model", filepath.Join(dir, "missing"), "hi"}, "missing"},
		{[]string{"classify", "--model", notModel, "hi"}, "x.safetensors"},
		{[]string{"classify", "hi", "--bogus"}, "unknown flag"},
		{[]string{"classify", "eval"}, "one FILE"},
		{[]string{"classify", "eval", bad}, "bad.txt:3"},
		{[]string{"classify", "eval", unknown}, "line 2"},
		{[]string{"classify", "eval", filepath.Join(dir, "nope.txt")}, "nope.txt"},
		{[]string{"classify", "train", "--train", bad, "--out", filepath.Join(dir, "m")}, "bad.txt:3"},
		{[]string{"classify", "train", "--train", unknown, "--out", filepath.Join(dir, "m"), "--cell", "cnn"}, "cell"},
		{[]string{"classify", "train", "--train", unknown, "--out", filepath.Join(dir, "m"), "--plot", "curves.gif"}, "--plot curves.gif: want a .png, .svg or .pdf"},
		{[]string{"classify", "train", "--train", unknown, "--out", filepath.Join(dir, "m"), "--dev-split", "2"}, "--dev-split"},
		{[]string{"classify", "train", "--train", unknown, "--out", filepath.Join(dir, "m"), "--vectors", bad}, "vectors"},
	} {
		out, err := runCLI(t, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("nlp %s: error %v (want %q)\n%s", strings.Join(tc.args, " "), err, tc.want, out)
		}
	}
}

// TestClassifyTrees trains on the phrases of treebank trees and scores the
// model on trees and on the stsa lines of the same sentences.
func TestClassifyTrees(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "m.safetensors")
	trees := filepath.Join(classifyTestdata, "sst-trees-train.txt")
	dev := "../../datasets/testdata/sst/trees.txt"
	out, err := runCLI(t, "classify", "train", "--input", "trees", "--binary", "--phrases", "--train", trees, "--dev", dev,
		"--hidden", "8", "--epochs", "1", "--quiet", "--out", model, "--json")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var ev struct {
		Examples int     `json:"examples"`
		Accuracy float64 `json:"accuracy"`
		Labels   []string
	}
	scores := map[string]float64{}
	for _, args := range [][]string{
		{"--input", "trees", "--binary", dev},
		{"../../datasets/testdata/sst/stsa.binary.txt"},
	} {
		out, err = runCLI(t, append([]string{"classify", "eval", "--model", model, "--json"}, args...)...)
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if err := json.Unmarshal([]byte(out), &ev); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		// 39 of the slice's 43 sentences are not neutral.
		if ev.Examples != 39 || len(ev.Labels) != 2 {
			t.Errorf("eval %v: %d examples, labels %v", args, ev.Examples, ev.Labels)
		}
		scores[args[0]] = ev.Accuracy
	}
	t.Logf("accuracy on trees %.3f, on the stsa lines %.3f", scores["--input"], scores["../../datasets/testdata/sst/stsa.binary.txt"])
	// Five classes without --binary; the dev trees read as sentences.
	out, err = runCLI(t, "classify", "train", "--input", "trees", "--train", trees, "--dev", dev, "--hidden", "8", "--epochs", "1", "--quiet", "--out", model)
	if err != nil || !strings.Contains(out, "5 classes [0 1 2 3 4]") {
		t.Fatalf("five classes: %v\n%s", err, out)
	}
	out, err = runCLI(t, "classify", "eval", "--model", model, "--input", "trees", dev)
	if err != nil || !strings.Contains(out, "examples  43\n") {
		t.Fatalf("five-class eval: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"classify", "train", "--phrases", "--train", trees, "--out", model}, "need --input trees"},
		{[]string{"classify", "eval", "--binary", dev}, "need --input trees"},
		{[]string{"classify", "eval", "--input", "tree", dev}, "--input must be"},
		{[]string{"classify", "eval", "--input", "trees", filepath.Join(classifyTestdata, "sst2-dev.txt")}, "sst2-dev.txt:1:1: bad tree"},
	} {
		out, err := runCLI(t, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("nlp %s: error %v (want %q)\n%s", strings.Join(tc.args, " "), err, tc.want, out)
		}
	}
}

// TestClassifyBuiltinModels: --model names the built-in SST-2 model (the
// default) and the five-class one.
func TestClassifyBuiltinModels(t *testing.T) {
	def, err := runCLI(t, "classify", "A gorgeous, moving film.")
	if err != nil {
		t.Fatal(err)
	}
	sst2, err := runCLI(t, "classify", "--model", "builtin:sst2", "A gorgeous, moving film.")
	if err != nil || sst2 != def {
		t.Fatalf("builtin:sst2 %q (%v), default %q", sst2, err, def)
	}
	out, err := runCLI(t, "classify", "--model", "builtin:sst5", "--format", "json", "A gorgeous, moving film.", "A dull, tedious mess.")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var p struct {
		Label string             `json:"label"`
		Probs map[string]float64 `json:"probabilities"`
	}
	if len(lines) != 2 {
		t.Fatalf("output %q", out)
	}
	for i, want := range []string{"positive", "negative"} {
		if err := json.Unmarshal([]byte(lines[i]), &p); err != nil {
			t.Fatal(err)
		}
		// Five classes; the text's polarity, strong or not.
		if len(p.Probs) != 5 || !strings.HasSuffix(p.Label, want) {
			t.Errorf("line %d: %+v, want %s or very-%s", i+1, p, want, want)
		}
	}
	if out, err := runCLI(t, "classify", "--model", "builtin:sst9", "hi"); err == nil {
		t.Errorf("builtin:sst9 accepted: %s", out)
	}
}
