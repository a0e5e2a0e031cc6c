package pipeline

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/nlp-go/nlp/internal/fuzzlimit"
)

// FuzzReader: no input makes the reader panic, every error names its position,
// and what a document holds comes from the input.
func FuzzReader(f *testing.F) {
	f.Add([]byte("A line.\n\nAnother one.\r\n"), uint8(0))
	f.Add([]byte("{\"text\": \"x\", \"id\": 3}\n{\"text\": 1}\n"), uint8(3))
	f.Add([]byte("# text = a\n1\ta\t_\t_\t_\t_\t_\t_\t_\t_\n\n"), uint8(2))
	f.Add([]byte("1-2\tab\t_\t_\t_\t_\t_\t_\t_\t_\n1\ta\t_\t_\t_\t_\t_\t_\t_\t_\n2\tb\t_\t_\t_\t_\t_\t_\t_\t_\n\n"), uint8(0))
	f.Add([]byte("The DT B-NP\ndog NN I-NP\n\n-DOCSTART- -X- O\nbarks VBZ B-VP\n"), uint8(4))
	f.Add([]byte("pre-tokenized words .\n\n  more\ttokens\n"), uint8(5))
	formats := []string{InputAuto, InputText, InputCoNLLU, InputJSONL, InputCoNLL, InputTokens}
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		fuzzlimit.Check(t, len(data), func() {
			cfg := ReadConfig{Format: formats[int(mode)%len(formats)], Paragraphs: mode&4 != 0, MaxLine: 64 + int(mode>>3)*16}
			r, err := NewReader(bytes.NewReader(data), cfg)
			if err != nil {
				t.Fatal(err)
			}
			for n := 0; ; n++ {
				d, err := r.Next()
				if errors.Is(err, io.EOF) {
					return
				}
				if err != nil {
					var pe *Error
					if !errors.As(err, &pe) || pe.Doc != n {
						t.Fatalf("error %v is not an *Error at document %d", err, n)
					}
					return
				}
				// The column reader does not say where a sentence starts (Line 0).
				noLine := r.Format() == InputCoNLL && d.Line == 0
				if d.Index != n || (d.Line < 1 && !noLine) || len(d.Text) > cfg.MaxLine {
					t.Fatalf("document %d: %+v", n, d)
				}
			}
		})
	})
}
