package conllu

import (
	"errors"
	"strings"
	"testing"

	"github.com/nlp-go/nlp"
)

// TestParseErrorOffset checks that the reader gives the byte offset of an error
// as well as its line and column, counting "\r\n" line breaks as two bytes.
func TestParseErrorOffset(t *testing.T) {
	in := "# a\r\n1\tA\ta\tX\tX\t_\t0\troot\t_\t_\r\n\r\n1\tB\n"
	_, err := NewReader(strings.NewReader(in)).ReadAll()
	var pe *nlp.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want a *nlp.ParseError", err)
	}
	want := int64(strings.Index(in, "1\tB") + 3)
	if pe.Line != 4 || pe.Column != 4 || pe.Offset != want {
		t.Errorf("%v: line %d column %d offset %d, want 4 4 %d", err, pe.Line, pe.Column, pe.Offset, want)
	}
}
