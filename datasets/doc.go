// Package datasets reads and writes the corpora the toolkit trains or is scored
// on, tells their formats apart, counts vocabularies, groups sentences into
// batches and builds the word2vec corpora. Three subpackages hold what a reader
// looks for on its own: conllu (CoNLL-U and the CoNLL column formats), tokenize
// (the tokenizer) and fetch (downloading the public data sets).
//
// # Readers and writers
//
// The readers follow encoding/csv: a streaming Read that returns one record and
// io.EOF after the last, and a *nlp.ParseError{Line, Column, Offset, Err} for
// malformed input (the one position error of the toolkit), whose Err wraps a
// sentinel (ErrBadToken, ErrBadLabel, nlp.ErrInvalidUTF8, ...) for errors.Is.
// No input makes them panic; fuzz targets check it.
//
//   - CoNLL-U and the CoNLL column formats are in the subpackage conllu.
//   - Labelled sentences (LabelledReader): "LABEL text" (the SST files, and the IMDB
//     files once gunzipped: OpenFile does it for names ending in .gz) or
//     "text<TAB>label".
//   - The Brown corpus (BrownReader): word/tag tokens split at the last "/".
//   - Sentiment trees (TreeReader): the Stanford Sentiment Treebank's PTB
//     bracketing, "(3 (2 It) (4 good))", a label 0..4 on every node;
//     SentimentExamples turns trees into labelled sentences or phrases (SST-5, or
//     SST-2 with the neutral dropped), PTB escapes undone (UnescapePTB).
//   - Plain text (TextReader): one document or sentence a line, tokenized by a
//     tokenize.Tokenizer, optionally split into sentences.
//
// SniffFormat tells CoNLL-U, CoNLL columns, Brown, labelled sentences and plain
// text apart from the first lines of a file (a byte order mark skipped), and
// returns ErrAmbiguousFormat rather than guess when the lines could be CoNLL-U as
// well as text; DetectFormat is its guess without the error. Every reader drops a
// byte order mark opening the input. ParseFormat reads an explicit choice,
// which may also be "tokens" (text already tokenized, split on white space only).
//
// # Tokens
//
// The tokenizer (Penn-Treebank-style tokens and Punkt sentences, prose's exact
// output several times faster) is the subpackage tokenize; TextReader uses it.
//
// # Vocabularies and batches
//
// A Counter counts words; Counter.Vocab keeps those seen at least MinCount times in
// decreasing order of count, with ID 0 for the unknown word, whose count is the
// total of the dropped words. CountFile counts the tokens of a file in any format.
// Vocab.Save and LoadVocab use "word<TAB>count" lines; LoadVocab also takes a
// plain word list or a word2vec text vectors file.
//
// A Batcher groups sentence indices into batches of similar length: each epoch it
// shuffles the sentences with a PCG source seeded from BatchConfig.Seed and the epoch
// number, sorts pools of PoolBatches×BatchSize sentences by length, cuts them into
// batches and shuffles the batches. The same seed and epoch give the same batches.
//
// # Corpora and data sets
//
// WriteCorpus and WriteCorpusFile build the two word2vec corpora of the data README:
// the benchmark corpus (RecipeBench: Brown, Lee, EWT train text, SST train; 85,648
// lines and 1,695,625 tokens) and the full corpus (RecipeFull: the benchmark corpus
// and the IMDB train and unsup reviews; 160,648 lines and 21,676,761 tokens), lower-
// cased, one sentence or document a line.
//
// Downloading the public data sets (UD English EWT, SST, Brown) is the
// subpackage fetch, the only one that uses the network.
//
// Stats and FileStats count sentences, tokens, tags and the out-of-vocabulary rate.
//
// Nothing here prints: progress goes to the writer given by WithProgress, and files
// are written to a temporary name and renamed, so a crash never leaves half a file.
package datasets
