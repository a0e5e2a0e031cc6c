// Package pipeline streams documents through typed stages — read, segment and
// tokenize, tag, classify, look up vectors, write — on several goroutines, in
// bounded memory, keeping the input's order.
//
// # Stages
//
// A Stage[In, Out] turns a batch of In into a batch of Out. The types are the
// contract: Then(s1, s2) composes s1: Stage[A, B] with s2: Stage[B, C] into a
// Stage[A, C], and does not compile when s1's output is not s2's input. Chain
// composes any number of stages of one type. Stages work on batches because the
// networks behind them do: the tagger runs the sentences of a batch through its
// BiLSTM together, which is several times faster than one at a time. Map lifts a
// function of one item to a stage, which is how a stage of one's own takes a few
// lines (see the example).
//
// Models are not safe for concurrent use, so a stage that holds one is a Forker:
// Fork returns a copy with its own buffers (a tagger.Model or classify.Model
// Clone, a new tokenize.Tokenizer) for another goroutine, and composed stages fork
// their parts. A stage that is not a Forker is shared by the workers and must be
// safe for concurrent use; PerWorker wraps a constructor for state that is not.
// Serial is the other answer: one instance shared under a lock, so that a large
// model exists once while the workers overlap it with the other stages — one
// worker tags a batch while another classifies or tokenizes the next.
//
// # Running
//
// Run reads items from a Source (Next, io.EOF at the end), groups them into
// batches — by count, and by size (Document.Size, bytes of text) so that a batch
// holds a few hundred sentences however long the documents — and numbers them.
// Workers, each with its own fork of the stage, take batches from a channel; a
// reassembly loop keeps finished batches until every earlier one has been
// written, and writes them to the Sink in input order. A window of at most
// Config.Window batches is in flight (read, being processed, or waiting for an
// earlier one): the reader waits for a free slot before reading on, so memory is
// Window × batch size whatever the length of the input, and a 1 GB input is
// never held whole.
//
// The first error in input order — a malformed line, a stage's failure, a failed
// write — stops the run: the items before it are written, the rest is not, and
// Run returns the error after every goroutine it started has returned.
// Cancelling the context does the same with ctx.Err(). Errors about a document
// are *Error values naming the source, the document and the line it starts on:
// "input.conllu:1234: doc 87: ...". When the input itself is malformed the
// *Error wraps the reader's *nlp.ParseError (line, column, byte offset), the
// position error every reader of the toolkit returns.
//
// Why workers over batches rather than a goroutine per stage: the tagger already
// runs the two directions of its BiLSTM on two goroutines, but its character
// model, the projections of new words, the classifier and the tokenizer run on
// one; several workers keep the cores busy through all of it, and the order is
// restored once, at the end. nlp pipeline shares one tagger and one classifier
// (Serial): forking them costs a model copy per worker (about 110 MB with their
// buffers) for about 20% more speed on two cores, where the networks' matrix products
// take nearly all the time whatever the arrangement (BENCHMARKS.md, "pipeline").
//
// Memory: the models' buffers grow to the largest batch they have run, so the
// tag and classify stages hand them sentences sorted by length in groups of at
// most 64 sentences and 1,024 (tagger) or 256 (classifier) padded words, and
// Segment cuts sentences longer
// than 256 tokens (SegmentConfig.MaxTokens), which a text without punctuation
// would otherwise make as long as a line.
//
// # Documents
//
// The built-in stages pass *Document values along: a line (or paragraph) of text,
// a JSON line, or a sentence read tokenized (CoNLL-U, CoNLL columns, a tokenized
// line), with its source name, index and line; its
// Sentences, each with its text, its Tokens (Form, UPOS, XPOS, Vector), its
// Sentiment and comments, and — for CoNLL-U input — the sentence as read, so that
// CoNLL-U output changes nothing but the tags and the sentiment comment.
//
// Tokens of text keep their place in it: Segment sets each token's Form to its
// characters in the document's text, Start and End to its offsets there in
// Unicode code points (what spaCy and Stanza count), and NoSpaceAfter where the
// next token follows with no white space, so that the text can be rebuilt from
// the tokens (CoNLL-U's SpaceAfter=No). Input read tokenized has no text to
// point into: its tokens have no offsets, and the JSON output leaves them out.
//
// The reader (Reader) takes plain text (a document a line, or a paragraph),
// CoNLL-U, CoNLL columns, tokenized lines and JSON lines ({"text": ..., "id":
// ...}); lines are bounded (ReadConfig.MaxLine, 1 MiB by default) and a longer
// one is an error naming it. The writer (Writer) writes one JSON object a
// sentence, CoNLL-U with a "# sentiment = LABEL PROB" comment, or TSV (form,
// UPOS, XPOS). nlp tag is Reader → Segment → Tag (or TagEnsemble) → Writer.
package pipeline
