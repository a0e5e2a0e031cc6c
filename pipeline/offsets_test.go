package pipeline

import (
	"context"
	"strings"
	"testing"
	"unicode"
)

// nastyTexts are documents that trip up offsets: runs of spaces and tabs,
// text outside ASCII and outside the Basic Multilingual Plane, quotes prose
// rewrites, clitics followed by punctuation, a lone carriage return.
var nastyTexts = []string{
	"I don't.",
	"  Two  spaces\tand a tab.  He's here; isn't he?! ",
	"Ünïcødé façade — naïve café. 中文没有空格。",
	"Emoji 😀👍🏽 count as one code point each (or two), don’t they?",
	"“Quoted,” she said. ‘Single’ & \"plain\" quotes: e.g. \"yes\".",
	"They'll pay $100 (maybe), he said!  Can't... won't.",
	"A\rcarriage return, U.S.A. and Mr. Smith's dog.",
	"(((don't))) «так» „so“ 【注意】",
}

// TestSegmentOffsets checks the offsets and NoSpaceAfter Segment sets on text
// against the text itself: each token's Start and End, in code points, pick
// out its Form; its Form is the text there; nothing but white space lies
// between tokens; NoSpaceAfter is set exactly where none does; and each
// sentence's Text runs from its first token to its last.
func TestSegmentOffsets(t *testing.T) {
	for _, maxTokens := range []int{0, 3} {
		var docs []*Document
		for i, text := range nastyTexts {
			docs = append(docs, &Document{Index: i, Text: text})
		}
		docs, err := Segment(SegmentConfig{MaxTokens: maxTokens}).Process(context.Background(), docs)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			runes := []rune(d.Text)
			var prev *Token
			for _, s := range d.Sentences {
				first, last := s.Tokens[0], s.Tokens[len(s.Tokens)-1]
				if want := string(runes[first.Start:last.End]); s.Text != want {
					t.Errorf("%q: sentence text %q, want %q", d.Text, s.Text, want)
				}
				for i := range s.Tokens {
					tok := &s.Tokens[i]
					if !tok.HasOffsets() || tok.Start >= tok.End || tok.End > len(runes) {
						t.Fatalf("%q: token %q at %d:%d", d.Text, tok.Form, tok.Start, tok.End)
					}
					if got := string(runes[tok.Start:tok.End]); got != tok.Form {
						t.Errorf("%q: token %q, text at %d:%d is %q", d.Text, tok.Form, tok.Start, tok.End, got)
					}
					if prev != nil {
						gap := string(runes[prev.End:tok.Start])
						if strings.TrimFunc(gap, unicode.IsSpace) != "" {
							t.Errorf("%q: %q lost between %q and %q", d.Text, gap, prev.Form, tok.Form)
						}
						if prev.NoSpaceAfter != (gap == "") {
							t.Errorf("%q: %q NoSpaceAfter %v before %q", d.Text, prev.Form, prev.NoSpaceAfter, tok.Form)
						}
					}
					prev = tok
				}
			}
			if prev == nil || prev.NoSpaceAfter || strings.TrimFunc(string(runes[prev.End:]), unicode.IsSpace) != "" {
				t.Errorf("%q: the last token or what follows it is wrong", d.Text)
			}
		}
	}
	d := &Document{Text: "I don't."}
	if _, err := Segment(SegmentConfig{}).Process(context.Background(), []*Document{d}); err != nil {
		t.Fatal(err)
	}
	var forms []string
	for _, tok := range d.Sentences[0].Tokens {
		forms = append(forms, tok.Form)
	}
	if got := strings.Join(forms, " "); got != "I do n't ." {
		t.Errorf("I don't. gives %q", got)
	}
}
