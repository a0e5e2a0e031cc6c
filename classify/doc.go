// Package classify is the lecture's many-to-one case: a recurrent network reads
// a whole sentence (or document) and answers once, with a class. It trains,
// applies, scores, saves and loads sentence classifiers; the default model of
// `nlp classify` is a binary sentiment classifier trained on SST-2.
//
// # The model
//
// A text is lower-cased and split into Penn-Treebank-style tokens by
// tokenize.Tokenizer (the IMDB reviews' "<br />" line breaks read as spaces), the
// same way for the training files and for raw input. Each token w_1 … w_T is
// looked up in an embedding table E (word2vec vectors, or random rows as an
// ablation), passed through dropout, and read by an nn.Encoder:
//
//	x_t = dropout(E[w_t])
//	h_t = cell(x_t, h_{t−1})                 (lstm by default; any nn cell; stacked layers)
//
// The sentence becomes one vector s, by one of two poolings:
//
//	last:  s = h_T                            (forward; bidirectional: [h→_T | h←_1])
//	max:   s_j = max_t y_{t,j}                (the top layer's outputs over the real steps)
//
// Last is the default for a unidirectional encoder, the lecture's many-to-one;
// max-pooling over time is the default with Bidirectional (Conneau et al.
// 2017's BiLSTM-max). Then
//
//	p(y | w) = softmax(W · dropout(s) + b)
//
// over any number of classes, taken from the training file (words or numbers;
// sorted numerically when all are numbers, else as strings).
//
// # Training
//
// The loss is the mean cross-entropy over a batch. Batches come from a
// datasets.Batcher (length-bucketed, shuffled from the seed and the epoch).
// Two Adam optimizers step the network (LR) and the embedding table (EmbedLR,
// by default a tenth of LR when the table starts from word2vec, so that the
// vectors are fine-tuned without being forgotten); Freeze keeps the table fixed
// and FreezeEpochs fine-tunes it only after the first epochs. The global
// gradient norm is clipped. After each epoch the model is scored on the dev
// set; the best epoch's parameters are kept, and training stops after
// Patience epochs without improvement; with Decay set, both learning rates are
// multiplied by it after every epoch that does not improve (reduce on plateau).
// The epochs, the clipping, the schedule, the checkpoints (WithTraining) and
// the early stopping are package train's loop: the classifier is one of its
// tasks. At the end the kept parameters are rounded to the precision of the
// model file (binary16 table, float32 weights) and rescored, so a saved model
// answers exactly as the trained one. Everything random — initial weights, batches,
// dropout masks — is drawn from PCG sources seeded by Config.Seed, so a seed
// gives the same model.
//
// # Vocabulary
//
// The stored vocabulary, which bounds the model file, is: <unk> (ID 0, a zero
// vector to start with), then the training words seen at least MinCount times
// by decreasing count, then — when the table starts from word2vec — the words
// of the vectors file in its order (most frequent first) that are not in yet,
// until MaxVocab words (40,000 by default: 8 MB as binary16 at width 100). So
// a word met only at prediction time still has its pretrained vector if it is
// frequent in the word2vec corpus. Training words without a vector start from
// a normal draw with the vectors' standard deviation. Any other word reads as
// <unk>.
//
// # Long inputs
//
// A text longer than MaxLen tokens (400 by default) keeps its first MaxLen/4
// and its last MaxLen − MaxLen/4 tokens: the opening and, above all, the end of
// a review carry its verdict (Sun et al. 2019 found head+tail truncation best
// for long reviews). With batches of BatchSize texts, memory is bounded by
// BatchSize × MaxLen steps whatever the documents' length.
//
// # Files
//
// Save writes one nn model file: tensors emb.W (binary16), enc.l0…, out.W,
// out.b (float32), and metadata holding the configuration, the vocabulary and the labels.
// Load and LoadBytes (for an embedded model) read it back.
package classify
