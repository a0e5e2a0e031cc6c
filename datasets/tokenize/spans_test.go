package tokenize

import (
	"bufio"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"unicode"
)

// proseKeepsAll reports whether prose's tokens of s hold every character of s
// but white space (as its sanitizer writes them), which it does not when a
// clitic is followed by more in a chunk ("don't." gives "do" alone).
func proseKeepsAll(s string, toks []string) bool {
	return strings.Join(toks, "") == strings.Join(strings.Fields(proseSanitizer.Replace(s)), "")
}

// checkSpans checks that AppendSpans gives one span per token of toks (the
// tokens of s), in order, and that no character of s is lost: the spans do
// not overlap, only white space lies outside them, and each token is the text
// it spans, or what prose's sanitizer makes of it (“ → ", ’ → ', invalid
// UTF-8 → U+FFFD).
func checkSpans(t *testing.T, tok *Tokenizer, s string, toks []string) {
	t.Helper()
	spans := tok.AppendSpans(nil, s)
	if len(spans) != len(toks) {
		t.Fatalf("%q: %d tokens %q but %d spans %v", s, len(toks), toks, len(spans), spans)
	}
	prev := 0
	for i, sp := range spans {
		if sp.Start < prev || sp.End <= sp.Start || sp.End > len(s) {
			t.Fatalf("%q: span %d %v after %d: out of order, empty or outside", s, i, sp, prev)
		}
		if gap := s[prev:sp.Start]; strings.TrimFunc(gap, unicode.IsSpace) != "" {
			t.Fatalf("%q: %q before token %d %q is lost", s, gap, i, toks[i])
		}
		written := s[sp.Start:sp.End]
		if clean := proseSanitizer.Replace(written); toks[i] != written && toks[i] != clean && toks[i] != strings.ToValidUTF8(clean, "\uFFFD") {
			t.Fatalf("%q: token %d %q spans %q", s, i, toks[i], written)
		}
		prev = sp.End
	}
	if rest := s[prev:]; strings.TrimFunc(rest, unicode.IsSpace) != "" {
		t.Fatalf("%q: %q after the last token is lost", s, rest)
	}
}

// TestNoCharacterLost checks on real and generated text that every character
// but white space is in a token's span: the sentences of the EWT slice (web
// text: clitics, quotes, emoticons, URLs), IMDB reviews, and strings built
// from the pieces prose treats specially, joined by assorted white space. It
// also pins the clitics prose used to drop.
func TestNoCharacterLost(t *testing.T) {
	tok := New()
	for _, c := range []struct{ in, want string }{
		{"I don't.", "I do n't ."},
		{"He's here, isn't he?!", "He 's here , is n't he ? !"},
		{"(they'll)", "( they 'll )"},
		{"It’s “ok”, don’t!", `It 's " ok " , do n't !`},
		{"'sup", "'s up"},
		{"can't...", "ca n't . . ."},
		{"don'tknow", "do n't know"},
		{"'s", "'s"},
		{"John's", "John 's"},
		{"don&rsquo;t.", "do n't ."},
	} {
		got := tok.Tokenize(c.in)
		if strings.Join(got, " ") != c.want {
			t.Errorf("Tokenize(%q) = %q, want %q", c.in, got, c.want)
		}
		checkSpans(t, tok, c.in, got)
	}

	var texts []string
	f, err := os.Open("../../tagger/testdata/ewt-dev-slice.conllu")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if text, ok := strings.CutPrefix(sc.Text(), "# text = "); ok {
			texts = append(texts, text)
		}
	}
	if len(texts) < 300 {
		t.Fatalf("%d sentences in the EWT slice", len(texts))
	}
	texts = append(texts, imdbTestDocs(t)...)
	spaces := []string{" ", "  ", "\t", "\r\n", "\n", "\u00a0", "\u3000", ""}
	r := rand.New(rand.NewPCG(3, 4))
	for range 3000 {
		var b strings.Builder
		for range 1 + r.IntN(12) {
			b.WriteString(runPieces[r.IntN(len(runPieces))])
			if r.IntN(3) == 0 {
				b.WriteString(spaces[r.IntN(len(spaces))])
			}
		}
		texts = append(texts, b.String())
	}
	for _, s := range texts {
		checkSpans(t, tok, s, tok.Tokenize(s))
	}
}

// TestSentenceSpans checks that sentences are where their spans say, trimmed,
// with white space alone between them, including the merge of initials.
func TestSentenceSpans(t *testing.T) {
	tok := New()
	for _, text := range []string{
		"  Mr. Smith  went to Washington.\tHe arrived at 5 p.m. on Monday.   Then he left!  ",
		"Л. Н. Толстой писал романы.  Он жил в Ясной Поляне.",
		"One.\r\nTwo. 😀 Three?",
		"   ",
	} {
		spans, err := tok.SentenceSpans(text)
		if err != nil {
			t.Fatal(err)
		}
		sents, _ := tok.Sentences(text)
		if len(sents) != len(spans) {
			t.Fatalf("%q: %d sentences, %d spans", text, len(sents), len(spans))
		}
		prev := 0
		for i, sp := range spans {
			s := text[sp.Start:sp.End]
			if s != sents[i] || s != strings.TrimSpace(s) || s == "" || strings.TrimSpace(text[prev:sp.Start]) != "" {
				t.Errorf("%q: sentence %d %v = %q (Sentences: %q)", text, i, sp, s, sents[i])
			}
			prev = sp.End
		}
		if strings.TrimSpace(text[prev:]) != "" {
			t.Errorf("%q: text after the last sentence", text)
		}
	}
}
