package embed

import (
	"slices"
	"strings"
	"testing"
)

func TestReadCorpus(t *testing.T) {
	c, err := ReadCorpus(strings.NewReader("b a  c\n\n a\tb a\n"), strings.NewReader("d\u00a0a"))
	if err != nil {
		t.Fatal(err)
	}
	// counts: a 4, b 2, c 1, d 1 (c before d: first seen first).
	var words []string
	var counts []int64
	for i := 0; i < 4; i++ {
		words, counts = append(words, c.Word(i)), append(counts, c.Count(i))
	}
	if !slices.Equal(words, []string{"a", "b", "c", "d"}) || !slices.Equal(counts, []int64{4, 2, 1, 1}) {
		t.Errorf("vocabulary %v %v", words, counts)
	}
	if c.Tokens() != 8 || c.Sentences() != 3 {
		t.Errorf("%d tokens in %d sentences, want 8 in 3", c.Tokens(), c.Sentences())
	}
	for _, tc := range []struct{ min, want int }{{0, 4}, {1, 4}, {2, 2}, {3, 1}, {5, 0}} {
		if got := c.VocabSize(tc.min); got != tc.want {
			t.Errorf("VocabSize(%d) = %d, want %d", tc.min, got, tc.want)
		}
	}
	ids, starts := c.restrict(2)
	if !slices.Equal(ids, []int32{1, 0, 0, 1, 0, 0}) || !slices.Equal(starts, []int{0, 2, 5, 6}) {
		t.Errorf("restrict(2) = %v %v", ids, starts)
	}
	ids, starts = c.restrict(1)
	if !slices.Equal(ids, []int32{0, 0, 0, 0}) || !slices.Equal(starts, []int{0, 1, 3, 4}) {
		t.Errorf("restrict(1) = %v %v", ids, starts)
	}
}
