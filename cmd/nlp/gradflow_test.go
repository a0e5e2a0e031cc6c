package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGradflowCommand(t *testing.T) {
	png := filepath.Join(t.TempDir(), "flow.png")
	out, err := runCLI(t, "gradflow", "--steps", "60", "--every", "50", "--plot", png)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	// Header, distance 0, distance 50 and the last distance, 59.
	if len(lines) != 4 || !strings.Contains(lines[0], "rnn") || !strings.Contains(lines[0], "lstm") {
		t.Fatalf("unexpected table:\n%s", out)
	}
	if f := strings.Fields(lines[3]); f[0] != "59" {
		t.Fatalf("last row is distance %s, want 59", f[0])
	}
	b, err := os.ReadFile(png)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "\x89PNG") {
		t.Fatal("plot is not a PNG")
	}
}

func TestGradflowJSON(t *testing.T) {
	out, err := runCLI(t, "gradflow", "--steps", "20", "--cells", "rnn,lstm", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Cells []string    `json:"cells"`
		Norms [][]float64 `json:"norms"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v in %q", err, out)
	}
	if len(res.Cells) != 2 || len(res.Norms[1]) != 20 {
		t.Fatalf("got %d cells, %d norms", len(res.Cells), len(res.Norms[1]))
	}
}

func TestGradflowBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"gradflow", "--cells", "lstm,bogus"},
		{"gradflow", "--steps", "0"},
		{"gradflow", "--steps", "100000000"}, // an error, not an out-of-memory crash
		{"gradflow", "--hidden", "100000"},
		{"gradflow", "--every", "-1"},
		{"gradflow", "extra"},
		{"gradflow", "--plot", filepath.Join(t.TempDir(), "missing", "dir", "x.png")},
	} {
		if _, err := runCLI(t, args...); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}

func TestBenchLSTMCommand(t *testing.T) {
	out, err := runCLI(t, "bench", "lstm", "--input", "8", "--hidden", "8", "--batch", "2", "--steps", "3",
		"--bidirectional", "--seconds", "0.05", "--threads", "2", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var res map[string]any
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v in %q", err, out)
	}
	for _, k := range []string{"train_tok_s", "infer_tok_s"} {
		if v, ok := res[k].(float64); !ok || v <= 0 {
			t.Errorf("%s = %v, want a positive number", k, res[k])
		}
	}
	if _, err := runCLI(t, "bench", "lstm", "--cell", "bogus", "--seconds", "0.01"); err == nil {
		t.Error("unknown cell accepted")
	}
	if _, err := runCLI(t, "bench", "lstm", "--threads", "0"); err == nil {
		t.Error("zero threads accepted")
	}
}
