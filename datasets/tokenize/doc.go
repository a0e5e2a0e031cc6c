// Package tokenize turns raw text into Penn-Treebank-style tokens and sentences:
// the first step of every pipeline that starts from plain text (the word2vec
// corpora, the classifier's reviews, `nlp tag` on text).
//
// A Tokenizer produces the tokens of prose's rule-based tokenizer ("don't" → "do
// n't", punctuation split off) and splits sentences with the Punkt model that
// prose uses. prose's NewDocument would reload its tagging model on each call; a
// Tokenizer turns tagging and entity extraction off, loads the sentence model
// once, and memoises whitespace-separated chunks, which gives prose's exact tokens
// several times faster (BENCHMARKS.md, "datasets"). prose's splitting of a chunk
// is quadratic in the length of the punctuation run at either end of it ("....."):
// a Tokenizer gives prose at most keepRun bytes of such a run and makes the rest
// one-character tokens itself, as prose would (runs.go explains why the tokens are
// the same), so it takes linear time on any input. prose drops the rest of a
// chunk after a clitic followed by more ("I don't." gives "I", "do"): a Tokenizer
// splits such a chunk itself ("do", "n't", "."), so that no character but white
// space is lost, and AppendSpans and SentenceSpans say where each token and
// sentence is in the text (spans.go). A Tokenizer is not safe for
// concurrent use: make one per goroutine (New is cheap) and reuse it.
package tokenize
