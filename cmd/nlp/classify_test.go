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
