package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/nlp-go/nlp/datasets/conllu"
	"github.com/nlp-go/nlp/models"
	"github.com/nlp-go/nlp/tagger"
)

// tagText runs Segment (as nlp tag configures it) and stage over input read in
// format and returns what the writer of out makes of it.
func tagText(t *testing.T, input, format, out string, stage Stage[*Document, *Document]) string {
	t.Helper()
	src, err := NewReader(strings.NewReader(input), ReadConfig{Format: format, Name: "in"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, out)
	if err != nil {
		t.Fatal(err)
	}
	chain := Then(Segment(SegmentConfig{MaxTokens: -1}), stage)
	if err := Run(context.Background(), src, chain, w, Config{Workers: 2, Batch: 2}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// The readers of already tokenized input: CoNLL columns and tokenized lines
// give one sentence a document, with a bare CoNLL-U form of it.
func TestReaderTokenized(t *testing.T) {
	for _, tc := range []struct {
		name, input, format string
		want                [][]string
		lines               []int
	}{
		{"conll tabs", "The\tDT\tB-NP\ndog\tNN\tI-NP\n\n-DOCSTART-\t-X-\tO\n\nbarks\tVBZ\tB-VP\n", InputCoNLL,
			[][]string{{"The", "dog"}, {"barks"}}, []int{0, 0}},
		{"conll detected", "The DT B-NP\ndog NN I-NP\n\nbarks VBZ B-VP\n.  . O\n", InputAuto,
			[][]string{{"The", "dog"}, {"barks", "."}}, []int{0, 0}},
		{"tokens", "\n  It is n't .\r\n\nYes !", InputTokens,
			[][]string{{"It", "is", "n't", "."}, {"Yes", "!"}}, []int{2, 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(tc.input), ReadConfig{Format: tc.format})
			if err != nil {
				t.Fatal(err)
			}
			if tc.format == InputAuto && r.Format() != InputCoNLL {
				t.Fatalf("detected %s, want conll", r.Format())
			}
			for i, want := range tc.want {
				d, err := r.Next()
				if err != nil {
					t.Fatal(err)
				}
				if d.Index != i || d.Line != tc.lines[i] || d.Text != "" || len(d.Sentences) != 1 {
					t.Fatalf("document %d: %+v", i, d)
				}
				s := d.Sentences[0]
				if s.Text != strings.Join(want, " ") || s.CoNLLU == nil || strings.Join(s.CoNLLU.Forms(), " ") != s.Text || len(s.CoNLLU.Comments) != 0 {
					t.Fatalf("document %d: sentence %+v (CoNLL-U %+v), want %q", i, s, s.CoNLLU, want)
				}
				for k, tok := range s.Tokens {
					if tok.Form != want[k] || tok.UPOS != "" || tok.XPOS != "" {
						t.Errorf("document %d token %d: %+v, want %q untagged", i, k, tok, want[k])
					}
				}
			}
			if _, err := r.Next(); !errors.Is(err, io.EOF) {
				t.Fatalf("after the last document: %v", err)
			}
		})
	}

	// A row with another number of columns: an error naming the line.
	r, err := NewReader(strings.NewReader("a\tDT\nb\tNN\n\nc\n"), ReadConfig{Format: InputCoNLL, Name: "x.conll"})
	if err != nil {
		t.Fatal(err)
	}
	r.Next()
	_, err = r.Next()
	var pe *Error
	if !errors.As(err, &pe) || pe.Line != 4 || pe.Doc != 1 || !errors.Is(err, conllu.ErrFieldCount) || !strings.HasPrefix(err.Error(), "x.conll:4: doc 1:") {
		t.Errorf("error %v: want x.conll:4, doc 1, ErrFieldCount", err)
	}
}

// What nlp tag writes: every input format to CoNLL-U, TSV and JSON lines, the
// tags those of tagger.Tag.
func TestTagFormats(t *testing.T) {
	tm, _ := loadModels(t)
	ref, _ := models.Tagger()
	tags := func(forms ...[]string) []tagger.Tagged { return ref.Tag(forms) }

	// Plain text: sentences split, "# newdoc" a line, "# text" the sentence as
	// written, SpaceAfter=No before the full stop, sent_id counting sentences.
	text := "The dog barked loudly. Then it slept.\n\nI saw her yesterday.\n"
	got := tagText(t, text, InputAuto, OutputCoNLLU, Tag(tm))
	want := tags([]string{"The", "dog", "barked", "loudly", "."}, []string{"Then", "it", "slept", "."}, []string{"I", "saw", "her", "yesterday", "."})
	if !strings.HasPrefix(got, "# newdoc\n# sent_id = 1\n# text = The dog barked loudly.\n1\tThe\t_\t"+want[0].UPOS[0]+"\t"+want[0].XPOS[0]+"\t_\t_\t_\t_\t_\n") ||
		!strings.Contains(got, "\t_\t_\t_\t_\tSpaceAfter=No\n5\t.\t") ||
		!strings.Contains(got, "\n\n# sent_id = 2\n# text = Then it slept.\n") ||
		!strings.Contains(got, "\n\n# newdoc\n# sent_id = 3\n# text = I saw her yesterday.\n") {
		t.Errorf("text as CoNLL-U:\n%s", got)
	}
	got = tagText(t, text, InputText, OutputTSV, Tag(tm))
	var wantTSV strings.Builder
	for i, f := range [][]string{{"The", "dog", "barked", "loudly", "."}, {"Then", "it", "slept", "."}, {"I", "saw", "her", "yesterday", "."}} {
		for k := range f {
			wantTSV.WriteString(f[k] + "\t" + want[i].UPOS[k] + "\t" + want[i].XPOS[k] + "\n")
		}
		wantTSV.WriteString("\n")
	}
	if got != wantTSV.String() {
		t.Errorf("text as TSV:\n%s\nwant\n%s", got, wantTSV.String())
	}

	// Tokenized lines and CoNLL columns: CoNLL-U without comments.
	got = tagText(t, "one two three\n", InputTokens, OutputCoNLLU, Tag(tm))
	w := tags([]string{"one", "two", "three"})[0]
	if wantC := "1\tone\t_\t" + w.UPOS[0] + "\t" + w.XPOS[0] + "\t_\t_\t_\t_\t_\n"; !strings.HasPrefix(got, wantC) || strings.Count(got, "\n") != 4 {
		t.Errorf("tokens as CoNLL-U:\n%s", got)
	}
	if conll := tagText(t, "one\tCD\ntwo\tCD\nthree\tCD\n", InputAuto, OutputCoNLLU, Tag(tm)); conll != got {
		t.Errorf("CoNLL columns as CoNLL-U:\n%s\nwant\n%s", conll, got)
	}
	got = tagText(t, "one two three\n", InputTokens, OutputJSONL, Tag(tm))
	var js struct {
		Doc, Sent int
		Text      string
		Tokens    []struct{ Form, UPOS, XPOS string }
	}
	if err := json.Unmarshal([]byte(got), &js); err != nil || js.Text != "one two three" || len(js.Tokens) != 3 || js.Tokens[2].Form != "three" || js.Tokens[0].UPOS != w.UPOS[0] {
		t.Errorf("tokens as JSON: %s (%v)", got, err)
	}

	// An ensemble of the model with itself tags as the model does.
	ens, err := tagger.NewEnsemble(tm, tm)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := tagText(t, text, InputText, OutputTSV, TagEnsemble(ens)), tagText(t, text, InputText, OutputTSV, Tag(tm)); a != b {
		t.Errorf("the ensemble tags\n%s\nthe model\n%s", a, b)
	}
}
