package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"unicode"
)

// nastyInput is text that tests how faithfully the output keeps it: runs of
// spaces, tabs, text outside ASCII and outside the Basic Multilingual Plane,
// curly and straight quotes, clitics before punctuation (which the tokenizer
// used to drop), abbreviations, and Windows line breaks.
const nastyInput = "I don't.  He's here;\tisn't he?!\r\n" +
	"\r\n" +
	"“Quoted,” she said — naïve café… e.g. \"yes\" & ‘no’.\r\n" +
	"Emoji 😀👍🏽 count as code points, don’t they?   They'll pay $100 (maybe).\r\n" +
	"Mr. Smith's dog can't... won't!\r\n"

// TestFaithfulCoNLLU checks the CoNLL-U that nlp tag and nlp pipeline write for
// text against the text (issue 23, item 2), as UD's validate.py checks text
// against forms at level 2: every sentence's "# text" is the input's
// characters, sentences of a line in order with only white space around them;
// the forms eat "# text" from the start, with white space after a form
// exactly where it has no SpaceAfter=No (so the forms joined by a space except
// there give "# text" back, a run of white space written as one space); and
// each line of the input starts a "# newdoc", or with --paragraphs each
// paragraph a "# newdoc" and "# newpar".
func TestFaithfulCoNLLU(t *testing.T) {
	sample, err := os.ReadFile("../../examples/sample.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{string(sample), nastyInput} {
		lines := docLines(in, false)
		for _, args := range [][]string{{"tag", "-"}, {"pipeline", "--format", "conllu", "-"}} {
			out, err := runCLIWithInput(t, in, args...)
			if err != nil {
				t.Fatalf("nlp %v: %v", args, err)
			}
			checkFaithful(t, args, lines, out, false)
			if in == string(sample) && !strings.Contains(out, "SpaceAfter=No") {
				t.Errorf("nlp %v on the sample: no SpaceAfter=No", args)
			}
		}
	}
	args := []string{"pipeline", "--format", "conllu", "--paragraphs", "-"}
	out, err := runCLIWithInput(t, nastyInput, args...)
	if err != nil {
		t.Fatal(err)
	}
	checkFaithful(t, args, docLines(nastyInput, true), out, true)
}

// docLines returns the documents nlp reads from text: its non-blank lines
// without their line breaks, or its paragraphs, their lines joined by a space.
func docLines(in string, paragraphs bool) []string {
	var docs []string
	par := ""
	for _, l := range strings.Split(in, "\n") {
		l = strings.TrimSuffix(l, "\r")
		switch {
		case strings.TrimSpace(l) == "":
			if par != "" {
				docs = append(docs, par)
			}
			par = ""
		case !paragraphs:
			docs = append(docs, l)
		case par == "":
			par = l
		default:
			par += " " + l
		}
	}
	if par != "" {
		docs = append(docs, par)
	}
	return docs
}

