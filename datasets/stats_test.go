package datasets

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestFileStats(t *testing.T) {
	tests := []struct {
		path      string
		format    string
		sentences int64
		tokens    int64
		check     func(*Stats) bool
	}{
		{ewtSlice, "conllu", 60, 0, func(s *Stats) bool {
			return s.MultiWord == 27 && s.EmptyNodes == 3 && s.UPOS["NOUN"] > 0 && s.XPOS["NN"] > 0
		}},
		{"testdata/mini/brown/ca01", "brown", 6, 0, func(s *Stats) bool { return s.Tags["at"] > 0 }},
		{"testdata/mini/sst/stsa.fine.train", "labelled", 5, 0, func(s *Stats) bool { return s.Labels["1"] == 2 }},
		{"testdata/mini/imdb/train.txt.gz", "labelled", 4, 0, func(s *Stats) bool { return s.Labels["0"] == 2 }},
		{"testdata/mini/corpora/lee_background.cor", "text", 3, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			s, err := FileStats(tt.path, StatsConfig{})
			if err != nil {
				t.Fatal(err)
			}
			if s.Format != tt.format || s.Sentences != tt.sentences || s.Tokens == 0 || s.Types == 0 {
				t.Errorf("got %s, %d sentences, %d tokens, %d types", s.Format, s.Sentences, s.Tokens, s.Types)
			}
			if tt.check != nil && !tt.check(s) {
				t.Errorf("counts: %+v", s)
			}
			var buf bytes.Buffer
			if err := s.WriteReport(&buf); err != nil || !strings.Contains(buf.String(), "sentences") {
				t.Errorf("report: %q %v", buf.String(), err)
			}
		})
	}
}

func TestStatsOOV(t *testing.T) {
	v, err := ReadVocab(strings.NewReader("<unk>\nthe\ncat\n"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := ComputeStats(strings.NewReader("The cat sat\nthe dog\n"), StatsConfig{Format: FormatText, Vocab: v, Lower: true})
	if err != nil {
		t.Fatal(err)
	}
	if s.OOV == nil || s.OOV.Tokens != 2 || s.OOV.Rate != 0.4 || s.OOV.VocabSize != 3 {
		t.Errorf("OOV = %+v", s.OOV)
	}
	s, err = ComputeStats(strings.NewReader("the cat's hat .\n\n a  b\n"), StatsConfig{Format: FormatTokens})
	if err != nil || s.Sentences != 2 || s.Tokens != 6 || s.Format != "tokens" {
		t.Errorf("tokens format: %+v %v", s, err)
	}
	if _, err := ComputeStats(strings.NewReader("1\tx\n"), StatsConfig{Format: FormatCoNLLU}); err == nil {
		t.Error("no error for bad CoNLL-U")
	}
}

func TestCountFile(t *testing.T) {
	var c Counter
	st, err := CountFile(&c, "testdata/mini/sst/stsa.fine.train", StatsConfig{Lower: true})
	if err != nil {
		t.Fatal(err)
	}
	if c.Total() != st.Tokens || c.Len() != st.Types {
		t.Errorf("counter %d/%d, stats %d/%d", c.Total(), c.Len(), st.Tokens, st.Types)
	}
	v, _ := c.Vocab(VocabConfig{MinCount: 2})
	if v.ID("the") == v.Unknown() {
		t.Error("frequent word missing")
	}
}

func TestAppendTokens(t *testing.T) {
	got := AppendTokens([]string{"x"}, " a\tb \u00a0c\r\fd  ")
	want := []string{"x", "a", "b", "\u00a0c", "d"}
	if !slices.Equal(got, want) {
		t.Fatalf("AppendTokens = %q, want %q", got, want)
	}
}
