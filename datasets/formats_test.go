package datasets

import (
	"bytes"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/internal/fuzzlimit"
)

func TestDetectFormat(t *testing.T) {
	ewt, err := os.ReadFile(ewtSlice)
	if err != nil {
		t.Fatal(err)
	}
	brown, err := os.ReadFile("testdata/mini/brown/ca01")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   string
		want Format
	}{
		{"ewt", string(ewt[:5000]), FormatCoNLLU},
		{"conllu without comments", "1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n\n", FormatCoNLLU},
		{"brown", string(brown), FormatBrown},
		{"conll tabs", "He\tPRP\nran\tVBD\n", FormatCoNLL},
		{"conll spaces", "He PRP B-NP\nran VBD B-VP\n\nOK UH O\n", FormatCoNLL},
		{"text", "The cat sat on the mat.\nDogs bark.\n", FormatText},
		{"one line of text", "hello world", FormatText},
		{"empty", "", FormatText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DetectFormat([]byte(tt.in)); got != tt.want {
				t.Errorf("DetectFormat = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range []Format{FormatAuto, FormatCoNLLU, FormatCoNLL, FormatText, FormatBrown} {
		got, err := ParseFormat(f.String())
		if err != nil || got != f {
			t.Errorf("ParseFormat(%q) = %v, %v", f.String(), got, err)
		}
	}
	if _, err := ParseFormat("xml"); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("err = %v", err)
	}
}

func TestBrownReader(t *testing.T) {
	r := NewBrownReader(strings.NewReader("\n\n\tThe/at 1/2/cd jury/nn ./.\n\n\tIt/pps ran/vbd\n"))
	s, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.Words(), " ") + "|" + strings.Join(s.Tags(), " "); got != "The 1/2 jury .|at cd nn ." {
		t.Errorf("got %q", got)
	}
	if s, err = r.Read(); err != nil || len(s.Tokens) != 2 {
		t.Fatalf("second: %v %v", s, err)
	}
	if _, err = r.Read(); err != io.EOF {
		t.Fatalf("err = %v, want EOF", err)
	}
	for _, bad := range []string{"word\n", "a/b /x\n", "a/\n", "a/b \xff/c\n"} {
		_, err := NewBrownReader(strings.NewReader(bad)).Read()
		var pe *nlp.ParseError
		if !errors.As(err, &pe) || pe.Column == 0 {
			t.Errorf("%q: err = %v, want *nlp.ParseError with a column", bad, err)
		}
	}
}

