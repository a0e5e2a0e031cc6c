package datasets

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlp-go/nlp/internal/linescan"
)

const miniData = "testdata/mini"

func TestWriteCorpusBench(t *testing.T) {
	var buf bytes.Buffer
	st, err := WriteCorpus(&buf, CorpusConfig{DataDir: miniData})
	if err != nil {
		t.Fatal(err)
	}
	// Counted independently with awk/wc on the same files.
	if st.Lines != 32 || st.Tokens != 1215 {
		t.Errorf("stats = %+v, want 32 lines, 1215 tokens", st)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if int64(len(lines)) != st.Lines {
		t.Fatalf("%d lines written, stats say %d", len(lines), st.Lines)
	}
	for _, tc := range []struct {
		line int
		want string
	}{
		{0, "the fulton county grand jury said friday an investigation of atlanta's recent primary election"},
		{6, "dear sirs : let me begin"},                       // cr09 follows ca01
		{16, "hundreds of people have been forced to vacate"}, // Lee
		{22, "a stirring , funny and finally transporting"},   // SST binary train
	} {
		if !strings.HasPrefix(lines[tc.line], tc.want) {
			t.Errorf("line %d = %q, want prefix %q", tc.line+1, linescan.Clip(lines[tc.line]), tc.want)
		}
	}
	if strings.ContainsAny(buf.String(), "ABCDEFGHIJKLMNOPQRSTUVWXYZ\t") {
		t.Error("corpus has upper case or tabs")
	}
}

func TestWriteCorpusFull(t *testing.T) {
	var buf bytes.Buffer
	st, err := WriteCorpus(&buf, CorpusConfig{DataDir: miniData, Recipe: RecipeFull})
	if err != nil {
		t.Fatal(err)
	}
	if st.Lines != 32+6 {
		t.Errorf("lines = %d, want 38", st.Lines)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	imdb := strings.Join(lines[32:], "\n")
	if strings.Contains(imdb, "<br") {
		t.Error("<br /> left in")
	}
	if !strings.HasPrefix(lines[32], "story of a man who has unnatural feelings for a pig . starts") {
		t.Errorf("first review = %q", linescan.Clip(lines[32]))
	}
	if !strings.Contains(imdb, " it 's ") {
		t.Error("clitics not split")
	}
}

// TestWriteCorpusCased checks that Cased keeps the case of every source and
// changes nothing else: lower-casing its output gives the recipe's corpus.
func TestWriteCorpusCased(t *testing.T) {
	var plain, cased bytes.Buffer
	if _, err := WriteCorpus(&plain, CorpusConfig{DataDir: miniData, Recipe: RecipeFull}); err != nil {
		t.Fatal(err)
	}
	st, err := WriteCorpus(&cased, CorpusConfig{DataDir: miniData, Recipe: RecipeFull, Cased: true})
	if err != nil {
		t.Fatal(err)
	}
	if st.Lines != 38 {
		t.Errorf("lines = %d, want 38", st.Lines)
	}
	if !strings.HasPrefix(cased.String(), "The Fulton County Grand Jury said Friday") {
		t.Errorf("first line = %q, want the Brown text as written", linescan.Clip(strings.SplitN(cased.String(), "\n", 2)[0]))
	}
	if !strings.Contains(cased.String(), "Story of a man who has unnatural feelings for a pig . Starts") {
		t.Error("the IMDB review's case was not kept")
	}
	if strings.ToLower(cased.String()) != plain.String() {
		t.Error("the cased corpus lower-cased differs from the recipe's corpus")
	}
}

func TestWriteCorpusFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "c.txt")
	if _, err := WriteCorpusFile(out, CorpusConfig{DataDir: miniData}); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("folder holds %d files, want only the corpus", len(ents))
	}
	// A failing build leaves no file behind.
	bad := filepath.Join(dir, "bad.txt")
	if _, err := WriteCorpusFile(bad, CorpusConfig{DataDir: filepath.Join(dir, "nowhere")}); err == nil {
		t.Fatal("no error for a missing data folder")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("failed build left files: %v", ents)
	}
}

func TestCorpusConfigValidate(t *testing.T) {
	tests := []struct {
		cfg  CorpusConfig
		want error
	}{
		{CorpusConfig{}, nil},
		{CorpusConfig{Recipe: "full"}, nil},
		{CorpusConfig{Recipe: "huge"}, ErrUnknownRecipe},
	}
	for _, tt := range tests {
		t.Run(tt.cfg.Recipe, func(t *testing.T) {
			if err := tt.cfg.Validate(); !errors.Is(err, tt.want) {
				t.Errorf("Validate = %v, want %v", err, tt.want)
			}
		})
	}
}
