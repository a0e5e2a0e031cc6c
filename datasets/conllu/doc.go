// Package conllu reads and writes CoNLL-U (Universal Dependencies) and the simpler
// CoNLL column formats, in the manner of encoding/csv: a Reader whose Read
// returns one sentence and io.EOF after the last, a Writer that writes back what
// was read, and a *nlp.ParseError (line, column, byte offset) for malformed
// input, wrapping a sentinel of this package (ErrFieldCount, ErrBadID,
// ErrMissingBlankLine, ErrEmptyField, ErrBadLine) or nlp.ErrInvalidUTF8 for
// errors.Is. No input makes the readers panic; fuzz targets check it.
//
//   - CoNLL-U (Reader, Writer, Sentence, Token): comments, multiword-token ranges
//     ("3-4"), empty nodes ("8.1") and all ten columns are kept as written, so
//     writing what was read gives back the same bytes. Sentence.Words returns the
//     syntactic words a tagger reads; Sentence.SetTags sets their UPOS and XPOS and
//     changes nothing else. Lines may end in "\n" or "\r\n", and every sentence,
//     the last one included, ends with one blank line.
//   - CoNLL columns (ColumnReader, ColumnWriter, ColumnSentence): CoNLL-2000
//     style, one token a line with its tag columns separated by tabs or spaces, a
//     blank line between sentences; CoNLL-2003's DocStart rows are skipped.
//
// ReadFile and WriteFile read and write whole files (gunzipped when the name ends
// in ".gz"; written through a temporary file and a rename, so a crash never
// leaves half a file), and SplitFile cuts a treebank into a training and a
// development file of whole sentences.
//
// Package datasets tells the formats apart (DetectFormat) and reads the other
// corpus formats; it is this package's importer, never the reverse, so the
// readers here depend on nothing but the shared error types in package nlp.
package conllu
