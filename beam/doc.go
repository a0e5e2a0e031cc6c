// Package beam runs the toolkit's corpus work as Apache Beam pipelines
// (github.com/apache/beam/sdks/v2, the Go SDK), so that a corpus of billions of
// tokens is annotated and counted on an engine a user's infrastructure already
// runs — Google Cloud Dataflow, Apache Flink, Apache Spark — or locally on
// Beam's own Prism runner, in-process.
//
// It writes no scheduler and no annotation of its own: Annotate runs the stages
// of package pipeline (Segment, Tag, Classify: the code of nlp pipeline) inside
// a DoFn, and its records are the JSON lines (or CoNLL-U) of pipeline.Writer,
// with the source file and line added.
//
// # Annotate
//
//	files (glob) → read: a record per line (text, JSON lines) or sentence (CoNLL-U), with file, line and index
//	             → reshuffle (spread the records of one file over the workers)
//	             → annotate: parse, segment, tag, classify, in batches of a bundle → records | dead letters
//	             → write a temporary file per bundle; once all have succeeded, rename them PREFIX-SSSSS-of-NNNNN.jsonl
//	               (Options.Shards > 0: shard by hash through a shuffle instead)
//	dead letters → PREFIX-errors-00000-of-00001.jsonl ({"file", "line", "reason"})
//
// Each worker process loads the models once (the annotate DoFn's Setup, through
// a process-wide cache: the tagger and the classifier are shared by the DoFn
// instances under a lock, as nlp pipeline shares them between its goroutines)
// and hands them the documents of a bundle in batches (Options.BatchDocs,
// Options.BatchBytes), as pipeline.Run does; Options.Copies gives each DoFn
// instance a copy of its own instead, for workers of many cores.
//
// A malformed record — a line longer than Options.MaxLine, invalid UTF-8, a JSON line that does not parse, a
// CoNLL-U sentence the reader refuses or larger than MaxLine — does not stop the
// job: it goes to the dead-letter output with its file, line and reason, and
// is counted in the Beam metric nlp/dead_letters. Only systemic errors (a
// model that does not load, an output that cannot be written) fail the job.
//
// For one input file without bad records, the records are those of nlp
// pipeline on that file — same doc index, sentences, tokens, tags and
// sentiment — plus "file" and "line", in whatever order and sharding the runner
// gives them.
//
// # Vocab
//
// Vocab counts the tokens of a corpus — tokenized as nlp datasets vocab
// tokenizes them (datasets.SniffFormat, the same readers and tokenizer) — with
// a count per word in each worker (flushed every VocabOptions.FlushWords distinct
// words), a combiner (stats.SumPerKey, lifted before the shuffle), the
// min-count filter and one sort, and writes the vocabulary file nlp embed
// train and datasets.LoadVocab read: "word<TAB>count" lines, the unknown word
// first with the count of the dropped words, then by decreasing count, ties in
// byte order (datasets.Counter's order).
//
// # Limits
//
// A file is read by one worker (records are then spread by a reshuffle): split
// a huge single file into shards before the job. The files are named by a glob
// that Beam's file systems understand (local paths, gs://, s3:// when those
// file systems are linked in).
package beam
