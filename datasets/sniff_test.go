package datasets

import (
	"errors"
	"strings"
	"testing"

	"github.com/nlp-go/nlp/internal/fuzzlimit"
)

// conlluWords is a CoNLL-U sentence of n words without comments.
func conlluWords(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		b.WriteString(strings.Join([]string{itoa(i), "w", "w", "NOUN", "NN", "_", "0", "root", "_", "_"}, "\t") + "\n")
	}
	return b.String() + "\n"
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// TestSniffFormat covers issue 17, item 3: a BOM, one malformed line and a
// first CoNLL-U comment all give CoNLL-U; only comments, or a mix of word lines
// and others, are ambiguous; a BOM never changes the answer for text.
func TestSniffFormat(t *testing.T) {
	words := conlluWords(8)
	lines := strings.Split(words, "\n")
	lines[4] = "5 bad line with spaces" // one malformed line at line 5
	oneBad := strings.Join(lines, "\n")
	for _, tc := range []struct {
		name, in  string
		want      Format
		ambiguous bool
	}{
		{"conllu", "# sent_id = 1\n" + words, FormatCoNLLU, false},
		{"conllu BOM", "\ufeff" + words, FormatCoNLLU, false},
		{"conllu BOM comment", "\ufeff# text = w w\n" + words, FormatCoNLLU, false},
		{"one bad line", oneBad, FormatCoNLLU, false},
		{"sent_id first", "# sent_id = 1\nnot a word line\n", FormatCoNLLU, false},
		{"only comments", "# a comment\n# another\n", FormatAuto, true},
		{"mix", conlluWords(2) + "plain text\nmore text\nand more\n", FormatAuto, true},
		{"text", "The cat sat.\n", FormatText, false},
		{"text BOM", "\ufeffThe cat sat.\n", FormatText, false},
		{"text with a hash line", "# Title\nThe cat sat.\nIt did.\n", FormatText, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SniffFormat([]byte(tc.in))
			if tc.ambiguous {
				if !errors.Is(err, ErrAmbiguousFormat) {
					t.Fatalf("SniffFormat = %v, %v; want ErrAmbiguousFormat", got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("SniffFormat = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

// FuzzSniffFormat checks that SniffFormat never panics, answers a format or
// ErrAmbiguousFormat, and gives the same answer with a byte order mark in front.
func FuzzSniffFormat(f *testing.F) {
	f.Add([]byte(conlluWords(3)))
	f.Add([]byte("# only\n# comments\n"))
	f.Add([]byte("The cat sat.\n"))
	f.Fuzz(func(t *testing.T, head []byte) {
		fuzzlimit.Check(t, len(head), func() {
			got, err := SniffFormat(head)
			if err != nil && !errors.Is(err, ErrAmbiguousFormat) {
				t.Fatalf("error %v does not wrap ErrAmbiguousFormat", err)
			}
			if (err == nil) == (got == FormatAuto) {
				t.Fatalf("SniffFormat = %v, %v", got, err)
			}
			if strings.HasPrefix(string(head), "\ufeff") {
				return
			}
			bom, berr := SniffFormat(append([]byte("\ufeff"), head...))
			if bom != got || (berr == nil) != (err == nil) {
				t.Fatalf("with a BOM: %v, %v; without: %v, %v", bom, berr, got, err)
			}
		})
	})
}
