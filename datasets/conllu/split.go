package conllu

import (
	"fmt"
	"math"
	"path/filepath"
)

// SplitFile divides the CoNLL-U file in into two files of whole
// sentences: the first sentences go to firstOut and the last fraction of them
// (rounded, at least one) to restOut, each sentence written exactly as read.
// It is how a treebank that ships only one file we may train on (a dev set,
// its test set held out) becomes a training and a development set.
//
// The cut is contiguous, not sampled: treebanks keep a document's sentences
// together, and a development set drawn sentence by sentence would share
// documents, hence names and topics, with the training set and score too high.
// Both files are written through a temporary file and a rename. Lines may be
// up to 1 MiB long (SplitFileMax for others).
func SplitFile(in, firstOut, restOut string, fraction float64) (first, rest int, err error) {
	return SplitFileMax(in, firstOut, restOut, fraction, 0)
}

// SplitFileMax is SplitFile reading lines of up to maxLine bytes (0: 1 MiB; at
// most linescan.MaxLineLimit, 64 MiB), as ReadFileMax does.
func SplitFileMax(in, firstOut, restOut string, fraction float64, maxLine int) (first, rest int, err error) {
	if !(fraction > 0 && fraction < 1) {
		return 0, 0, fmt.Errorf("conllu: split %q: the fraction must be between 0 and 1, got %g", in, fraction)
	}
	for _, out := range []string{firstOut, restOut} {
		if same, _ := samePath(in, out); same {
			return 0, 0, fmt.Errorf("conllu: split %q: an output would overwrite the input", in)
		}
	}
	if same, _ := samePath(firstOut, restOut); same {
		return 0, 0, fmt.Errorf("conllu: split %q: the two outputs are the same file %q", in, firstOut)
	}
	sents, err := ReadFileMax(in, maxLine)
	if err != nil {
		return 0, 0, err
	}
	if len(sents) < 2 {
		return 0, 0, fmt.Errorf("conllu: split %q: %d sentence(s), at least 2 needed", in, len(sents))
	}
	rest = min(max(int(math.Round(fraction*float64(len(sents)))), 1), len(sents)-1)
	first = len(sents) - rest
	if err := WriteFile(firstOut, sents[:first]); err != nil {
		return 0, 0, err
	}
	if err := WriteFile(restOut, sents[first:]); err != nil {
		return 0, 0, err
	}
	return first, rest, nil
}

// samePath reports whether a and b name the same file, by their absolute
// cleaned paths (a file that does not exist yet has no other name).
func samePath(a, b string) (bool, error) {
	x, err := filepath.Abs(a)
	if err != nil {
		return false, err
	}
	y, err := filepath.Abs(b)
	if err != nil {
		return false, err
	}
	return x == y, nil
}
