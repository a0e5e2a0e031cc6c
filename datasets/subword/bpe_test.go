package subword

import (
	"bufio"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// Sennrich et al.'s toy vocabulary, with subword-nmt's version-0.2 symbols
// (the end-of-word mark joined to the last character). Pair counts at the
// start: l o 7, o w</w> 5, o w 2, w e 2+6=8, e r</w> 2, n e 6, e w 6,
// e s 6+3=9, s t</w> 9, w i 3, i d 3, d e 3.
//
//  1. e s and s t</w> tie at 9; ("s","t</w>") > ("e","s"): s t</w>. Then e st</w> is 9.
//  2. e st</w> (9). newest = n e w est</w>, widest = w i d est</w>; w e drops to 2.
//  3. l o (7). low = lo w</w>, lower = lo w e r</w>.
//  4. n e, e w, w est</w> tie at 6; "w" sorts last: w est</w>. newest = n e west</w>.
//  5. n e and e west</w> tie at 6; "n" > "e": n e.
//  6. ne west</w> (6).
//  7. lo w</w> (5).
//  8. w i, i d, d est</w> tie at 3; "w" last: w i.
//  9. wi d and d est</w> tie at 3; "wi" > "d": wi d.
//  10. wid est</w> (3).
//  11. lo w, w e, e r</w> tie at 2; "w" last: w e.
//  12. lo we and we r</w> tie at 2; "we" > "lo": we r</w>.
//  13. lo wer</w> (2). No pair is left.
var toyMerges = [][2]string{
	{"s", "t</w>"}, {"e", "st</w>"}, {"l", "o"}, {"w", "est</w>"}, {"n", "e"},
	{"ne", "west</w>"}, {"lo", "w</w>"}, {"w", "i"}, {"wi", "d"}, {"wid", "est</w>"},
	{"w", "e"}, {"we", "r</w>"}, {"lo", "wer</w>"},
}

var toyCounts = map[string]int{"low": 5, "lower": 2, "newest": 6, "widest": 3}

func TestSennrichToy(t *testing.T) {
	m, err := Learn(toyCounts, 100)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Merges(); !slices.Equal(got, toyMerges) {
		t.Errorf("merges\n%q\nwant\n%q", got, toyMerges)
	}
	m5, _ := Learn(toyCounts, 5)
	if got := m5.Merges(); !slices.Equal(got, toyMerges[:5]) {
		t.Errorf("5 merges: %q", got)
	}
	for _, c := range []struct {
		word string
		want []string
	}{
		{"low", []string{"low"}},
		{"newest", []string{"newest"}},
		// l o w e s t</w>: rule 1 → l o w e st</w>, 2 → l o w est</w>,
		// 3 → lo w est</w>, 4 → lo west</w>; no rule joins lo and west</w>.
		{"lowest", []string{"lo@@", "west"}},
		// n e w e r</w>: rule 5 → ne w e r</w>, 11 → ne we r</w>, 12 → ne wer</w>.
		{"newer", []string{"ne@@", "wer"}},
		// No rule applies to unseen characters; "w" + "i" still merges.
		{"xwiq", []string{"x@@", "wi@@", "q"}},
		{"w", []string{"w"}},
	} {
		if got := m.Segment(c.word); !slices.Equal(got, c.want) {
			t.Errorf("Segment(%q) = %q, want %q", c.word, got, c.want)
		}
	}
	if got := m.Apply([]string{"lowest", "low"}); !slices.Equal(got, []string{"lo@@", "west", "low"}) {
		t.Errorf("Apply = %q", got)
	}
}

func TestLearnErrors(t *testing.T) {
	for _, c := range []struct {
		counts map[string]int
		merges int
	}{
		{toyCounts, -1},
		{toyCounts, MaxMerges + 1},
		{map[string]int{"a b": 2}, 10},
		{map[string]int{"a\xff": 2}, 10},
		{map[string]int{"a\x00": 2}, 10},
		{map[string]int{"ab": -1}, 10},
	} {
		if _, err := Learn(c.counts, c.merges); err == nil {
			t.Errorf("Learn(%v, %d): no error", c.counts, c.merges)
		}
	}
	// Words skipped: count 0, too long, holding the end-of-word mark.
	m, err := Learn(map[string]int{"ab": 0, strings.Repeat("ab", MaxWordLen): 9, "x</w>": 9, "": 5}, 10)
	if err != nil || m.Len() != 0 {
		t.Errorf("Learn on skipped words: %d merges, %v", m.Len(), err)
	}
}

// Learn gives the same merges as a plain implementation that counts every
// pair of every word again before each merge (subword-nmt's algorithm without
// its incremental updates), on real text.
func TestLearnMatchesRecount(t *testing.T) {
	counts := readCounts(t, 600)
	const merges = 400
	m, err := Learn(counts, merges)
	if err != nil {
		t.Fatal(err)
	}
	want := recountLearn(counts, merges)
	got := m.Merges()
	if len(got) != merges || !slices.Equal(got, want) {
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Fatalf("merge %d: %q, recounting gives %q (%d and %d merges)", i, got[i], want[i], len(got), len(want))
			}
		}
		t.Fatalf("%d merges, recounting gives %d", len(got), len(want))
	}
}

