package datasets

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/nlp-go/nlp/internal/linescan"
)

// ErrBadTree is wrapped in the *ParseError of a sentiment-tree line that is not
// one well-formed tree: an unbalanced parenthesis, a missing or out-of-range
// label, a node with neither a word nor children, a word beside children, text
// after the tree, or a tree deeper than MaxTreeDepth.
var ErrBadTree = errors.New("bad tree")

// MaxTreeDepth bounds the nesting of a sentiment tree (the root is depth 1).
// The Stanford Sentiment Treebank's deepest tree has 30 levels; the bound keeps
// the phrase view linear in the line: every word is inside at most
// MaxTreeDepth phrases, so the phrases of a line of n bytes hold at most
// MaxTreeDepth·n bytes of text.
const MaxTreeDepth = 100

// TreeNode is one node of a sentiment tree: its label and the span of words it
// covers, Words[Start:End] of its tree.
type TreeNode struct {
	Label      int // 0 (very negative) .. 4 (very positive)
	Start, End int
}

// SentimentTree is one sentence of the Stanford Sentiment Treebank (Socher et
// al. 2013) with a sentiment label on every node: the words (leaves, PTB
// escapes such as -LRB- and \/ kept as in the file) and the nodes in pre-order,
// so Nodes[0] is the whole sentence. A binary tree of n words has 2n−1 nodes.
type SentimentTree struct {
	Words []string
	Nodes []TreeNode
	Line  int // the 1-based line it was read from (0 when not read from a file)
}

// Label returns the root's label: the sentence's.
func (t *SentimentTree) Label() int { return t.Nodes[0].Label }

// Text returns the words of node i joined by single spaces, PTB escapes kept.
func (t *SentimentTree) Text(i int) string {
	return strings.Join(t.Words[t.Nodes[i].Start:t.Nodes[i].End], " ")
}

// ptbUnescape undoes the Penn Treebank's escapes of brackets, slashes and
// asterisks, which the treebank's words keep and our word2vec corpus (raw
// text, tokenized) does not.
var ptbUnescape = strings.NewReplacer(
	"-LRB-", "(", "-RRB-", ")", "-LSB-", "[", "-RSB-", "]", "-LCB-", "{", "-RCB-", "}",
	`\/`, "/", `\*`, "*")

