// Package tokenize turns raw text into Penn-Treebank-style tokens and sentences:
// the first step of every pipeline that starts from plain text (the word2vec
// corpora, the classifier's reviews, `nlp tag` on text).
//
// A Tokenizer produces the tokens of prose's rule-based tokenizer ("don't" → "do
// n't", punctuation split off) and splits sentences with the Punkt model that
// prose uses. prose's NewDocument would reload its tagging model on each call; a
// Tokenizer turns tagging and entity extraction off, loads the sentence model
// once, and memoises whitespace-separated chunks, which gives prose's exact tokens
// several times faster (BENCHMARKS.md, "datasets"). A Tokenizer is not safe for
// concurrent use: make one per goroutine (New is cheap) and reuse it.
package tokenize
