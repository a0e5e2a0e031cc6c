package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// hostileInputs are the fast part of the robustness suite (make robustness
// runs the slow part, with memory bounds, on the built binary): inputs a
// hostile or careless user gives, each small enough to run in milliseconds.
func hostileInputs() map[string][]byte {
	conllu := "# text = A b\n1\tA\t_\t_\t_\t_\t_\t_\t_\t_\n2\tb\t_\t_\t_\t_\t_\t_\t_\t_\n\n"
	return map[string][]byte{
		"empty":             nil,
		"newlines":          []byte("\n\n\n"),
		"binary":            {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0xff, 0xfe, '\n'},
		"invalid-utf8":      []byte("good line\nbad \xff\xfe line\n"),
		"nul":               []byte("a line\nwith a \x00 byte\n"),
		"bom-text":          []byte("\xef\xbb\xbfHello there.\n"),
		"bom-conllu":        []byte("\xef\xbb\xbf" + conllu),
		"comments-only":     []byte("# sent_id = 1\n# text = nothing\n\n"),
		"conllu-bad-line-5": []byte(conllu + "# text = c\n1\tc\t_\n\n"),
		"punctuation-run":   bytes.Repeat([]byte("."), 20000),
		"quotes-run":        bytes.Repeat([]byte("\"'«»"), 5000),
		"emoji-run":         bytes.Repeat([]byte("👩‍👩‍👧🏽"), 2000),
		"long-sentence":     []byte(strings.Repeat("film ", 5000) + "\n"),
		"crlf":              []byte("One line.\r\nTwo lines.\r\n"),
	}
}

// TestHostileInputs runs the commands that read text on every hostile
// input: none may panic (runCLI would not return), each must answer within a
// time bound, and an error must name the input file.
func TestHostileInputs(t *testing.T) {
	// Inputs that must be refused, never read as something else.
	mustFail := map[string]bool{"binary": true, "invalid-utf8": true, "nul": true, "comments-only": true, "conllu-bad-line-5": true}
	dir := t.TempDir()
	for name, data := range hostileInputs() {
		path := filepath.Join(dir, name+".txt")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{
			{"tag", path},
			{"pipeline", path},
			{"datasets", "stats", path},
		} {
			t.Run(name+"/"+args[0], func(t *testing.T) {
				start := time.Now()
				out, err := runCLI(t, args...)
				if d := time.Since(start); d > 10*time.Second {
					t.Errorf("took %v", d)
				}
				if err != nil && !strings.Contains(err.Error(), name) {
					t.Errorf("error %q does not name the input", err)
				}
				if err == nil && mustFail[name] && args[0] != "datasets" {
					t.Errorf("no error; want one naming the place (output %.200s)", out)
				}
				if strings.Contains(out, "panic") || strings.Contains(out, "goroutine ") {
					t.Errorf("output looks like a crash: %.200s", out)
				}
			})
		}
		t.Run(name+"/classify", func(t *testing.T) {
			start := time.Now()
			out, err := runCLIWithInput(t, string(data), "classify", "-")
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
			if err == nil && bytes.ContainsAny(data, "\x00\xff") {
				t.Errorf("classify accepted invalid text: %.200s", out)
			}
		})
	}
}