// recountLearn is BPE learning in its simplest form, words as slices of
// symbol names.
func recountLearn(counts map[string]int, merges int) [][2]string {
	type word struct {
		syms []string
		n    int
	}
	var words []word
	for w, n := range counts {
		var syms []string
		for _, r := range w {
			syms = append(syms, string(r))
		}
		syms[len(syms)-1] += "</w>"
		words = append(words, word{syms, n})
	}
	var out [][2]string
	for len(out) < merges {
		stats := map[[2]string]int{}
		for _, w := range words {
			for i := 0; i+1 < len(w.syms); i++ {
				stats[[2]string{w.syms[i], w.syms[i+1]}] += w.n
			}
		}
		var best [2]string
		bc := 0
		for p, c := range stats {
			if c > bc || c == bc && (p[0] > best[0] || p[0] == best[0] && p[1] > best[1]) {
				best, bc = p, c
			}
		}
		if bc < MinPairCount {
			break
		}
		out = append(out, best)
		for k, w := range words {
			var s []string
			for i := 0; i < len(w.syms); i++ {
				if i+1 < len(w.syms) && w.syms[i] == best[0] && w.syms[i+1] == best[1] {
					s = append(s, best[0]+best[1])
					i++
				} else {
					s = append(s, w.syms[i])
				}
			}
			words[k].syms = s
		}
	}
	return out
}

