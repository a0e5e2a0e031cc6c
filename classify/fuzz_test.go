package classify_test

import (
	"strings"
	"testing"

	"github.com/nlp-go/nlp/classify"
	"github.com/nlp-go/nlp/internal/fuzzlimit"
)

// FuzzRead checks that no input makes Read panic and that every example it
// returns has a label and a line.
func FuzzRead(f *testing.F) {
	for _, s := range []string{"1 a good film\n0 bad\n", "text\tpos\n\nmore text\tneg\n", "0\n", "\xff 1\n", " 1 x\n", "a\tb\tc\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fuzzlimit.Check(t, len(s), func() {
			ex, err := classify.Read(strings.NewReader(s))
			if err != nil {
				return
			}
			for _, e := range ex {
				if e.Label == "" || e.Line <= 0 || strings.ContainsAny(e.Label, " \t\n") {
					t.Fatalf("bad example %+v from %q", e, s)
				}
			}
		})
	})
}