// checkFaithful checks the CoNLL-U out of nlp args against the documents docs.
func checkFaithful(t *testing.T, args []string, docs []string, out string, paragraphs bool) {
	t.Helper()
	doc, pos := -1, 0 // the document being read, and how far its sentences have come
	for _, block := range strings.Split(strings.TrimSuffix(out, "\n\n"), "\n\n") {
		var text string
		var forms, miscs []string
		newdoc, newpar := false, false
		for _, line := range strings.Split(block, "\n") {
			switch {
			case line == "# newdoc":
				newdoc = true
			case line == "# newpar":
				newpar = true
			case strings.HasPrefix(line, "# text = "):
				text = strings.TrimPrefix(line, "# text = ")
			case strings.HasPrefix(line, "#"):
			default:
				cols := strings.Split(line, "\t")
				if len(cols) != 10 {
					t.Fatalf("nlp %v: word line %q", args, line)
				}
				forms, miscs = append(forms, cols[1]), append(miscs, cols[9])
			}
		}
		if newpar != (newdoc && paragraphs) {
			t.Errorf("nlp %v: # newdoc %v, # newpar %v:\n%s", args, newdoc, newpar, block)
		}
		if newdoc {
			if doc >= 0 && strings.TrimFunc(docs[doc][pos:], unicode.IsSpace) != "" {
				t.Errorf("nlp %v: %q left out of document %d", args, docs[doc][pos:], doc)
			}
			doc, pos = doc+1, 0
		}
		if doc < 0 || doc >= len(docs) {
			t.Fatalf("nlp %v: sentence %q outside the %d documents", args, text, len(docs))
		}
		// "# text" is the next stretch of the document, after white space.
		at := strings.Index(docs[doc][pos:], text)
		if text == "" || at < 0 || strings.TrimFunc(docs[doc][pos:pos+at], unicode.IsSpace) != "" {
			t.Errorf("nlp %v: # text = %q is not the next sentence of %q", args, text, docs[doc][pos:])
			continue
		}
		pos += at + len(text)

		// The forms eat "# text" as validate.py has them do.
		rest := text
		var rebuilt strings.Builder
		for i, f := range forms {
			if !strings.HasPrefix(rest, f) {
				t.Errorf("nlp %v: form %d %q, but the text goes on %q", args, i+1, f, rest)
				break
			}
			rest = rest[len(f):]
			rebuilt.WriteString(f)
			noSpace := miscs[i] == "SpaceAfter=No"
			if !noSpace && miscs[i] != "_" {
				t.Errorf("nlp %v: MISC %q", args, miscs[i])
			}
			trimmed := strings.TrimLeftFunc(rest, unicode.IsSpace)
			switch {
			case noSpace && (trimmed != rest || i == len(forms)-1 && newdocAfter(out, text)):
				t.Errorf("nlp %v: SpaceAfter=No on form %d %q, followed by %q", args, i+1, f, rest)
			case !noSpace && trimmed == rest && rest != "":
				t.Errorf("nlp %v: no SpaceAfter=No on form %d %q, followed by %q", args, i+1, f, rest)
			case !noSpace && i < len(forms)-1:
				rebuilt.WriteByte(' ')
			}
			rest = trimmed
		}
		if rest != "" {
			t.Errorf("nlp %v: %q of # text = %q is in no form", args, rest, text)
		}
		if want := strings.Join(strings.Fields(text), " "); rebuilt.String() != want {
			t.Errorf("nlp %v: the forms give %q, # text (white space runs as one space) %q", args, rebuilt.String(), want)
		}
	}
	if doc != len(docs)-1 || strings.TrimFunc(docs[doc][pos:], unicode.IsSpace) != "" {
		t.Errorf("nlp %v: %d documents of %d written, the last to %d", args, doc+1, len(docs), pos)
	}
}

// newdocAfter reports whether the sentence of text is the last of its
// document in out (or of out): SpaceAfter=No must not end it.
func newdocAfter(out, text string) bool {
	i := strings.Index(out, "# text = "+text+"\n")
	if i < 0 {
		return false
	}
	next := strings.Index(out[i:], "\n\n")
	rest := out[i+next+2:]
	return rest == "" || strings.HasPrefix(rest, "# newdoc")
}

// TestFaithfulJSON checks the offsets of the JSON lines of nlp pipeline and
// nlp tag --format json: start and end, in code points, pick each token's
// form out of its document's text, in order, with only white space between.
func TestFaithfulJSON(t *testing.T) {
	docs := docLines(nastyInput, false)
	for _, args := range [][]string{{"pipeline", "-"}, {"tag", "--format", "json", "-"}} {
		out, err := runCLIWithInput(t, nastyInput, args...)
		if err != nil {
			t.Fatalf("nlp %v: %v", args, err)
		}
		last := map[int]int{} // where the previous token of each document ends
		n := 0
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var rec struct {
				Doc    int
				Text   string
				Tokens []struct {
					Form       string
					Start, End *int
				}
			}
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("nlp %v: %v in %s", args, err, line)
			}
			runes := []rune(docs[rec.Doc])
			for _, tok := range rec.Tokens {
				n++
				if tok.Start == nil || tok.End == nil || *tok.Start < last[rec.Doc] || *tok.End <= *tok.Start || *tok.End > len(runes) {
					t.Fatalf("nlp %v: token %q at %v:%v after %d", args, tok.Form, tok.Start, tok.End, last[rec.Doc])
				}
				if got := string(runes[*tok.Start:*tok.End]); got != tok.Form {
					t.Errorf("nlp %v: token %q, its offsets give %q", args, tok.Form, got)
				}
				if gap := string(runes[last[rec.Doc]:*tok.Start]); strings.TrimFunc(gap, unicode.IsSpace) != "" {
					t.Errorf("nlp %v: %q lost before %q", args, gap, tok.Form)
				}
				last[rec.Doc] = *tok.End
			}
		}
		if n < 60 {
			t.Errorf("nlp %v: only %d tokens", args, n)
		}
	}
}
