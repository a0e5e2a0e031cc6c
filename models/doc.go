// Package models holds the default models that ship inside the nlp binary
// (go:embed), so that a new user's first command works with nothing downloaded.
//
// Each model is one file in the nn model format (safetensors with JSON
// metadata), next to a Go file that embeds it and documents how `make models`
// rebuilds it from the data in ../shared/data.
package models
