package bleu

import (
	"fmt"
	"math"
)

// MaxOrder is the longest n-gram counted: BLEU-4.
const MaxOrder = 4

// Variant selects how a sentence's n-gram count enters the precision
// denominators. The two differ only on hypotheses shorter than MaxOrder tokens.
type Variant int

const (
	// MultiBLEU counts max(len−n+1, 0) n-grams in a hypothesis of len tokens,
	// as multi-bleu.perl and bleu.py do. It is the zero value.
	MultiBLEU Variant = iota
	// NLTK counts max(len−n+1, 1), as nltk 3.8's corpus_bleu does with its
	// default weights and no smoothing; like nltk, a precision with no match
	// (once p1 has one) counts as the smallest normal float64 rather than 0, so
	// the score is tiny but not 0.
	NLTK
)

// Score is a corpus BLEU score and the figures it is made of.
type Score struct {
	// BLEU is the score ×100 (0..100), as bleu.py and multi-bleu.perl print it.
	// It is 0 when some n-gram order has no match (or no hypothesis token).
	BLEU float64
	// Precisions are the clipped n-gram precisions p1..p4, ×100; 0 for an
	// order with no n-gram.
	Precisions [MaxOrder]float64
	// Matches and Totals are the numerators and denominators of Precisions.
	Matches, Totals [MaxOrder]int
	// BrevityPenalty is exp(1 − r/c) when c ≤ r, else 1 (0 when c is 0).
	BrevityPenalty float64
	// Ratio is HypLength/RefLength, 0 when RefLength is 0.
	Ratio float64
	// HypLength and RefLength are the token counts c and r of the corpus.
	HypLength, RefLength int
	// Sentences is the number of sentence pairs scored.
	Sentences int
}

// String formats the score as multi-bleu.perl's summary line.
func (s Score) String() string {
	p := s.Precisions
	return fmt.Sprintf("BLEU = %.2f, %.1f/%.1f/%.1f/%.1f (BP=%.3f, ratio=%.3f, hyp_len=%d, ref_len=%d)",
		s.BLEU, p[0], p[1], p[2], p[3], s.BrevityPenalty, s.Ratio, s.HypLength, s.RefLength)
}

// An Accumulator sums the statistics of sentence pairs, so that a stream of
// translations is scored in memory bounded by the longest sentence. The zero
// value is an empty MultiBLEU accumulator.
type Accumulator struct {
	// Variant is the denominator rule; set it before the first Add.
	Variant Variant

	s Score
}

// Add counts one hypothesis and its reference, both tokenized.
func (a *Accumulator) Add(hyp, ref []string) {
	a.s.Sentences++
	a.s.HypLength += len(hyp)
	a.s.RefLength += len(ref)
	for n := 1; n <= MaxOrder; n++ {
		k := len(hyp) - n + 1
		if a.Variant == NLTK {
			a.s.Totals[n-1] += max(k, 1)
		} else {
			a.s.Totals[n-1] += max(k, 0)
		}
		if k <= 0 {
			continue
		}
		refCounts := ngrams(ref, n)
		for g, c := range ngrams(hyp, n) {
			a.s.Matches[n-1] += min(c, refCounts[g])
		}
	}
}

// gram is an n-gram as a map key: its tokens, the rest empty. An array rather
// than joined text, so that no separator can make two n-grams one key.
type gram [MaxOrder]string

// ngrams counts the n-grams of toks.
func ngrams(toks []string, n int) map[gram]int {
	m := make(map[gram]int, max(len(toks)-n+1, 0))
	for i := 0; i+n <= len(toks); i++ {
		var g gram
		copy(g[:], toks[i:i+n])
		m[g]++
	}
	return m
}

// Score returns the corpus score of the pairs added so far; Add may go on.
func (a *Accumulator) Score() Score {
	s := a.s
	var logSum float64
	zero := s.HypLength == 0
	for n := range MaxOrder {
		if s.Totals[n] > 0 {
			s.Precisions[n] = 100 * float64(s.Matches[n]) / float64(s.Totals[n])
		}
		switch {
		case s.Matches[n] > 0:
			logSum += math.Log(float64(s.Matches[n]) / float64(s.Totals[n]))
		case a.Variant == NLTK && s.Matches[0] > 0:
			logSum += math.Log(0x1p-1022) // nltk's sys.float_info.min
		default:
			zero = true
		}
	}
	if s.RefLength > 0 {
		s.Ratio = float64(s.HypLength) / float64(s.RefLength)
	}
	switch {
	case s.HypLength == 0:
		s.BrevityPenalty = 0
	case s.HypLength > s.RefLength:
		s.BrevityPenalty = 1
	default:
		s.BrevityPenalty = math.Exp(1 - float64(s.RefLength)/float64(s.HypLength))
	}
	if !zero {
		s.BLEU = 100 * s.BrevityPenalty * math.Exp(logSum/MaxOrder)
	}
	return s
}

// Reset empties the accumulator, keeping its Variant.
func (a *Accumulator) Reset() { a.s = Score{} }

// Corpus returns the MultiBLEU score of tokenized hypotheses against their
// references, line i of one against line i of the other. It is an error for
// the two to differ in length.
func Corpus(hyps, refs [][]string) (Score, error) {
	if len(hyps) != len(refs) {
		return Score{}, fmt.Errorf("bleu: %d hypotheses for %d references", len(hyps), len(refs))
	}
	var a Accumulator
	for i := range hyps {
		a.Add(hyps[i], refs[i])
	}
	return a.Score(), nil
}
