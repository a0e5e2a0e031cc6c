package conllu

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/nlp-go/nlp"
)

// readAllCompact reads every sentence of data in the compact form.
func readAllCompact(t testing.TB, data []byte) []*Compact {
	t.Helper()
	r := NewReader(bytes.NewReader(data))
	var out []*Compact
	for {
		c, err := r.ReadCompact()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
}

// TestCompactMatchesSentence checks that a compact sentence gives what the
// Sentence read from the same lines gives (tokens, forms, text, comments),
// and that writing it back, with or without new tags, gives the bytes Write
// gives for the Sentence with the same tags set.
func TestCompactMatchesSentence(t *testing.T) {
	data, err := os.ReadFile(ewtSlice)
	if err != nil {
		t.Fatal(err)
	}
	sents := readAllCoNLLU(t, data)
	comps := readAllCompact(t, data)
	if len(comps) != len(sents) {
		t.Fatalf("%d compact sentences, %d sentences", len(comps), len(sents))
	}
	var plain, tagged bytes.Buffer
	pw, tw := NewWriter(&plain), NewWriter(&tagged)
	for i, s := range sents {
		c := comps[i]
		if !slices.Equal(c.Sentence().Tokens, s.Tokens) || !slices.Equal(c.Comments, s.Comments) {
			t.Fatalf("sentence %d: compact %+v, want %+v", i, c.Sentence(), s)
		}
		if c.Len() != len(s.Tokens) || c.NumWords() != len(s.Words()) || !slices.Equal(c.Forms(), s.Forms()) || c.Text() != s.Text() {
			t.Fatalf("sentence %d: Len %d NumWords %d Forms %q Text %q, want %d %d %q %q",
				i, c.Len(), c.NumWords(), c.Forms(), c.Text(), len(s.Tokens), len(s.Words()), s.Forms(), s.Text())
		}
		if err := pw.WriteCompact(c.Comments, c, nil); err != nil {
			t.Fatal(err)
		}
		// Every other word retagged, the others kept as read ("").
		upos, xpos := s.UPOS(), s.XPOS()
		for k := 0; k < len(upos); k += 2 {
			upos[k], xpos[k] = "X", fmt.Sprint("T", k)
		}
		err := tw.WriteCompact(c.Comments, c, func(k int) (string, string) {
			if k%2 == 0 {
				return upos[k], xpos[k]
			}
			return "", ""
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetTags(upos, xpos); err != nil {
			t.Fatal(err)
		}
	}
	pw.Flush()
	tw.Flush()
	if !bytes.Equal(plain.Bytes(), data) {
		t.Error("compact round trip differs from the input")
	}
	if want := writeAllCoNLLU(t, sents); !bytes.Equal(tagged.Bytes(), want) {
		t.Error("compact sentences retagged differ from the sentences retagged")
	}
}

// TestCompactWriteRefuses checks that WriteCompact refuses a bad comment or
// tag before writing anything of the sentence.
func TestCompactWriteRefuses(t *testing.T) {
	c := readAllCompact(t, []byte("1\ta\t_\t_\t_\t_\t_\t_\t_\t_\n2\tb\t_\t_\t_\t_\t_\t_\t_\t_\n\n"))[0]
	for _, tc := range []struct {
		comments []string
		upos     string
	}{{[]string{"no hash"}, ""}, {nil, "A\tB"}, {nil, "A\nB"}} {
		var buf bytes.Buffer
		w := NewWriter(&buf)
		err := w.WriteCompact(tc.comments, c, func(k int) (string, string) {
			if k == 1 {
				return tc.upos, ""
			}
			return "", ""
		})
		w.Flush()
		if !errors.Is(err, ErrBadField) || buf.Len() != 0 {
			t.Errorf("comments %q, UPOS %q: err %v, %d bytes written", tc.comments, tc.upos, err, buf.Len())
		}
	}
	if _, err := BareCompact([]string{"a", "b\tc"}); !errors.Is(err, ErrBadField) {
		t.Errorf("BareCompact of a form with a tab: err %v", err)
	}
	b, err := BareCompact([]string{"a", "b"})
	if err != nil || b.Text() != "a b" || b.Sentence().Tokens[1] != (Token{Kind: Word, ID: "2", Form: "b", Lemma: "_", UPOS: "_", XPOS: "_", Feats: "_", Head: "_", Deprel: "_", Deps: "_", Misc: "_"}) {
		t.Errorf("BareCompact: %+v, %v", b, err)
	}
}

// TestCompactMemory checks what a long sentence costs in the compact form: a
// sentence of 200,000 words (lines of 27 bytes) must keep less than 50 bytes
// a word once read, where a Sentence keeps about 200 bytes a word (issue 17: a
// 1M-word CoNLL-U sentence took 725 MB in nlp tag), and allocate less than 150
// bytes a word while it is read (the garbage of the growing buffers).
func TestCompactMemory(t *testing.T) {
	const n = 200000
	var in strings.Builder
	for i := range n {
		fmt.Fprintf(&in, "%d\tfilm\t_\t_\t_\t_\t_\t_\t_\t_\n", i+1)
	}
	in.WriteString("\n")
	data := []byte(in.String())
	in = strings.Builder{}
	r := NewReader(bytes.NewReader(data))
	var before, read, kept runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c, err := r.ReadCompact()
	runtime.ReadMemStats(&read)
	runtime.GC()
	runtime.ReadMemStats(&kept)
	if err != nil {
		t.Fatal(err)
	}
	if c.NumWords() != n {
		t.Fatalf("%d words, want %d", c.NumWords(), n)
	}
	alloc := float64(read.TotalAlloc-before.TotalAlloc) / n
	live := (float64(kept.HeapAlloc) - float64(before.HeapAlloc)) / n
	t.Logf("%.1f bytes a word kept, %.1f allocated (lines of %.1f bytes)", live, alloc, float64(len(data))/n)
	if live > 50 || alloc > 150 {
		t.Errorf("a %d-word sentence: %.1f bytes a word kept (want at most 50), %.1f allocated (at most 150)", n, live, alloc)
	}
	runtime.KeepAlive(c)
}

// TestReaderMaxLine checks that the CoNLL-U reader bounds its lines as every
// line reader does: 1 MiB by default, Reader.MaxLine otherwise, a longer line
// being a *nlp.ParseError wrapping nlp.ErrLineTooLong on that line.
func TestReaderMaxLine(t *testing.T) {
	word := func(id int, form string) string { return fmt.Sprintf("%d\t%s\t_\t_\t_\t_\t_\t_\t_\t_\n", id, form) }
	for _, tc := range []struct {
		max, form int
		ok        bool
	}{{0, 1<<20 - 20, true}, {0, 1 << 20, false}, {100, 80, true}, {100, 100, false}} {
		in := word(1, "a") + word(2, strings.Repeat("x", tc.form)) + "\n"
		r := NewReader(strings.NewReader(in))
		r.MaxLine = tc.max
		_, err := r.ReadCompact()
		var pe *nlp.ParseError
		if tc.ok && err != nil || !tc.ok && (!errors.Is(err, nlp.ErrLineTooLong) || !errors.As(err, &pe) || pe.Line != 2) {
			t.Errorf("MaxLine %d, a form of %d bytes: error %v", tc.max, tc.form, err)
		}
	}
}