func TestLabelledReader(t *testing.T) {
	tests := []struct {
		name   string
		format LabelledFormat
		in     string
		want   []Example
	}{
		{"sst", LabelFirst, "1 a good film\n0 bad .\n", []Example{{"1", "a good film"}, {"0", "bad ."}}},
		{"auto sst", LabelAuto, "\n4 fine\r\n", []Example{{"4", "fine"}}},
		{"tsv", LabelLast, "a good film\tpos\nbad\tneg\n", []Example{{"pos", "a good film"}, {"neg", "bad"}}},
		{"auto tsv", LabelAuto, "a\tb\tpos\n", []Example{{"pos", "a\tb"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewLabelledReader(strings.NewReader(tt.in), tt.format).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	for _, bad := range []struct {
		f  LabelledFormat
		in string
	}{{LabelFirst, "1\n"}, {LabelFirst, " text\n"}, {LabelLast, "no tab\n"}, {LabelLast, "text\t\n"}, {LabelFirst, "1  \n"}, {LabelFirst, "1 \xff\n"}} {
		_, err := NewLabelledReader(strings.NewReader(bad.in), bad.f).ReadAll()
		var pe *nlp.ParseError
		if !errors.As(err, &pe) || pe.Line != 1 {
			t.Errorf("%q: err = %v, want a *nlp.ParseError on line 1", bad.in, err)
		}
	}
}

func TestReadLabelledFileGzip(t *testing.T) {
	ex, err := ReadLabelledFile("testdata/mini/imdb/train.txt.gz", LabelFirst)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex) != 4 || ex[0].Label != "0" || ex[3].Label != "1" {
		t.Errorf("got %d examples, labels %q…%q", len(ex), ex[0].Label, ex[len(ex)-1].Label)
	}
	_, err = ReadLabelledFile("testdata/nope.gz", LabelFirst)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v", err)
	}
}

func TestTextReader(t *testing.T) {
	in := "Hello there. How are you?<br />Fine!\n\nI don't know.\n"
	tests := []struct {
		cfg  TextConfig
		want []string
	}{
		{TextConfig{}, []string{"Hello there . How are you?<br />Fine !", "I do n't know ."}},
		{TextConfig{Replace: []string{"<br />", " "}, Lower: true}, []string{"hello there . how are you ? fine !", "i do n't know ."}},
		{TextConfig{Replace: []string{"<br />", " "}, SplitSentences: true}, []string{"Hello there .", "How are you ?", "Fine !", "I do n't know ."}},
	}
	for i, tt := range tests {
		t.Run(strings.Repeat("x", i+1), func(t *testing.T) {
			if err := tt.cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			r := NewTextReader(strings.NewReader(in), tt.cfg, nil)
			var got []string
			for {
				toks, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, strings.Join(toks, " "))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
	if err := (TextConfig{Replace: []string{"x"}}).Validate(); !errors.Is(err, ErrOddReplace) {
		t.Errorf("odd Replace: %v", err)
	}
}

func FuzzReadLabelled(f *testing.F) {
	f.Add([]byte("1 a good film\n0 bad .\n"), uint8(0))
	f.Add([]byte("text\tpos\n"), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, format uint8) {
		fuzzlimit.Check(t, len(data), func() {
			r := NewLabelledReader(bytes.NewReader(data), LabelledFormat(format%3))
			for {
				e, err := r.Read()
				if err == io.EOF {
					return
				}
				if err != nil {
					var pe *nlp.ParseError
					if !errors.As(err, &pe) {
						t.Fatalf("not a *nlp.ParseError: %v", err)
					}
					return
				}
				if e.Label == "" || strings.ContainsAny(e.Label, " \t") || strings.TrimSpace(e.Text) == "" {
					t.Fatalf("bad example %q", e)
				}
			}
		})
	})
}

func FuzzReadBrown(f *testing.F) {
	f.Add([]byte("\tThe/at jury/nn ./.\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzlimit.Check(t, len(data), func() {
			r := NewBrownReader(bytes.NewReader(data))
			for {
				s, err := r.Read()
				if err == io.EOF {
					return
				}
				if err != nil {
					var pe *nlp.ParseError
					if !errors.As(err, &pe) {
						t.Fatalf("not a *nlp.ParseError: %v", err)
					}
					return
				}
				for _, tok := range s.Tokens {
					if tok.Word == "" || tok.Tag == "" || strings.Contains(tok.Tag, "/") {
						t.Fatalf("bad token %q", tok)
					}
				}
			}
		})
	})
}

// ewtSlice is a few hundred sentences of the EWT development set.
const ewtSlice = "testdata/en_ewt-ud-dev-slice.conllu"

// FuzzDetectFormat checks that no input makes DetectFormat panic or return
// FormatAuto.
func FuzzDetectFormat(f *testing.F) {
	f.Add([]byte("Confidence NN B-NP\nin IN B-PP\n\nthe DT B-NP\n"))
	f.Add([]byte("a\tb\n\n-DOCSTART-\n"))
	f.Add([]byte("1\tA\ta\tX\tX\t_\t0\troot\t_\t_\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzlimit.Check(t, len(data), func() {
			if DetectFormat(data) == FormatAuto {
				t.Fatalf("FormatAuto for %q", data)
			}
		})
	})
}
