// Package tagger is a part-of-speech tagger: the lecture's "LSTM + word2vec",
// a bidirectional LSTM reading word vectors and predicting, for every word, its
// universal tag (UPOS) and its language-specific tag (XPOS, Penn Treebank tags in
// English), for any Universal Dependencies treebank.
//
// # The model
//
// Each word w is represented by the concatenation of
//
//	p(w)  its word2vec vector (lower-cased lookup; frozen by default), which
//	      carries what the unlabelled corpus knows of words the treebank never shows;
//	e(w)  a trainable vector for words seen at least MinWordCount times in training;
//	c(w)  the final states of a character BiLSTM over its letters, [→c_n | ←c_1],
//	      which sees capitals, digits, prefixes and suffixes ("-ly", "un-", "'s").
//
// A BiLSTM over the sentence turns these into states that see both contexts:
// h_t = [→h_t | ←h_t]. Two softmax layers read h_t, one per tag set, and the loss is
// the sum of their cross-entropies, so both tag sets are learned jointly:
//
//	P(upos_t | sentence) = softmax(W_u·h_t + b_u),  P(xpos_t | sentence) = softmax(W_x·h_t + b_x)
//
// The sentence encoder's cell is a choice (lstm, gru, peephole, nig, rnn: see
// package nn), which is how BENCHMARKS.md compares them on real data.
//
// # Training
//
// Train uses Adam with gradient clipping, dropout on the features and on the
// encoder's output, and word dropout: a word seen c times is replaced by the
// unknown word with probability α/(α+c), so that the model learns to rely on
// vectors and characters for words it has not seen. Sentences of similar length
// are batched together. The epochs are run by package train, the loop every
// model of this module trains in: after each epoch the model is scored on dev;
// the best epoch is kept (early stopping after Patience epochs without
// improvement, the learning rate multiplied by LRDecay after each epoch
// without) and saved, and a checkpoint (weights, best weights, Adam's moments,
// the loop's position) lets an interrupted or cancelled training resume
// exactly (WithTraining). A seed fixes every random choice.
//
// Two ways of training on top of other models: WithTeacher (and WithUnlabelled)
// distils an ensemble's probabilities into one model, and WithInit fine-tunes a
// trained model, starting from its weights and scoring it first so that the
// result is never worse on dev than the start.
//
// # Tagging
//
// Tag tags sentences already split into words (an Ensemble tags like a Model);
// reading files and streams — CoNLL-U with every column but UPOS and XPOS kept,
// CoNLL columns, raw text, tokenized lines — is package pipeline's, whose tag
// stage calls Tag a batch at a time (pipeline.Tag, pipeline.TagEnsemble; nlp tag
// runs it). At inference a word's
// features — hence their product with the first layer's weights, the largest
// product of the pass — are the same wherever it occurs, so they are computed
// once per distinct form and memoised. Evaluate scores a gold set: accuracy,
// accuracy on words unseen in training, per-tag precision, recall and F1, and
// the most frequent confusions.
//
// A model is one file (see nn.Save): weights (float32; the pretrained and the
// trainable word tables in binary16), configuration, vocabularies and tag sets.
package tagger
