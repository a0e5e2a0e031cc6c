package datasets

import (
	"bytes"
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/internal/fuzzlimit"
)

// sstTrees is a slice of the treebank's trees (testdata/README.md); stsaFine
// and stsaBinary are the lines of the stsa files for the same sentences.
const (
	sstTrees   = "testdata/sst/trees.txt"
	stsaFine   = "testdata/sst/stsa.fine.txt"
	stsaBinary = "testdata/sst/stsa.binary.txt"
)

// bracketCounts counts the nodes and words of a tree line without parsing it:
// every "(" opens a node, and every other field but the label after a "(" is
// a word.
func bracketCounts(line string) (nodes, words int) {
	fields := strings.FieldsFunc(strings.NewReplacer("(", " ( ", ")", " ) ").Replace(line),
		func(r rune) bool { return r == ' ' })
	for i, f := range fields {
		switch {
		case f == "(":
			nodes++
		case f == ")", i > 0 && fields[i-1] == "(":
		default:
			words++
		}
	}
	return nodes, words
}

// spanTexts returns the text of every bracketed span of line, found by
// matching parentheses and keeping the fields that are not labels.
func spanTexts(line string) []string {
	var out []string
	for i := range len(line) {
		if line[i] != '(' {
			continue
		}
		depth, j := 0, i
		for ; j < len(line); j++ {
			if line[j] == '(' {
				depth++
			} else if line[j] == ')' {
				if depth--; depth == 0 {
					break
				}
			}
		}
		var words []string
		fields := strings.FieldsFunc(strings.NewReplacer("(", " ( ", ")", " ) ").Replace(line[i:j+1]),
			func(r rune) bool { return r == ' ' })
		for k, f := range fields {
			if f != "(" && f != ")" && fields[k-1] != "(" {
				words = append(words, f)
			}
		}
		out = append(out, strings.Join(words, " "))
	}
	return out
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimRight(string(b), "\n"), "\n")
}

func TestTreeReaderSlice(t *testing.T) {
	lines := readLines(t, sstTrees)
	trees, err := ReadTreeFile(sstTrees, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(trees) != len(lines) {
		t.Fatalf("%d trees, want %d", len(trees), len(lines))
	}
	for k, tr := range trees {
		nodes, words := bracketCounts(lines[k])
		if len(tr.Nodes) != nodes || len(tr.Words) != words {
			t.Errorf("tree %d: %d nodes %d words, want %d %d", k+1, len(tr.Nodes), len(tr.Words), nodes, words)
		}
		// The treebank's trees are binary.
		if len(tr.Nodes) != 2*len(tr.Words)-1 {
			t.Errorf("tree %d: %d nodes for %d words, want 2n-1", k+1, len(tr.Nodes), len(tr.Words))
		}
		if tr.Nodes[0].Start != 0 || tr.Nodes[0].End != len(tr.Words) || int(lines[k][1]-'0') != tr.Label() {
			t.Errorf("tree %d: root %+v", k+1, tr.Nodes[0])
		}
		spans := spanTexts(lines[k])
		for i := range tr.Nodes {
			if got := tr.Text(i); got != spans[i] {
				t.Errorf("tree %d node %d: %q, want %q", k+1, i, got, spans[i])
			}
		}
	}
}

// The stsa files are the trees' sentences, lower-cased, PTB escapes kept: the
// sentence view must give their lines exactly (as multisets: the files are
// in another order).
func TestSentimentExamplesMatchStsa(t *testing.T) {
	trees, err := ReadTreeFile(sstTrees, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file   string
		binary bool
	}{{stsaFine, false}, {stsaBinary, true}} {
		var got []string
		for _, e := range SentimentExamples(trees, TreeView{Binary: c.binary, Escaped: true}) {
			got = append(got, e.Label+" "+strings.ToLower(e.Text))
		}
		want := readLines(t, c.file)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: the sentence view differs:\n got %q\nwant %q", c.file, got, want)
		}
	}
}

