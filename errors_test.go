package nlp

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

func TestParseErrorFormat(t *testing.T) {
	cause := fmt.Errorf("%w: got 9", errors.New("bad ID"))
	for _, tc := range []struct {
		err  ParseError
		want string
	}{
		{ParseError{File: "a.conllu", Line: 12, Column: 5, Err: cause}, "a.conllu:12:5: bad ID: got 9"},
		{ParseError{File: "a.conllu", Line: 12, Err: cause}, "a.conllu:12: bad ID: got 9"},
		{ParseError{Line: 12, Column: 5, Err: cause}, "line 12, column 5: bad ID: got 9"},
		{ParseError{Line: 12, Err: cause}, "line 12: bad ID: got 9"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.err, got, tc.want)
		}
	}
}

func TestParseErrorUnwrap(t *testing.T) {
	var err error = fmt.Errorf("datasets: read: %w", &ParseError{Line: 3, Err: fmt.Errorf("%w: 0xff", ErrInvalidUTF8)})
	if !errors.Is(err, ErrInvalidUTF8) {
		t.Errorf("%v does not wrap ErrInvalidUTF8", err)
	}
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 3 {
		t.Errorf("errors.As: %v, %+v", err, pe)
	}
}

func TestConfigError(t *testing.T) {
	err := ConfigError("tagger", "Config.Hidden", "%d, want 1..%d", -1, 4096)
	if want := "tagger: invalid configuration: Config.Hidden -1, want 1..4096"; err.Error() != want {
		t.Errorf("%q, want %q", err, want)
	}
	if !errors.Is(err, ErrConfig) {
		t.Error("does not wrap ErrConfig")
	}
	err = ConfigError("nn", "cell", "%q: %w", "x", io.EOF)
	if !errors.Is(err, ErrConfig) || !errors.Is(err, io.EOF) {
		t.Errorf("%v does not wrap both ErrConfig and its cause", err)
	}
}

func ExampleParseError() {
	err := fmt.Errorf("tagger: %w", &ParseError{File: "dev.conllu", Line: 7, Column: 3, Offset: 210, Err: ErrInvalidUTF8})
	var pe *ParseError
	if errors.As(err, &pe) {
		fmt.Println(pe.File, pe.Line, pe.Column, pe.Offset)
	}
	fmt.Println(err)
	// Output:
	// dev.conllu 7 3 210
	// tagger: dev.conllu:7:3: invalid UTF-8
}
