package conllu

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/internal/fuzzlimit"
)

func TestColumnReader(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want [][][]string
	}{
		{"conll2000 spaces", "Confidence NN B-NP\nin IN B-PP\n\nthe DT B-NP\n", [][][]string{
			{{"Confidence", "NN", "B-NP"}, {"in", "IN", "B-PP"}}, {{"the", "DT", "B-NP"}}}},
		{"tabs keep spaces", "New York\tNNP\nis\tVBZ\n\n", [][][]string{{{"New York", "NNP"}, {"is", "VBZ"}}}},
		{"docstart and blank runs", "-DOCSTART- -X- O O\n\n\nEU NNP B-ORG\r\n\n\n", [][][]string{{{"EU", "NNP", "B-ORG"}}}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewColumnReader(strings.NewReader(tt.in))
			var got [][][]string
			for {
				s, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, s.Rows)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestColumnReaderErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
		line int
	}{
		{"column count", "a NN\nb NN X\n", ErrFieldCount, 2},
		{"empty tab column", "a\t\n", ErrEmptyField, 1},
		{"utf8", "a NN\n\xfe NN\n", nlp.ErrInvalidUTF8, 2},
		{"NUL", "a NN\nb\x00 NN\n", nlp.ErrNUL, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewColumnReader(strings.NewReader(tt.in))
			var err error
			for err == nil {
				_, err = r.Read()
			}
			var pe *nlp.ParseError
			if !errors.As(err, &pe) || !errors.Is(err, tt.want) || pe.Line != tt.line {
				t.Errorf("err = %v, want %v on line %d", err, tt.want, tt.line)
			}
		})
	}
}

func TestColumnRoundTrip(t *testing.T) {
	in := "a\tDT\tB-NP\nb c\tNN\tI-NP\n\nd\tVB\tO\n\n"
	r := NewColumnReader(strings.NewReader(in))
	var buf bytes.Buffer
	w := NewColumnWriter(&buf)
	for {
		s, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(s); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	if buf.String() != in {
		t.Errorf("round trip: %q", buf.String())
	}
}

func FuzzReadCoNLL(f *testing.F) {
	f.Add([]byte("Confidence NN B-NP\nin IN B-PP\n\nthe DT B-NP\n"))
	f.Add([]byte("a\tb\n\n-DOCSTART-\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzlimit.Check(t, len(data), func() {
			r := NewColumnReader(bytes.NewReader(data))
			var sents []*ColumnSentence
			for {
				s, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					var pe *nlp.ParseError
					if !errors.As(err, &pe) {
						t.Fatalf("not a *nlp.ParseError: %v", err)
					}
					return
				}
				sents = append(sents, s)
			}
			// What was read writes and reads back to the same rows, unless a field holds
			// a character the tab-separated writer refuses.
			var buf bytes.Buffer
			w := NewColumnWriter(&buf)
			for _, s := range sents {
				if err := w.Write(s); err != nil {
					return
				}
			}
			w.Flush()
			r2 := NewColumnReader(&buf)
			for _, s := range sents {
				s2, err := r2.Read()
				if err != nil || !reflect.DeepEqual(s.Rows, s2.Rows) {
					t.Fatalf("round trip: %q → %v, %v", s.Rows, s2, err)
				}
			}
		})
	})
}
