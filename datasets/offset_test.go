package datasets

import (
	"errors"
	"strings"
	"testing"

	"github.com/nlp-go/nlp"
)

// TestParseErrorOffset checks that the readers give the byte offset of the error
// as well as its line and column, counting "\r\n" line breaks as two bytes.
func TestParseErrorOffset(t *testing.T) {
	for _, tc := range []struct {
		name string
		read func(string) error
		in   string
		line int
		col  int
	}{
		{"brown", func(s string) error { _, err := NewBrownReader(strings.NewReader(s)).Read(); return err }, "\r\n\nthe/at dog", 3, 8},
		{"labelled", func(s string) error {
			_, err := NewLabelledReader(strings.NewReader(s), LabelLast).ReadAll()
			return err
		}, "a b\tpos\nno tab here\n", 2, 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.read(tc.in)
			var pe *nlp.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *nlp.ParseError", err)
			}
			lines := strings.SplitAfter(tc.in, "\n")
			want := int64(len(strings.Join(lines[:tc.line-1], "")) + tc.col - 1)
			if pe.Line != tc.line || pe.Column != tc.col || pe.Offset != want {
				t.Errorf("%v: line %d column %d offset %d, want %d %d %d", err, pe.Line, pe.Column, pe.Offset, tc.line, tc.col, want)
			}
		})
	}
}
