package conllu

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/internal/fuzzlimit"
)

const ewtSlice = "../testdata/en_ewt-ud-dev-slice.conllu"

func readAllCoNLLU(t testing.TB, data []byte) []*Sentence {
	t.Helper()
	sents, err := NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return sents
}

func writeAllCoNLLU(t testing.TB, sents []*Sentence) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, s := range sents {
		if err := w.Write(s); err != nil {
			t.Fatalf("write: %v", err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCoNLLURoundTripEWT(t *testing.T) {
	data, err := os.ReadFile(ewtSlice)
	if err != nil {
		t.Fatal(err)
	}
	sents := readAllCoNLLU(t, data)
	if len(sents) != 60 {
		t.Errorf("sentences = %d, want 60", len(sents))
	}
	var kinds [3]int
	for _, s := range sents {
		for _, tok := range s.Tokens {
			kinds[tok.Kind]++
		}
	}
	if kinds[MultiWord] != 27 || kinds[EmptyNode] != 3 {
		t.Errorf("multiword %d, empty %d; want 27, 3", kinds[MultiWord], kinds[EmptyNode])
	}
	if got := writeAllCoNLLU(t, sents); !bytes.Equal(got, data) {
		t.Fatalf("round trip differs (%d bytes in, %d out)", len(data), len(got))
	}
}

func TestCoNLLUFiles(t *testing.T) {
	sents, err := ReadFile(ewtSlice)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir() + "/out.conllu"
	if err := WriteFile(out, sents); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(ewtSlice)
	b, _ := os.ReadFile(out)
	if !bytes.Equal(a, b) {
		t.Error("file round trip differs")
	}
	bad := t.TempDir() + "/bad.conllu"
	os.WriteFile(bad, []byte("1\tx\n\n"), 0o644)
	if _, err := ReadFile(bad); err == nil || !strings.Contains(err.Error(), bad+":1:4: ") {
		t.Errorf("err = %v, want the file, line and column", err)
	}
}

func TestCoNLLUSetTagsKeepsEverythingElse(t *testing.T) {
	data, err := os.ReadFile(ewtSlice)
	if err != nil {
		t.Fatal(err)
	}
	sents := readAllCoNLLU(t, data)
	for _, s := range sents {
		words := s.Words()
		upos := make([]string, len(words))
		xpos := make([]string, len(words))
		for i := range words {
			upos[i], xpos[i] = "X", "FW"
		}
		if err := s.SetTags(upos, xpos); err != nil {
			t.Fatal(err)
		}
		if err := s.SetTags(upos[:len(upos)-1], nil); !errors.Is(err, ErrTagCount) {
			t.Fatalf("short tags: err = %v, want ErrTagCount", err)
		}
	}
	got := writeAllCoNLLU(t, sents)
	inLines := strings.Split(string(data), "\n")
	outLines := strings.Split(string(got), "\n")
	if len(inLines) != len(outLines) {
		t.Fatalf("line count %d → %d", len(inLines), len(outLines))
	}
	for i := range inLines {
		a, b := strings.Split(inLines[i], "\t"), strings.Split(outLines[i], "\t")
		if len(a) != 10 {
			if inLines[i] != outLines[i] {
				t.Fatalf("line %d changed: %q → %q", i+1, inLines[i], outLines[i])
			}
			continue
		}
		isWord := !strings.ContainsAny(a[0], "-.")
		for k := range a {
			if isWord && (k == 3 || k == 4) {
				if want := map[int]string{3: "X", 4: "FW"}[k]; b[k] != want {
					t.Fatalf("line %d column %d = %q, want %q", i+1, k+1, b[k], want)
				}
				continue
			}
			if a[k] != b[k] {
				t.Fatalf("line %d column %d changed: %q → %q", i+1, k+1, a[k], b[k])
			}
		}
	}
}

func TestCoNLLUSentenceAccessors(t *testing.T) {
	in := "# sent_id = 1\n# text = I don't know.\n" +
		"1\tI\tI\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n" +
		"2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n" +
		"2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_\n" +
		"3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n" +
		"4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n" +
		"4.1\tknow\tknow\tVERB\tVB\t_\t_\t_\t4:conj\t_\n" +
		"5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n"
	s := readAllCoNLLU(t, []byte(in))[0]
	if got := strings.Join(s.Forms(), " "); got != "I do n't know ." {
		t.Errorf("Forms = %q", got)
	}
	if got := strings.Join(s.XPOS(), " "); got != "PRP VBP RB VB ." {
		t.Errorf("XPOS = %q", got)
	}
	if got := strings.Join(s.UPOS(), " "); got != "PRON AUX PART VERB PUNCT" {
		t.Errorf("UPOS = %q", got)
	}
	if got := s.Text(); got != "I don't know." {
		t.Errorf("Text = %q", got)
	}
	s.Comments = s.Comments[:1]
	if got := s.Text(); got != "I don't know ." {
		t.Errorf("Text without comment = %q", got)
	}
	if v, ok := s.Comment("sent_id"); !ok || v != "1" {
		t.Errorf("Comment(sent_id) = %q, %v", v, ok)
	}
}

func TestCoNLLUMalformed(t *testing.T) {
	w := func(id string) string { return id + "\tx\tx\tX\tX\t_\t0\troot\t_\t_\n" }
	tests := []struct {
		name      string
		in        string
		want      error
		line, col int
	}{
		{"nine columns", "1\tx\tx\tX\tX\t_\t0\troot\t_\n\n", ErrFieldCount, 1, 21},
		{"eleven columns", "1\tx\tx\tX\tX\t_\t0\troot\t_\t_\t_\n\n", ErrFieldCount, 1, 23},
		{"spaces not tabs", "1 x x X X _ 0 root _ _\n\n", ErrFieldCount, 1, 23},
		{"empty column", "1\tx\t\tX\tX\t_\t0\troot\t_\t_\n\n", ErrEmptyField, 1, 5},
		{"bad id", w("a") + "\n", ErrBadID, 1, 1},
		{"zero id", w("0") + "\n", ErrBadID, 1, 1},
		{"leading zero", w("01") + "\n", ErrBadID, 1, 1},
		{"skipped id", w("1") + w("3") + "\n", ErrBadID, 2, 1},
		{"range backwards", w("1") + w("3-2") + "\n", ErrBadID, 2, 1},
		{"range not at next word", w("1") + w("3-4") + "\n", ErrBadID, 2, 1},
		{"range past end", w("1") + w("2-3") + w("2") + "\n", ErrBadID, 4, 0},
		{"empty node out of place", w("1") + w("2") + w("1.1") + "\n", ErrBadID, 3, 1},
		{"empty node skips", w("1") + w("1.2") + "\n", ErrBadID, 2, 1},
		{"invalid utf8", "1\tx\xff\tx\tX\tX\t_\t0\troot\t_\t_\n\n", nlp.ErrInvalidUTF8, 1, 4},
		{"NUL", "1\tx\x00\tx\tX\tX\t_\t0\troot\t_\t_\n\n", nlp.ErrNUL, 1, 4},
		{"missing blank line", w("1"), ErrMissingBlankLine, 1, 0},
		{"missing final newline", strings.TrimSuffix(w("1"), "\n"), ErrMissingBlankLine, 1, 23},
		{"comments only", "# x\n", ErrMissingBlankLine, 1, 0},
		{"comment after words", w("1") + "# x\n\n", ErrBadLine, 2, 1},
		{"blank first", "\n" + w("1") + "\n", ErrBadLine, 1, 0},
		{"double blank", w("1") + "\n\n", ErrBadLine, 3, 0},
		{"no words", "# x\n\n", ErrBadLine, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(strings.NewReader(tt.in))
			var err error
			for err == nil {
				_, err = r.Read()
			}
			var pe *nlp.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want *nlp.ParseError", err)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			if pe.Line != tt.line || pe.Column != tt.col {
				t.Errorf("position %d:%d, want %d:%d (%v)", pe.Line, pe.Column, tt.line, tt.col, err)
			}
		})
	}
}

func TestCoNLLUCRLF(t *testing.T) {
	in := "# a\r\n1\tx\tx\tX\tX\t_\t0\troot\t_\t_\r\n\r\n"
	s, err := NewReader(strings.NewReader(in)).Read()
	if err != nil {
		t.Fatal(err)
	}
	if s.Tokens[0].Misc != "_" || s.Comments[0] != "# a" {
		t.Errorf("CR kept: %+v", s)
	}
}

func TestCoNLLUEmptyInput(t *testing.T) {
	if _, err := NewReader(strings.NewReader("")).Read(); err != io.EOF {
		t.Errorf("err = %v, want io.EOF", err)
	}
}

func TestCoNLLUWriterRefusesBadFields(t *testing.T) {
	for _, s := range []*Sentence{
		{Tokens: []Token{{ID: "1", Form: "a\tb", Lemma: "_", UPOS: "_", XPOS: "_", Feats: "_", Head: "_", Deprel: "_", Deps: "_", Misc: "_"}}},
		{Tokens: []Token{{ID: "1"}}},
		{Comments: []string{"no hash"}},
	} {
		if err := NewWriter(io.Discard).Write(s); !errors.Is(err, ErrBadField) {
			t.Errorf("err = %v, want ErrBadField", err)
		}
	}
}

func FuzzReadCoNLLU(f *testing.F) {
	if data, err := os.ReadFile(ewtSlice); err == nil {
		f.Add(data[:4000])
	}
	f.Add([]byte("1\tx\tx\tX\tX\t_\t0\troot\t_\t_\n\n"))
	f.Add([]byte("# c\n1-2\tab\t_\t_\t_\t_\t_\t_\t_\t_\n1\ta\ta\tX\tX\t_\t0\troot\t_\t_\n1.1\tz\tz\tX\tX\t_\t_\t_\t1:x\t_\n2\tb\tb\tX\tX\t_\t1\tdep\t_\t_\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzlimit.Check(t, len(data), func() {
			r := NewReader(bytes.NewReader(data))
			var sents []*Sentence
			for {
				s, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					var pe *nlp.ParseError
					if !errors.As(err, &pe) || pe.Line < 1 {
						t.Fatalf("error %v is not a positioned *nlp.ParseError", err)
					}
					return
				}
				sents = append(sents, s)
			}
			// Whatever reads cleanly writes back the same bytes (modulo CR line ends).
			out := writeAllCoNLLU(t, sents)
			if !bytes.Contains(data, []byte("\r")) && !bytes.Equal(out, data) {
				t.Fatalf("round trip differs:\n%q\n%q", data, out)
			}
		})
	})
}

