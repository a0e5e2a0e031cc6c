package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runDatasets runs the app with args and returns its stdout and error.
func runDatasets(t *testing.T, args ...string) (string, error) {
	t.Helper()
	app := newApp()
	var out, errw bytes.Buffer
	app.Writer, app.ErrWriter = &out, &errw
	err := app.Run(append([]string{"nlp", "datasets"}, args...))
	return out.String(), err
}

const datasetsTestdata = "../../datasets/testdata"

func TestDatasetsCorpusCmd(t *testing.T) {
	out := filepath.Join(t.TempDir(), "corpus.txt")
	stdout, err := runDatasets(t, "corpus", "--recipe", "bench", "--data", datasetsTestdata+"/mini", "--out", out, "-q")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "32 lines, 1215 tokens") {
		t.Errorf("stdout = %q", stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil || bytes.Count(data, []byte("\n")) != 32 {
		t.Errorf("corpus file: %d lines, %v", bytes.Count(data, []byte("\n")), err)
	}
	if _, err := runDatasets(t, "corpus", "--recipe", "huge", "--data", datasetsTestdata+"/mini", "--out", out); err == nil || !strings.Contains(err.Error(), "huge") {
		t.Errorf("bad recipe: err = %v", err)
	}
}

func TestDatasetsStatsCmd(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"stats", datasetsTestdata + "/en_ewt-ud-dev-slice.conllu"}, "multiword tokens 27, empty nodes 3"},
		{[]string{"stats", "--format", "brown", datasetsTestdata + "/mini/brown/ca01"}, "format     brown"},
		{[]string{"stats", datasetsTestdata + "/mini/brown/ca01", "--format=text"}, "format     text"},
		{[]string{"stats", "--json", datasetsTestdata + "/mini/sst/stsa.binary.train"}, `"labels"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			stdout, err := runDatasets(t, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(stdout, tt.want) {
				t.Errorf("stdout lacks %q:\n%s", tt.want, stdout)
			}
		})
	}
	// OOV against a vocabulary, as JSON.
	vocab := filepath.Join(t.TempDir(), "v.tsv")
	os.WriteFile(vocab, []byte("<unk>\t0\nthe\t10\na\t5\n"), 0o644)
	stdout, err := runDatasets(t, "stats", "--json", "--vocab", vocab, datasetsTestdata+"/mini/sst/stsa.binary.train")
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Tokens int64
		OOV    struct {
			Tokens int64
			Rate   float64
		}
	}
	if err := json.Unmarshal([]byte(stdout), &st); err != nil || st.OOV.Tokens == 0 || st.OOV.Tokens >= st.Tokens {
		t.Errorf("json %q: %v", stdout, err)
	}
	// Errors name the file and the line.
	bad := filepath.Join(t.TempDir(), "bad.conllu")
	os.WriteFile(bad, []byte("1\tx\tx\tX\tX\t_\t0\troot\t_\n\n"), 0o644)
	_, err = runDatasets(t, "stats", "--format", "conllu", bad)
	if err == nil || !strings.Contains(err.Error(), bad+":1:") {
		t.Errorf("err = %v", err)
	}
	if _, err := runDatasets(t, "stats", "--format", "xml", bad); err == nil {
		t.Error("no error for an unknown format")
	}
}

func TestDatasetsFetchCmd(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("0 some text " + r.URL.Path + "\n"))
	}))
	defer ts.Close()
	dir := t.TempDir()
	// The served files differ from the pinned checksums of the real SST files.
	_, err := runDatasets(t, "fetch", "sst", "--dir", dir, "--base-url", ts.URL, "-q")
	if err == nil || !strings.Contains(err.Error(), "checksum mismatch") {
		t.Fatalf("err = %v, want a checksum mismatch", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "sst", "stsa.binary.train")); !os.IsNotExist(err) {
		t.Error("file kept after a checksum mismatch")
	}
	if _, err := runDatasets(t, "fetch"); err == nil {
		t.Error("no error without a name")
	}
}

func TestDatasetsVocabCmd(t *testing.T) {
	out := filepath.Join(t.TempDir(), "v.tsv")
	stdout, err := runDatasets(t, "vocab", datasetsTestdata+"/mini/sst/stsa.binary.train", datasetsTestdata+"/mini/sst/stsa.fine.train", "--min-count", "2", "--out", out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "from 193 tokens") {
		t.Errorf("stdout = %q", stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil || !strings.HasPrefix(string(data), "<unk>\t") || !strings.Contains(string(data), "\nthe\t") {
		t.Errorf("vocab file %q: %v", data, err)
	}
	// The vocabulary then gives the OOV rate.
	stdout, err = runDatasets(t, "stats", datasetsTestdata+"/mini/sst/stsa.fine.train", "--vocab", out)
	if err != nil || !strings.Contains(stdout, "OOV") {
		t.Errorf("stats --vocab: %q %v", stdout, err)
	}
}

func TestDatasetsSplitCmd(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.conllu"), filepath.Join(dir, "b.conllu")
	in := datasetsTestdata + "/en_ewt-ud-dev-slice.conllu"
	stdout, err := runDatasets(t, "split", "--train-out", a, "--dev-out", b, "--dev-fraction", "0.25", in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "45 sentences to "+a) || !strings.Contains(stdout, "15 to "+b) {
		t.Errorf("stdout = %q", stdout)
	}
	for _, args := range [][]string{
		{"split", "--train-out", a, "--dev-out", b},
		{"split", "--train-out", a, "--dev-out", b, in, in},
		{"split", "--train-out", a, "--dev-out", b, "--dev-fraction", "1.5", in},
	} {
		if _, err := runDatasets(t, args...); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
