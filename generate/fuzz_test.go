package generate

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/nlp-go/nlp/internal/fuzzlimit"
)

// FuzzReadLines checks that any input either reads as valid lines that join
// back into the input (up to CRLF and the final newline) or fails cleanly.
func FuzzReadLines(f *testing.F) {
	for _, s := range []string{"", "\n", "a\nb", "a\r\nb\n", "x\xffy\n", "\n\n\n", "é\u2028ü"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fuzzlimit.Check(t, len(s), func() {
			lines, err := ReadLines(strings.NewReader(s))
			if err != nil {
				return
			}
			for _, l := range lines {
				if !utf8.ValidString(l) || strings.Contains(l, "\n") {
					t.Fatalf("line %q", l)
				}
			}
			norm := strings.TrimSuffix(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
			if got := strings.Join(lines, "\n"); got != norm && !strings.Contains(s, "\r") {
				t.Fatalf("lines %q do not join back to %q", lines, s)
			}
		})
	})
}
