// Package translate is the lecture's many-to-many case of different lengths:
// an encoder–decoder with attention that translates a sentence into another
// language (Bahdanau et al. 2015; Luong et al. 2015).
//
// # The model
//
// A source sentence x_1 … x_S (words or subword units, the last one </s>) is
// read by a bidirectional, stacked recurrent encoder (nn.Encoder, any cell of
// nn) into keys k_s = [→h_s; ←h_s], one per source unit, and a summary
// [→h_S; ←h_1], from which the decoder starts (model.go, step.go: encode):
//
//	s_0 = tanh(W_b [→h_S; ←h_1] + b_b)
//
// The decoder is one recurrent layer run a step at a time (nn.Layer.Step).
// At step t it reads the previous target unit y_{t−1} (<s> at first) and,
// with input feeding, the previous attentional state h̃_{t−1}, which tells
// it what it attended to before (teacherForward):
//
//	s_t = cell([E y_{t−1}; h̃_{t−1}], s_{t−1})
//
// then attends to the keys (nn.Attention: "general" e_{t,s} = s_tᵀ W_a k_s,
// "additive" e_{t,s} = vᵀ tanh(W_q s_t + W_k k_s + b), or "dot" s_t·k_s),
// padding masked, and mixes the context with its state (attend):
//
//	α_t = softmax_s(e_{t,s})        c_t = Σ_s α_{t,s} k_s
//	h̃_t = tanh(W_c [c_t; s_t] + b_c)
//	p(y_t | y_<t, x) = softmax(W_o h̃_t + b_o)
//
// With Config.Tied, W_o is the target embedding E itself, read transposed
// (Press & Wolf 2017), and h̃ is as wide as an embedding.
//
// Training minimises the cross-entropy of the reference translation given
// the reference prefix (teacher forcing), with dropout on the embeddings, the
// keys and h̃ (trainStep). Its backward pass runs the steps in reverse: the
// gradient of h̃_t is the output layer's plus, with input feeding, what step
// t+1's input sends back; through tanh and W_c it splits into the context's,
// which the attention turns into gradients of s_t and of the keys, and the
// state's, which nn.Layer.BackStep carries to step t−1 and to the inputs.
// The keys' gradients go back through the encoder, the decoder's first
// state's through the bridge W_b into the encoder's summary.
//
// # Decoding
//
// Translation searches for the most probable output by beam search (decode):
// each sentence keeps the k best prefixes; a prefix that ends with </s> is
// finished and scored by its log-probability divided by its length to the
// power α (without it, short outputs win); the search of a sentence ends with
// k finished hypotheses or at 2·S+10 units. Beam 1 is greedy decoding.
// Sentences are decoded in batches of similar lengths, the k hypotheses of
// each as k rows of one batch; a sentence whose search has ended leaves the
// batch, and the batches are shared out between DecodeOptions.Threads
// goroutines.
//
// # Words
//
// Text is tokenized (package translate/token), the first word of a sentence
// lower-cased when it is usually written so (truecasing: German nouns keep
// their capital), and rare words split into subword units learnt from the
// training pairs (datasets/subword, byte-pair encoding), so that few units
// are unknown. A unit the model still cannot name (<unk>) is replaced by the
// source unit it attended to most, which is right for names and numbers.
// The output is joined back into words, capitalised and detokenized.
package translate
