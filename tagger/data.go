package tagger

import (
	"fmt"
	"slices"

	"github.com/nlp-go/nlp/datasets/conllu"
)

// Data is a set of tagged sentences: the forms of each sentence's syntactic
// words and, for training and evaluation, their gold UPOS and XPOS tags.
type Data struct {
	Forms [][]string
	UPOS  [][]string // nil when untagged
	XPOS  [][]string
}

// Append returns the sentences of d followed by those of e (both tagged, or
// both not).
func (d Data) Append(e Data) Data {
	return Data{
		Forms: append(slices.Clip(d.Forms), e.Forms...),
		UPOS:  append(slices.Clip(d.UPOS), e.UPOS...),
		XPOS:  append(slices.Clip(d.XPOS), e.XPOS...),
	}
}

// Len is the number of sentences.
func (d Data) Len() int { return len(d.Forms) }

// Words is the number of words.
func (d Data) Words() int {
	n := 0
	for _, s := range d.Forms {
		n += len(s)
	}
	return n
}

// XPOSTokens counts the words with a gold XPOS (not "_"): those an XPOS
// accuracy is measured on, none in a treebank without XPOS.
func (d Data) XPOSTokens() int {
	n := 0
	for _, s := range d.XPOS {
		for _, x := range s {
			if x != noTag {
				n++
			}
		}
	}
	return n
}

// FromCoNLLU takes the syntactic words of CoNLL-U sentences (no multiword
// ranges, no empty nodes) with their tags.
func FromCoNLLU(sents []*conllu.Sentence) Data {
	d := Data{Forms: make([][]string, len(sents)), UPOS: make([][]string, len(sents)), XPOS: make([][]string, len(sents))}
	for i, s := range sents {
		d.Forms[i], d.UPOS[i], d.XPOS[i] = s.Forms(), s.UPOS(), s.XPOS()
	}
	return d
}

// ReadCoNLLUFile reads a CoNLL-U file as Data, lines of up to 1 MiB.
func ReadCoNLLUFile(path string) (Data, error) { return ReadCoNLLUFileMax(path, 0) }

// ReadCoNLLUFileMax is ReadCoNLLUFile accepting lines of up to maxLine bytes
// (conllu.ReadFileMax).
func ReadCoNLLUFileMax(path string, maxLine int) (Data, error) {
	sents, err := conllu.ReadFileMax(path, maxLine)
	if err != nil {
		return Data{}, err
	}
	d := FromCoNLLU(sents)
	if d.Len() == 0 {
		return Data{}, fmt.Errorf("tagger: %q holds no sentence", path)
	}
	return d, nil
}