// readCounts counts the space-separated tokens of the first n lines of the
// Multi30k slice.
func readCounts(t testing.TB, n int) map[string]int {
	f, err := os.Open("testdata/train.de.2000")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	counts := map[string]int{}
	sc := bufio.NewScanner(f)
	for i := 0; i < n && sc.Scan(); i++ {
		for _, w := range strings.Fields(sc.Text()) {
			counts[w]++
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return counts
}

// The most frequent words of the text stay whole, and every word of it
// comes back from Join.
func TestRealText(t *testing.T) {
	counts := readCounts(t, 2000)
	m, err := Learn(counts, 2000)
	if err != nil {
		t.Fatal(err)
	}
	if m.Len() != 2000 {
		t.Fatalf("%d merges", m.Len())
	}
	words := slices.SortedFunc(maps.Keys(counts), func(a, b string) int { return counts[b] - counts[a] })
	for _, w := range words[:50] { // "Ein" 1051 times … the 50th about 40 times
		if got := m.Segment(w); len(got) != 1 || got[0] != w {
			t.Errorf("%q (%d times) is segmented %q", w, counts[w], got)
		}
	}
	units := m.Apply(words)
	if got := Join(units); !slices.Equal(got, words) {
		t.Error("Join(Apply(words)) != words")
	}
	if len(units) <= len(words) {
		t.Error("no rare word was split")
	}
	// Learning is deterministic.
	m2, _ := Learn(counts, 2000)
	if !slices.Equal(m.Merges(), m2.Merges()) {
		t.Error("two runs learnt different merges")
	}
}

// Join(Segment(w)) is [w] for random words: known and unknown characters,
// words ending in "@@", long words, invalid UTF-8.
func TestSegmentJoinRoundTrip(t *testing.T) {
	m, err := Learn(readCounts(t, 500), 500)
	if err != nil {
		t.Fatal(err)
	}
	alphabet := []string{"e", "n", "i", "r", "s", "t", "a", "ä", "ß", "@", "@@", "Ein", "er", "😀", "\xff", "x", "-", "."}
	r := rand.New(rand.NewPCG(1, 2))
	var sentence []string
	for range 3000 {
		var b strings.Builder
		for range 1 + r.IntN(12) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		if r.IntN(50) == 0 {
			b.WriteString(strings.Repeat("en", MaxWordLen))
		}
		w := b.String()
		units := m.Segment(w)
		if got := Join(units); len(got) != 1 || got[0] != w {
			t.Fatalf("Join(Segment(%q)) = %q (units %q)", w, got, units)
		}
		if strings.Join(units, "") == "" || strings.HasSuffix(units[len(units)-1], Separator) {
			t.Fatalf("Segment(%q) = %q", w, units)
		}
		sentence = append(sentence, w)
	}
	if got := Join(m.Apply(sentence)); !slices.Equal(got, sentence) {
		t.Error("Join(Apply(sentence)) != sentence")
	}
	long := strings.Repeat("en", MaxWordLen)
	if got := m.Segment(long); len(got) != utf8.RuneCountInString(long) {
		t.Errorf("a word of %d characters gives %d units, want characters", len(long), len(got))
	}
	// A last unit that would end in "@@" gives up its last "@".
	at, _ := Learn(map[string]int{"a@@": 5}, 10) // a @ → a@, a@ @</w> → a@@</w>
	if got := at.Segment("a@@"); !slices.Equal(got, []string{"a@@@", "@"}) || !slices.Equal(Join(got), []string{"a@@"}) {
		t.Errorf("Segment(a@@) = %q", got)
	}
	if got := m.Segment(""); got != nil {
		t.Errorf("Segment(\"\") = %q", got)
	}
	// "@" never occurs in the text: three characters, each unit but the last marked.
	if got := m.Segment("x@@"); !slices.Equal(got, []string{"x@@", "@@@", "@"}) {
		t.Errorf("Segment(x@@) = %q", got)
	}
}

func TestJoin(t *testing.T) {
	for _, c := range []struct{ in, want []string }{
		{nil, nil},
		{[]string{"lo@@", "west", "a"}, []string{"lowest", "a"}},
		{[]string{"a", "b@@"}, []string{"a", "b"}},
		{[]string{"@@", "@@@", "x"}, []string{"@x"}},
	} {
		if got := Join(c.in); !slices.Equal(got, c.want) {
			t.Errorf("Join(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// The cache returns what segment computes, and the caller may change it.
func TestCache(t *testing.T) {
	m, _ := Learn(toyCounts, 100)
	a := m.Segment("lowest")
	a[0] = "changed"
	if b := m.Segment("lowest"); b[0] != "lo@@" {
		t.Errorf("cache returned %q", b)
	}
	for i := range CacheSize + 10 {
		m.Segment(strings.Repeat("w", 1+i%50) + string(rune('a'+i%26)) + string(rune(0x4e00+i)))
	}
	if len(m.cache) > CacheSize {
		t.Errorf("cache holds %d words", len(m.cache))
	}
}

func BenchmarkLearn(b *testing.B) {
	counts := readCounts(b, 2000)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Learn(counts, 2000); err != nil {
			b.Fatal(err)
		}
	}
}

// Segment is safe for concurrent use (run with -race) and gives every
// goroutine the same units.
func TestConcurrentSegment(t *testing.T) {
	counts := readCounts(t, 300)
	m, err := Learn(counts, 300)
	if err != nil {
		t.Fatal(err)
	}
	words := slices.Sorted(maps.Keys(counts))
	want := make([][]string, len(words))
	for i, w := range words {
		want[i] = m.segment(w)
	}
	errs := make(chan string, 4)
	for range 4 {
		go func() {
			bad := ""
			for i, w := range words {
				if got := m.Segment(w); !slices.Equal(got, want[i]) {
					bad = w
				}
			}
			errs <- bad
		}()
	}
	for range 4 {
		if w := <-errs; w != "" {
			t.Errorf("%q segmented differently", w)
		}
	}
}
