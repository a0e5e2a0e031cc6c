package tokenize

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// runPieces are the parts the long-chunk tests build chunks from: every character
// prose peels, the ones it sanitizes into them, the things it keeps whole (emoticons,
// "U.S.", "Mr."), clitics, letters that change length when lower-cased, quotes
// outside ASCII, and invalid UTF-8.
var runPieces = []string{
	"$", "(", `"`, "[", ",", ")", "]", "!", ";", ".", "?", ":", "'",
	"“", "”", "‘", "’", "&rsquo;", "&rsquo", "-", "_", "x", "X", "Mr", "U.", "S.", "A",
	"'s", "'S", "'ll", "'re", "'m", "n't", "N'T", ":)))", ":]", "(:", "(-_-)", "(╯°□°）╯︵┻━┻",
	"¯\\(ツ)/¯", "xD", "İ", "Ⱥ", "«", "»", "ж", "中", "😀", "\xe2\x80", "\xff", "1", "0.5", "/", "@",
}

// longRunCases returns chunks longer than maxDirect that end in, start with or
// consist of long runs, around the keepRun boundary and far beyond it.
func longRunCases() []string {
	var cases []string
	lead := []string{"", "(", "$", `"`, "[", "“", "(["}
	trail := []string{"", ".", ")", `"`, "'", "!?", ".,;:", "”", "’", "&rsquo;", ":)))"}
	mid := []string{"", "x", "Mr.", "U.S.A.", "it's", "don't", "(-_-)", ":", "İ's", "«так»", "\xe2\x80x", "a.b"}
	ns := []int{keepRun - 1, keepRun, keepRun + 1, 2*keepRun + 1}
	for _, l := range lead {
		for _, tr := range trail {
			for _, m := range mid {
				for _, n := range ns {
					c := strings.Repeat(l, n) + m + strings.Repeat(tr, n)
					if len(c) > maxDirect {
						cases = append(cases, c)
					}
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 400 {
		var b strings.Builder
		for b.Len() < maxDirect+r.IntN(200) {
			p := runPieces[r.IntN(len(runPieces))]
			b.WriteString(strings.Repeat(p, 1+r.IntN(1+40/len(p))))
		}
		cases = append(cases, b.String())
	}
	return cases
}

// Cutting long runs gives prose's own tokens (with non-ASCII quotes split off)
// wherever prose keeps every character, and loses none anywhere.
func TestLongRunsMatchProse(t *testing.T) {
	tok := New()
	cut, lossy := 0, 0
	for _, c := range longRunCases() {
		want, ok := proseTokens(c)
		if !ok {
			continue // prose panics: ours falls back, as for short chunks
		}
		want = splitQuotes(want)
		got := tok.Tokenize(c)
		checkSpans(t, tok, c, got)
		if !proseKeepsAll(c, want) {
			lossy++
			continue // prose loses text ("n't" followed by more): ours keeps it
		}
		if !slices.Equal(got, want) {
			t.Errorf("Tokenize(%q) =\n%q\nprose gives\n%q", c, got, want)
		}
		if clean := proseSanitizer.Replace(c); len(clean) > maxDirect && (isLeadPeel(clean[0]) || isTrailPeel(clean[len(clean)-1])) {
			cut++
		}
	}
	if cut < 500 || lossy > cut/2 {
		t.Errorf("only %d cases exercise the cut (%d where prose loses text are not compared)", cut, lossy)
	}
}

// The copy of prose's sanitizer replaces what prose replaces.
func TestProseSanitizer(t *testing.T) {
	for _, s := range []string{"“x”", "‘x’", "x&rsquo;", "“‘&rsquo;’”"} {
		want, _ := proseTokens(s)
		got, _ := proseTokens(proseSanitizer.Replace(s))
		if !slices.Equal(got, want) || strings.ContainsAny(strings.Join(want, ""), "“”‘’&") {
			t.Errorf("%q: prose gives %q, and %q once replaced", s, want, got)
		}
	}
}

// runInputs returns, for each kind of hostile input, a function making n bytes of
// it (about n: whole repeats of a unit) without white space.
func runInputs() map[string]func(n int) string {
	rep := func(unit string) func(int) string {
		return func(n int) string { return strings.Repeat(unit, max(1, n/len(unit))) }
	}
	in := map[string]func(int) string{}
	for c := byte('!'); c <= '~'; c++ {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			in[fmt.Sprintf("punct %q", c)] = rep(string(c))
		}
	}
	for _, q := range []string{"“", "”", "‘", "’", "«", "»", "„", "&rsquo;", "【", "】", "「", "」", "（", "）"} {
		in["quote "+q] = rep(q)
	}
	for name, unit := range map[string]string{
		"brackets nested":  "([{",
		"brackets closing": ")]}",
		"brackets pairs":   "()[]{}<>",
		"quotes mixed":     "\"'`“”«»‘’",
		"punct mixed":      ".,;:!?'\")]",
		"mixed scripts":    "LatinКириллица中文العربية",
		"emoji":            "😀👍🏽👨‍👩‍👧‍👦🏳️‍🌈",
		"digits":           "1,234.56;7:8/9-10%",
		"urls":             "https://example.com/a/b?q=1&r=(2)#frag.",
		"emails":           "first.last+tag@example.co.uk,",
		"clitics":          "don't'll's're",
		"word ascii":       "a",
		"word cyrillic":    "ж",
	} {
		in[name] = rep(unit)
	}
	in["parens around word"] = func(n int) string {
		return strings.Repeat("(", n/2) + "x" + strings.Repeat(")", n/2)
	}
	in["word then dots"] = func(n int) string { return "word" + strings.Repeat(".", n) }
	return in
}

// tokenizeTime times reps fresh Tokenizers (the memo would answer repeats) on s.
func tokenizeTime(s string, reps int) time.Duration {
	toks := make([]*Tokenizer, reps)
	for i := range toks {
		toks[i] = New()
	}
	start := time.Now()
	for _, tok := range toks {
		tok.Tokenize(s)
	}
	return time.Since(start)
}

// growth is time(large)/time(small), each time the fastest of a few measures
// taken in turns. Other jobs on these cores only ever add time to a measure, so
// the fastest is the best estimate of the cost (a median still moved by 2× under
// load); a quadratic cost gives 4 however it is measured.
func growth(small, large string, slow time.Duration) (ratio float64, dSmall, dLarge time.Duration) {
	const tries, reps = 5, 1
	dSmall, dLarge = time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
	// A first untimed round grows the heap to hold the large input's tokens, so
	// that no timed round pays for the operating system's fresh pages.
	if d := tokenizeTime(small, 1); d > slow {
		return math.Inf(1), d, 0 // quadratic: the large one would take minutes
	}
	tokenizeTime(large, 1)
	for range tries {
		runtime.GC() // the garbage of one measure is not collected during the next
		dSmall = min(dSmall, tokenizeTime(small, reps))
		runtime.GC()
		dLarge = min(dLarge, tokenizeTime(large, reps))
	}
	return float64(dLarge) / float64(dSmall), dSmall, dLarge
}

// The tokenizer is linear on any input: doubling the size of a hostile input
// about doubles the time (quadratic gives 4). The sizes are large enough that the
// old tokenizer took many seconds on runs of "." (4 s on 16 KB). A kind whose ratio
// looks too high is measured again, since other jobs share these cores.
func TestTokenizeLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	// With the collector off while timing, a collection that happens to fall in
	// one measure does not make a ratio (growth collects between pairs).
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	const n = 32 << 10
	in := runInputs()
	names := make([]string, 0, len(in))
	for name := range in {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		small, large := in[name](n), in[name](2*n)
		var ratio float64
		var d1, d2 time.Duration
		for try := 0; try < 3; try++ {
			ratio, d1, d2 = growth(small, large, 250*time.Millisecond)
			if ratio < 3 || d2 == 0 {
				break
			}
			t.Logf("%s: %v for %d bytes, %v for %d: measuring again", name, d1, len(small), d2, len(large))
		}
		if ratio >= 3 && d2 == 0 {
			t.Errorf("%s: %v for %d bytes, far too slow (quadratic?)", name, d1, len(small))
		} else if ratio >= 3 {
			t.Errorf("%s: time(2n)/time(n) = %.1f, want < 3 (linear)", name, ratio)
		}
	}
}

// BenchmarkTokenizeRuns tokenizes hostile inputs of n and 2n bytes without white
// space; ns/op should double with the size (MB/s stay flat).
func BenchmarkTokenizeRuns(b *testing.B) {
	in := runInputs()
	for _, name := range []string{"punct '.'", "punct '('", "punct '\"'", "quote “", "quote «", "brackets pairs", "punct mixed", "parens around word", "mixed scripts", "emoji", "urls", "word cyrillic"} {
		for _, n := range []int{64 << 10, 128 << 10} {
			s := in[name](n)
			b.Run(fmt.Sprintf("%s/n=%d", name, n), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(s)))
				for b.Loop() {
					New().Tokenize(s) // a fresh memo: the memo would answer repeats
				}
			})
		}
	}
}
