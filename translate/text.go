package translate

import (
	"fmt"
	"strings"

	"github.com/nlp-go/nlp/datasets/subword"
	"github.com/nlp-go/nlp/translate/token"
)

// subwordMark ends a subword unit that the next unit continues.
const subwordMark = subword.Separator

// textModel turns a line of text into units and units back into text, for
// each side: tokenization, truecasing, subword units. Its exported fields are
// what a model file stores (as JSON); init rebuilds the rest from them.
type textModel struct {
	SrcMerges string   `json:"src_merges,omitempty"` // byte-pair merges as subword writes them; none: whole words
	TgtMerges string   `json:"tgt_merges,omitempty"`
	SrcCase   []string `json:"src_case,omitempty"` // the truecasers' usual forms
	TgtCase   []string `json:"tgt_case,omitempty"`

	srcBPE, tgtBPE   *subword.BPE
	srcCase, tgtCase *token.Truecaser
}

// learnText learns both sides' truecasers and, unless cfg.Merges is
// negative, their subword units from the training pairs.
func learnText(cfg Config, p Parallel) (*textModel, error) {
	src, tgt := tokenizeAll(p.Src), tokenizeAll(p.Tgt)
	t := &textModel{srcCase: token.LearnTruecase(src), tgtCase: token.LearnTruecase(tgt)}
	if cfg.Merges > 0 {
		var err error
		if t.srcBPE, err = learnBPE(t.srcCase, src, cfg.Merges); err != nil {
			return nil, fmt.Errorf("translate: source subwords: %w", err)
		}
		if t.tgtBPE, err = learnBPE(t.tgtCase, tgt, cfg.Merges); err != nil {
			return nil, fmt.Errorf("translate: target subwords: %w", err)
		}
	}
	if err := t.export(); err != nil {
		return nil, err
	}
	return t, nil
}

func tokenizeAll(lines []string) [][]string {
	out := make([][]string, len(lines))
	for i, l := range lines {
		out[i] = token.Tokenize(l)
	}
	return out
}

// learnBPE learns merges from the truecased words of the sentences.
func learnBPE(tc *token.Truecaser, sents [][]string, merges int) (*subword.BPE, error) {
	counts := map[string]int{}
	for _, s := range sents {
		for _, w := range tc.Truecase(s) {
			counts[w]++
		}
	}
	return subword.Learn(counts, merges)
}

// export fills the exported fields from the learnt models.
func (t *textModel) export() error {
	if t.srcBPE != nil {
		var err error
		if t.SrcMerges, err = mergesText(t.srcBPE); err != nil {
			return err
		}
		if t.TgtMerges, err = mergesText(t.tgtBPE); err != nil {
			return err
		}
	}
	t.SrcCase, t.TgtCase = t.srcCase.Forms(), t.tgtCase.Forms()
	return nil
}

func mergesText(b *subword.BPE) (string, error) {
	var sb strings.Builder
	if _, err := b.WriteTo(&sb); err != nil {
		return "", fmt.Errorf("translate: subwords: %w", err)
	}
	return sb.String(), nil
}

// init rebuilds the models from the exported fields (a loaded model file).
func (t *textModel) init() error {
	var err error
	if t.SrcMerges != "" || t.TgtMerges != "" {
		if t.srcBPE, err = subword.Read(strings.NewReader(t.SrcMerges)); err != nil {
			return fmt.Errorf("source subwords: %w", err)
		}
		if t.tgtBPE, err = subword.Read(strings.NewReader(t.TgtMerges)); err != nil {
			return fmt.Errorf("target subwords: %w", err)
		}
	}
	t.srcCase, t.tgtCase = token.NewTruecaser(t.SrcCase), token.NewTruecaser(t.TgtCase)
	return nil
}

// split truecases the tokens and cuts them into subword units.
func split(tc *token.Truecaser, bpe *subword.BPE, toks []string) []string {
	if tc != nil {
		toks = tc.Truecase(toks)
	}
	if bpe == nil {
		return toks
	}
	var units []string
	for _, w := range toks {
		units = append(units, bpe.Segment(w)...)
	}
	return units
}

// units returns the units of every training pair.
func (t *textModel) units(p Parallel) (src, tgt [][]string) {
	src, tgt = make([][]string, p.Len()), make([][]string, p.Len())
	for i := range p.Src {
		src[i] = t.sourceUnits(p.Src[i])
		tgt[i] = split(t.tgtCase, t.tgtBPE, token.Tokenize(p.Tgt[i]))
	}
	return src, tgt
}

// sourceUnits returns the units of a source sentence.
func (t *textModel) sourceUnits(line string) []string {
	return split(t.srcCase, t.srcBPE, token.Tokenize(line))
}

// targetText joins target units into a sentence: subwords into words, the
// first letter capitalised, the tokens detokenized.
func (t *textModel) targetText(units []string) string {
	if len(units) == 0 {
		return ""
	}
	return token.Detokenize(token.Capitalize(subword.Join(units)))
}