func TestSentimentExamplesPhrases(t *testing.T) {
	lines := readLines(t, sstTrees)
	trees, err := ReadTreeFile(sstTrees, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Independently: every span's text, its label the digit after its "(".
	distinct := map[string]bool{}
	nonNeutral := map[string]bool{}
	for _, l := range lines {
		spans := spanTexts(l)
		k := 0
		for i := range len(l) {
			if l[i] == '(' {
				distinct[spans[k]] = true
				if l[i+1] != '2' {
					nonNeutral[UnescapePTB(spans[k])] = true
				}
				k++
			}
		}
	}
	five := SentimentExamples(trees, TreeView{Phrases: true, Escaped: true})
	if len(five) != len(distinct) {
		t.Errorf("%d phrases, want %d distinct", len(five), len(distinct))
	}
	two := SentimentExamples(trees, TreeView{Phrases: true, Binary: true})
	if len(two) != len(nonNeutral) {
		t.Errorf("%d binary phrases, want %d", len(two), len(nonNeutral))
	}
	for _, e := range two {
		if !nonNeutral[e.Text] || (e.Label != "0" && e.Label != "1") {
			t.Errorf("binary phrase %q", e)
		}
	}
	if five[0].Line != 1 || five[len(five)-1].Line != len(lines) {
		t.Errorf("lines %d..%d, want 1..%d", five[0].Line, five[len(five)-1].Line, len(lines))
	}
	// The sentence comes first, then its phrases.
	if five[0].Text != trees[0].Text(0) || five[0].Label != string(rune('0'+trees[0].Label())) {
		t.Errorf("first phrase %q, want the first sentence", five[0])
	}
}

func TestUnescapePTB(t *testing.T) {
	trees, err := ReadTreeFile(sstTrees, 0)
	if err != nil {
		t.Fatal(err)
	}
	var escaped, raw string
	for _, tr := range trees {
		escaped += tr.Text(0) + "\n"
	}
	for _, e := range SentimentExamples(trees, TreeView{}) {
		raw += e.Text + "\n"
	}
	for _, c := range []struct{ esc, plain string }{{"-LRB-", "("}, {"-RRB-", ")"}, {`\/`, "/"}, {`\*`, "*"}, {"8\u00a01", "8\u00a01"}} {
		if !strings.Contains(escaped, c.esc) || !strings.Contains(raw, c.plain) || (c.esc != c.plain && strings.Contains(raw, c.esc)) {
			t.Errorf("%q → %q not seen in the slice's texts", c.esc, c.plain)
		}
	}
	if got := UnescapePTB(`-LSB- a -RSB- -LCB- b -RCB- 1\/2 -lrb-`); got != "[ a ] { b } 1/2 -lrb-" {
		t.Errorf("UnescapePTB = %q", got)
	}
}

func TestTreeReaderErrors(t *testing.T) {
	tests := []struct {
		in        string
		line, col int
		msg       string
	}{
		{"(3 (2 a) (2 b))\n(3 (2 a) (2 b)\n", 2, 15, "more"},
		{"(3 (2 a) (2 b)))", 1, 16, "end of the line"},
		{"(5 (2 a))", 1, 2, "label"},
		{"(x a)", 1, 2, "label"},
		{"(23 a)", 1, 2, "label"},
		{"(", 1, 2, "label"},
		{"(2 )", 1, 4, "word or a child"},
		{"(2 a b)", 1, 6, "another word"},
		{"(2 (2 a) b)", 1, 10, "another word"},
		{"(2 a (2 b))", 1, 6, "after the word"},
		{"(2 a) (2 b)", 1, 7, "end of the line"},
		{"(2 a) x", 1, 7, "end of the line"},
		{"a (2 b)", 1, 1, "want \"(\""},
		{"\n\n  )", 3, 3, "unbalanced"},
		{"(2 \xff)", 1, 4, ""},
	}
	for _, tt := range tests {
		_, err := NewTreeReader(strings.NewReader(tt.in)).ReadAll()
		var pe *nlp.ParseError
		if !errors.As(err, &pe) || pe.Line != tt.line || pe.Column != tt.col || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%q: err = %v, want line %d column %d with %q", tt.in, err, tt.line, tt.col, tt.msg)
		}
	}
	// "( 2 a)" is fine: spaces may follow "(". Blank lines count.
	if tr, err := NewTreeReader(strings.NewReader("\n( 2  a )\t")).Read(); err != nil || tr.Text(0) != "a" || tr.Line != 2 {
		t.Errorf("spaces: %v %v", tr, err)
	}
}

func TestTreeReaderDepth(t *testing.T) {
	nested := func(d int) string {
		return strings.Repeat("(1 ", d) + "w" + strings.Repeat(")", d)
	}
	tr, err := NewTreeReader(strings.NewReader(nested(MaxTreeDepth))).Read()
	if err != nil || len(tr.Nodes) != MaxTreeDepth {
		t.Fatalf("depth %d: %v", MaxTreeDepth, err)
	}
	_, err = NewTreeReader(strings.NewReader(nested(MaxTreeDepth + 1))).Read()
	var pe *nlp.ParseError
	if !errors.As(err, &pe) || !errors.Is(err, ErrBadTree) || pe.Column != 3*MaxTreeDepth+1 {
		t.Errorf("depth %d: %v", MaxTreeDepth+1, err)
	}
	if _, err := NewTreeReaderMax(strings.NewReader(nested(10)), 20).Read(); !errors.Is(err, nlp.ErrLineTooLong) {
		t.Errorf("long line: %v", err)
	}
}

func TestReadTreeFileNamesFile(t *testing.T) {
	path := t.TempDir() + "/bad.txt"
	if err := os.WriteFile(path, []byte("(2 a)\n(2 (2 a)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadTreeFile(path, 0)
	var pe *nlp.ParseError
	if !errors.As(err, &pe) || pe.File != path || !strings.Contains(err.Error(), path+":2:9:") {
		t.Errorf("err = %v", err)
	}
}

// FuzzReadTrees checks that no input makes the reader panic or take more than
// linear time, and that every tree it returns is consistent.
func FuzzReadTrees(f *testing.F) {
	f.Add([]byte("(3 (2 It) (4 (2 's) (4 good)))\n"))
	f.Add([]byte("(2 a) (2 b)\n(1 (0 -LRB-) (2 8\u00a01\\/2))\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzlimit.Check(t, len(data), func() {
			r := NewTreeReader(bytes.NewReader(data))
			for {
				tr, err := r.Read()
				if err == io.EOF {
					return
				}
				if err != nil {
					var pe *nlp.ParseError
					if !errors.As(err, &pe) {
						t.Fatalf("not a *nlp.ParseError: %v", err)
					}
					return
				}
				if len(tr.Nodes) == 0 || tr.Nodes[0].Start != 0 || tr.Nodes[0].End != len(tr.Words) || len(tr.Words) == 0 {
					t.Fatalf("bad root %+v of %q", tr.Nodes, tr.Words)
				}
				for _, n := range tr.Nodes {
					if n.Label < 0 || n.Label > 4 || n.Start < 0 || n.Start >= n.End || n.End > len(tr.Words) {
						t.Fatalf("bad node %+v of %q", n, tr.Words)
					}
				}
				for _, w := range tr.Words {
					if w == "" || strings.ContainsAny(w, " \t()") {
						t.Fatalf("bad word %q", w)
					}
				}
				_ = SentimentExamples([]*SentimentTree{tr}, TreeView{Phrases: true, Binary: true})
			}
		})
	})
}
