// Package generate is a character-level language model, the lecture's
// one-to-many example: a stack of recurrent layers reads a text one character at
// a time and learns to predict the next; fed its own predictions, it writes.
//
// # The text
//
// A text is a sequence of lines (ReadFile, ReadLines). Each line of characters
// c1 … cn is wrapped in a start and an end symbol, and the lines are concatenated
// into one stream:
//
//	<s> c1 c2 … cn </s> <s> d1 … </s> …
//
// The end symbol </s> plays the role of the newline. The vocabulary is the set
// of characters (runes) of the training text, in code-point order, after three
// reserved IDs: EndID (</s>), UnknownID (<unk>, which stands for any character
// the training text does not contain, met in a validation text or a prime) and,
// after the last character, the start symbol (Model.StartID). <s> is only ever
// read: the softmax has V = 2 + |characters| classes, one per symbol that can
// follow.
//
// # The model
//
// With x_t the symbol read at step t, e(x_t) its vector (an embedding table of
// width Embed), and L stacked recurrent layers (any cell of package nn, the
// LSTM by default):
//
//	h⁰_t = e(x_t)
//	hˡ_t = cell(hˡ⁻¹_t, hˡ_{t−1})            l = 1 … L  (c carried alongside for LSTMs)
//	P(x_{t+1} = v | x_1 … x_t) = softmax(W h^L_t + b)_v
//
// with dropout on the outputs of every layer but the last when Dropout > 0.
//
// # The loss
//
// The loss is the mean negative log-likelihood per character,
//
//	loss = −(1/N) Σ_{t : x_{t+1} ≠ <s>} ln P(x_{t+1} | x_1 … x_t)
//
// in nats, and loss/ln 2 in bits per character. A <s> target is not scored: it
// always follows </s>, so predicting it is trivially certain and would flatter
// the loss. What is scored is therefore exactly one prediction per character
// of the text and one per line end (the newline), N = Σ_lines (n + 1), which is
// the per-character loss of a model that reads the raw text with its newlines
// (the PyTorch reference of BENCHMARKS.md). A model with zero output weights and
// bias scores ln V per character.
//
// # Training
//
// Train cuts the stream of the training text into B (BatchSize) consecutive
// parts of equal length, one per stream, and reads them side by side in chunks
// of T (BPTT) characters: step k of a pass over the text reads characters
// kT … kT+T−1 of every stream and predicts each one's successor. The recurrent
// state is carried from one chunk to the next — that is how a line longer than
// T, or the context of the previous lines, reaches a prediction — but the
// gradient stops at the chunk boundary (truncated backpropagation through
// time). Each pass starts from zero states and shifts the streams by a random
// offset below T, so that chunks do not always start at the same characters.
//
// The optimizer is Adam with the learning rate following a cosine from LR down
// to MinLRFraction·LR over Steps (or constant), and the gradient's global norm
// clipped at Clip. Each batch is split into Threads shards that run on their
// own goroutines with replicas of the network sharing its weights; their
// gradients are summed in a fixed order, so a run is reproducible for a given
// Seed and Threads. Every ValidEvery steps the model is scored on the validation
// text (read as B streams, EvalConfig.Streams) and the best parameters are
// kept.
//
// The steps, the schedule, the clipping, the validations and the checkpoints
// are train.Run's: a pass over the text is an epoch of the loop, and the model
// a task of it. A checkpoint (WithTraining, train.Options.Checkpoint) holds the
// current and best parameters, Adam's moments and the carried states, so a
// resumed training takes exactly the steps an uninterrupted one would; a
// cancelled context or train.Options.MaxDuration stops cleanly.
//
// SplitTail holds out the last fraction of a text, cut at a line boundary, as
// validation text; `nlp generate train --valid-fraction` and
// `nlp generate eval --tail-fraction` both use it, so they score the same lines.
//
// # Generation
//
// Generate starts from zero states, reads <s> (then the prime), and at each
// step draws the next symbol from softmax(logits/τ) restricted to the K most
// probable symbols (τ is Temperature, K is TopK; Greedy takes the argmax, the
// limit τ → 0), reads it back, and stops the line at </s> or after MaxLen
// characters. <unk> is never drawn. A seeded generator makes the text
// reproducible. Each step runs the network on one symbol with buffers reused
// from step to step, allocating nothing.
//
// # Evaluation
//
// Evaluate computes the loss above on any text, the state carried through it
// (or through EvalConfig.Streams consecutive parts read side by side, which is
// faster and loses the context only at the cuts; every character is still
// scored exactly once). Characters outside the vocabulary are scored as <unk>,
// to which the model gives a tiny probability: they are counted in
// Eval.Unknown.
//
// A model is one file (nn.Save): its parameters in float64, the
// configuration and the vocabulary.
package generate
