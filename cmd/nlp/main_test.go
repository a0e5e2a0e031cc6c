package main

import (
	"bytes"
	"testing"
)

// runCLI runs the nlp app with args (without the program name) and returns what
// it wrote to stdout.
func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	app := newApp()
	var out bytes.Buffer
	app.Writer = &out
	app.ErrWriter = &out
	err := app.Run(append([]string{"nlp"}, args...))
	return out.String(), err
}