// BenchmarkCoNLLU reads and writes the testdata slice, or EWT train when NLP_DATA
// names the data folder.
func BenchmarkCoNLLU(b *testing.B) {
	path := ewtSlice
	if dir := os.Getenv("NLP_DATA"); dir != "" {
		path = dir + "/ud-english-ewt/en_ewt-ud-train.conllu"
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("read", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			r := NewReader(bytes.NewReader(data))
			for {
				if _, err := r.Read(); err != nil {
					if err != io.EOF {
						b.Fatal(err)
					}
					break
				}
			}
		}
	})
	sents := readAllCoNLLU(b, data)
	b.Run("write", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			w := NewWriter(io.Discard)
			for _, s := range sents {
				w.Write(s)
			}
			w.Flush()
		}
	})
}

// TestReadBOM checks that a UTF-8 byte order mark opening a file is dropped:
// the first comment and the first word read as they would without it.
func TestReadBOM(t *testing.T) {
	for _, in := range []string{
		"\ufeff# sent_id = 1\n1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n\n",
		"\ufeff1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n\n",
	} {
		s, err := NewReader(strings.NewReader(in)).Read()
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if len(s.Tokens) != 1 || s.Tokens[0].Form != "Hi" {
			t.Fatalf("%q: tokens %+v", in, s.Tokens)
		}
	}
}
