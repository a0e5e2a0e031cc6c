package subword

import (
	"slices"
	"strings"
	"testing"

	"github.com/nlp-go/nlp/internal/fuzzlimit"
)

// Join(Segment(w)) is [w] for any non-empty word, and no unit is empty.
func FuzzSegment(f *testing.F) {
	m, err := Learn(map[string]int{"low": 5, "lower": 2, "newest": 6, "widest": 3, "a@@": 4, "x\ufffd": 3}, 100)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"lowest", "a@@", "@@", "\xff@@", "x\ufffd\xff", "newest@"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, w string) {
		var units []string
		fuzzlimit.Check(t, len(w), func() { units = m.Segment(w) })
		if w == "" {
			return
		}
		if got := Join(units); len(got) != 1 || got[0] != w {
			t.Fatalf("Join(Segment(%q)) = %q (units %q)", w, got, units)
		}
		for i, u := range units {
			if u == "" || i < len(units)-1 && u == Separator {
				t.Fatalf("Segment(%q) = %q", w, units)
			}
		}
	})
}

// Read never panics, and what it reads is written back and read the same.
func FuzzRead(f *testing.F) {
	for _, s := range []string{"#version: 0.2\nl o\nlo w</w>\n", "#version: 0.2\n", "l o", "#version: 0.2\na </w>\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var m *BPE
		var err error
		fuzzlimit.Check(t, len(s), func() { m, err = Read(strings.NewReader(s)) })
		if err != nil {
			return
		}
		var b strings.Builder
		if _, err := m.WriteTo(&b); err != nil {
			t.Fatal(err)
		}
		m2, err := Read(strings.NewReader(b.String()))
		if err != nil || !slices.Equal(m.Merges(), m2.Merges()) {
			t.Fatalf("%q read back as %q: %v", b.String(), m2.Merges(), err)
		}
	})
}
