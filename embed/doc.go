// Package embed trains, stores, queries and evaluates word2vec word vectors.
//
// # Training
//
// Train learns vectors from a Corpus (ReadCorpus: one sentence a line) with the two
// architectures of Mikolov et al. (2013), "Efficient estimation of word representations
// in vector space" and "Distributed representations of words and phrases and their
// compositionality". Each word w has an input vector v_w (the result) and output
// parameters. Skip-gram predicts each word c within a random window b ∈ [1, Window]
// around a centre word w from v_w; CBOW predicts w from the mean h of the input vectors
// of its context. The full softmax p(c | w) = exp(v'_c·v_w) / Σ_u exp(v'_u·v_w) is
// replaced by one of two cheaper objectives.
//
// Negative sampling maximises, for each (input h, target c) pair,
//
//	log σ(v'_c·h) + Σ_{i=1..k} log σ(−v'_{n_i}·h),   n_i ~ P(u) ∝ count(u)^¾,
//
// with k = Negative noise words drawn from the unigram distribution raised to ¾ (in
// constant time, from a Walker alias table). Hierarchical softmax writes p(c | h) as a
// product of binary decisions along the path from the root of a Huffman tree of the
// counts to c: with inner-node vectors v'_n and code bits d_n,
//
//	p(c | h) = Π_{n ∈ path(c)} σ((1 − 2d_n)·v'_n·h),
//
// so frequent words have short paths. Each step moves the parameters along the gradient
// of the log-likelihood: for a score s = v'·h with label y (1 for the target, 0 for
// noise; 1 − d_n along a path), g = α(y − σ(s)), v' += g·h and h's vectors += g·v'.
// σ is read from a table on [−6, 6]; outside it the gradient is taken as saturated.
//
// Frequent words are subsampled: an occurrence of a word with corpus frequency f is
// kept with probability min(1, (√(f/t) + 1)·t/f), t = Sample, drawn afresh each epoch
// (the formula of the word2vec tool; the paper's 1 − √(t/f) is its discard probability
// to first order). The learning rate falls linearly from Alpha to Alpha·10⁻⁴ over all
// epochs. Threads share the parameters without locks (Hogwild); at one thread a seed
// gives bit-identical vectors.
//
// Two engines implement this: Native, written here, and Wego, which drives
// github.com/ynqa/wego with our vocabulary and subsampling (see wego.go for what its API
// allows and what it does not). The native engine is the default: on the benchmark
// corpus it matches the original tool's scores for skip-gram and CBOW with negative
// sampling in a fifth of its time, and is 4–7 times faster than wego (BENCHMARKS.md,
// "embed"). Its dot products and updates run in AVX2 assembly where the CPU has it.
//
// # Vectors
//
// Vectors is a vocabulary and a float32 matrix, read and written in the word2vec text
// (ReadText, WriteText) and binary (ReadBinary, WriteBinary) formats that word2vec C and
// gensim use; Save writes through a temporary file and Load detects the format. Queries
// use cosine similarity: Nearest, and Analogy by 3CosAdd (Levy and Goldberg 2014),
// arg max_x cos(x, b̂ − â + ĉ) over the words other than a, b and c.
//
// # Evaluation
//
// EvalSimilarity reports Spearman's ρ between cosines and human scores (WordSim353,
// SimLex-999); EvalAnalogy the accuracy on the word2vec analogy questions among the most
// frequent words (AnalogyLimit = 30,000). Both count the items left out because a word
// has no vector. EvaluateDir runs the three standard sets from a folder.
package embed
