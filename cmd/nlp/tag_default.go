package main

import "github.com/nlp-go/nlp/models"

// embeddedTagger returns the English tagger built into the binary.
func embeddedTagger() []byte { return models.TaggerBytes() }
