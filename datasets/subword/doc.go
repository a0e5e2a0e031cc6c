// Package subword segments words into subword units by byte-pair encoding
// (Sennrich, Haddow and Birch 2016, "Neural Machine Translation of Rare Words
// with Subword Units"), so that a translation model with a fixed vocabulary
// can still read and write rare and unknown words, piece by piece.
//
// Learn starts from the characters of each word of a word-count table, the
// last one marked as ending the word, and repeatedly merges the most frequent
// adjacent pair of symbols into one, as subword-nmt's learn_bpe does. Segment
// applies the merges to a word in the order they were learnt and marks every
// piece but the last with a trailing "@@" (subword-nmt's convention: "lower" →
// "low@@", "er"), which Join removes to give the words back.
//
// The model file is subword-nmt's (version 0.2): a "#version: 0.2" line, then
// one merge a line, its two symbols separated by a space and "</w>" ending the
// symbol that ends a word. Files are interchangeable with subword-nmt's.
package subword
