// Package bleu scores translations with corpus BLEU-4 (Papineni et al. 2002),
// exactly as multi-bleu.perl and the project's reference script
// (shared/bench/bleu.py) compute it: n-gram matches clipped by the reference's
// counts and summed over the corpus, precisions p1..p4 over Σ max(len−n+1, 0)
// n-grams, their geometric mean, and the brevity penalty exp(1 − r/c) when the
// hypotheses (c tokens) are not longer than the references (r tokens).
//
// Scores are reported ×100, as bleu.py and multi-bleu.perl print them: BLEU
// 68.06, not 0.6806. Tokenize is bleu.py's tokenizer (lower-cased words and
// punctuation); an Accumulator scores a stream of translations in constant
// memory, and Corpus scores slices.
//
// One reference per sentence, as bleu.py: multi-reference BLEU is not
// implemented.
package bleu