// UnescapePTB returns s with the Penn Treebank escapes undone: -LRB- -RRB-
// -LSB- -RSB- -LCB- -RCB- become ( ) [ ] { }, and \/ and \* become / and *.
func UnescapePTB(s string) string {
	if !strings.ContainsAny(s, `-\`) {
		return s
	}
	return ptbUnescape.Replace(s)
}

// TreeReader reads sentiment trees, one a line in PTB bracketing:
// "(3 (2 It) (4 (2 's) (4 good)))". Every node is "(LABEL WORD)" or "(LABEL
// CHILD ...)" with a label 0..4; words are separated from labels and
// parentheses by ASCII spaces or tabs only (a word may hold a no-break space,
// as "8 1\/2" does in the treebank) and hold no parenthesis. Blank lines are
// skipped.
type TreeReader struct {
	ls    *linescan.Scanner
	stack []openNode
}

// openNode is a node whose ")" has not been read yet.
type openNode struct {
	index int  // in SentimentTree.Nodes
	word  bool // it holds a word
	child bool // it holds children
}

// NewTreeReader returns a reader of r accepting lines of up to
// linescan.DefaultMaxLine bytes (1 MiB).
func NewTreeReader(r io.Reader) *TreeReader { return NewTreeReaderMax(r, 0) }

// NewTreeReaderMax is NewTreeReader accepting lines of up to maxLine bytes (0:
// linescan.DefaultMaxLine; at most linescan.MaxLineLimit); a longer line is a
// *ParseError wrapping nlp.ErrLineTooLong.
func NewTreeReaderMax(r io.Reader, maxLine int) *TreeReader {
	return &TreeReader{ls: linescan.New(r, maxLine)}
}

// Line returns the number of the line of the last tree read (1-based).
func (r *TreeReader) Line() int { return r.ls.Line() }

// Read returns the next tree, or io.EOF after the last one. A malformed line
// is a *ParseError wrapping ErrBadTree at the column of the first byte that
// does not fit, and says what was expected there.
func (r *TreeReader) Read() (*SentimentTree, error) {
	for r.ls.Scan() {
		line := r.ls.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		t, col, msg := r.parse(line)
		if msg != "" {
			return nil, r.ls.ErrAt(col, ErrBadTree, "%s", msg)
		}
		t.Line = r.ls.Line()
		return t, nil
	}
	if err := r.ls.Err(); err != nil {
		return nil, err
	}
	return nil, io.EOF
}

// parse reads one tree from line in one pass; on error it returns the 1-based
// column and what was expected there.
func (r *TreeReader) parse(line string) (*SentimentTree, int, string) {
	t := &SentimentTree{}
	r.stack = r.stack[:0]
	for i := skipSpaces(line, 0); ; {
		if i >= len(line) {
			if len(r.stack) > 0 {
				return nil, i + 1, fmt.Sprintf("want %d more \")\", found the end of the line", len(r.stack))
			}
			return nil, i + 1, "want a tree, found the end of the line"
		}
		var top *openNode
		if len(r.stack) > 0 {
			top = &r.stack[len(r.stack)-1]
		}
		switch line[i] {
		case '(':
			switch {
			case top != nil && top.word:
				return nil, i + 1, "want \")\" after the word, found \"(\""
			case len(r.stack) == MaxTreeDepth:
				return nil, i + 1, fmt.Sprintf("want at most %d nested nodes, found a deeper one", MaxTreeDepth)
			}
			if top != nil {
				top.child = true
			}
			i = skipSpaces(line, i+1)
			if w := wordAt(line, i); len(w) != 1 || w[0] < '0' || w[0] > '4' {
				return nil, i + 1, "want a label 0..4 after \"(\", found " + foundAt(line, i)
			}
			t.Nodes = append(t.Nodes, TreeNode{Label: int(line[i] - '0'), Start: len(t.Words)})
			r.stack = append(r.stack, openNode{index: len(t.Nodes) - 1})
			i = skipSpaces(line, i+1)
		case ')':
			switch {
			case top == nil:
				return nil, i + 1, "want the end of the line, found an unbalanced \")\""
			case !top.word && !top.child:
				return nil, i + 1, "want a word or a child before \")\""
			}
			t.Nodes[top.index].End = len(t.Words)
			r.stack = r.stack[:len(r.stack)-1]
			i = skipSpaces(line, i+1)
			if len(r.stack) == 0 {
				if i < len(line) {
					return nil, i + 1, "want the end of the line after the tree, found " + foundAt(line, i)
				}
				return t, 0, ""
			}
		default:
			w := wordAt(line, i)
			switch {
			case top == nil:
				return nil, i + 1, "want \"(\", found " + foundAt(line, i)
			case top.word || top.child:
				return nil, i + 1, "want \"(\" or \")\", found another word " + foundAt(line, i) + " after a word or a child"
			}
			top.word = true
			t.Words = append(t.Words, w)
			i = skipSpaces(line, i+len(w))
		}
	}
}

// foundAt describes what line holds at i for an error message: the quoted
// word or parenthesis, or the end of the line.
func foundAt(line string, i int) string {
	switch w := wordAt(line, i); {
	case i >= len(line):
		return "the end of the line"
	case w == "":
		return fmt.Sprintf("%q", line[i:i+1])
	default:
		return fmt.Sprintf("%q", linescan.Clip(w))
	}
}

// skipSpaces returns the index of the first byte of s at or after i that is
// not an ASCII space or tab.
func skipSpaces(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// wordAt returns the word starting at s[i]: the bytes up to the next ASCII
// space, tab or parenthesis.
func wordAt(s string, i int) string {
	j := i
	for j < len(s) && s[j] != ' ' && s[j] != '\t' && s[j] != '(' && s[j] != ')' {
		j++
	}
	return s[i:j]
}

// ReadAll reads the remaining trees.
func (r *TreeReader) ReadAll() ([]*SentimentTree, error) {
	var out []*SentimentTree
	for {
		t, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, t)
	}
}

// ReadTreeFile reads every tree of a sentiment-tree file (gzipped when its name
// ends in ".gz"), with lines of up to maxLine bytes (0: 1 MiB). A parse error is
// a *ParseError whose File is path.
func ReadTreeFile(path string, maxLine int) ([]*SentimentTree, error) {
	rc, err := OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	trees, err := NewTreeReaderMax(rc, maxLine).ReadAll()
	if err != nil {
		return nil, fileError("read", path, err)
	}
	return trees, nil
}

// TreeView chooses the labelled examples SentimentExamples makes of trees.
type TreeView struct {
	// Phrases makes an example of every node (every phrase of every sentence),
	// each distinct phrase text once (its first occurrence: a phrase has one
	// label in the treebank, however many sentences it occurs in); false makes
	// one example a tree, its sentence with the root's label.
	Phrases bool
	// Binary maps the labels to SST-2's: 0 and 1 to "0" (negative), 3 and 4 to
	// "1" (positive), and drops the neutral 2; false keeps the five classes
	// "0".."4" (SST-5).
	Binary bool
	// Escaped keeps the PTB escapes of the words (-LRB-, \/, as the stsa files
	// have them, lower-cased); false undoes them (UnescapePTB), as raw text
	// reads.
	Escaped bool
}

// SentimentExample is a labelled sentence or phrase of a sentiment tree.
type SentimentExample struct {
	Example
	Line int // the line of its tree (SentimentTree.Line), so that a caller can say where it came from
}

// SentimentExamples returns the labelled examples of trees under view v, in
// the order of the trees and, within a tree, of its nodes (pre-order: the
// sentence first). The texts keep the words' case.
func SentimentExamples(trees []*SentimentTree, v TreeView) []SentimentExample {
	var out []SentimentExample
	seen := map[string]bool{}
	add := func(t *SentimentTree, label int, text string) {
		if v.Binary {
			switch {
			case label < 2:
				label = 0
			case label > 2:
				label = 1
			default:
				return
			}
		}
		if !v.Escaped {
			text = UnescapePTB(text)
		}
		out = append(out, SentimentExample{Example{Label: string(rune('0' + label)), Text: text}, t.Line})
	}
	for _, t := range trees {
		if !v.Phrases {
			add(t, t.Label(), t.Text(0))
			continue
		}
		for i, n := range t.Nodes {
			text := t.Text(i)
			if seen[text] {
				continue
			}
			seen[text] = true
			add(t, n.Label, text)
		}
	}
	return out
}
