// Package nlp holds what every package of the toolkit shares: the position error
// of its readers and the sentinel errors that mean the same thing in all of them.
//
// The toolkit itself is in the packages below this one; data flows one way, text →
// tokens → vectors → recurrent layers → labels, and each package owns one step:
// datasets reads and writes corpora, embed trains and loads word vectors, nn holds
// the math of the recurrent networks, tagger, classify and generate are the three
// tasks, and pipeline runs them as stages over a stream of documents. cmd/nlp is
// the command line.
//
// This package is a leaf (it imports only the standard library), so that every
// reader can return the one *ParseError and every Validate can wrap the one
// ErrConfig without an import cycle. A caller tests for them the same way
// whichever package the error comes from:
//
//	var pe *nlp.ParseError
//	if errors.As(err, &pe) { ... pe.Line, pe.Column ... }
//	if errors.Is(err, nlp.ErrConfig) { ... a bad option ... }
package nlp
