package linescan

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/nlp-go/nlp"
)

func TestScannerPositions(t *testing.T) {
	in := "ab\r\n\ncd\nlast"
	s := New(strings.NewReader(in), 64)
	var got []string
	var starts []int64
	for s.Scan() {
		got = append(got, s.Text())
		starts = append(starts, s.Start())
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	want, wantStarts := []string{"ab", "", "cd", "last"}, []int64{0, 4, 5, 8}
	for i := range want {
		if i >= len(got) || got[i] != want[i] || starts[i] != wantStarts[i] {
			t.Fatalf("lines %q at %v, want %q at %v", got, starts, want, wantStarts)
		}
	}
	if s.Line() != 4 || s.End() != int64(len(in)) {
		t.Errorf("line %d end %d, want 4 %d", s.Line(), s.End(), len(in))
	}
}

func TestScannerErrors(t *testing.T) {
	s := New(strings.NewReader("ok\nx\xffy\n"), 64)
	s.Scan()
	s.Scan()
	pe := s.ErrAt(InvalidUTF8Column(s.Text()), nlp.ErrInvalidUTF8, "")
	if pe.Line != 2 || pe.Column != 2 || pe.Offset != 4 || !errors.Is(pe, nlp.ErrInvalidUTF8) {
		t.Errorf("%+v", pe)
	}
	// A read error is positioned at the line that could not be read.
	boom := errors.New("boom")
	s = New(io.MultiReader(strings.NewReader("a\n"), iotest.ErrReader(boom)), 64)
	for s.Scan() {
	}
	var perr *nlp.ParseError
	if err := s.Err(); !errors.As(err, &perr) || perr.Line != 2 || perr.Offset != 2 || !errors.Is(err, boom) {
		t.Errorf("read error %v (%+v)", err, perr)
	}
	// A line longer than the limit is an error, not unbounded memory.
	s = New(strings.NewReader(strings.Repeat("x", 100)+"\n"), 16)
	if s.Scan() || s.Err() == nil {
		t.Error("a 100-byte line passed a 16-byte limit")
	}
}

func TestClip(t *testing.T) {
	if got := Clip(strings.Repeat("a", 100)); len(got) != 60 || !strings.HasSuffix(got, "...") {
		t.Errorf("Clip: %q", got)
	}
	if got := Clip("short"); got != "short" {
		t.Errorf("Clip: %q", got)
	}
}

// TestTextPolicy: Check finds the first invalid UTF-8 sequence or NUL byte,
// and the Scanner stops at such a line with its position.
func TestTextPolicy(t *testing.T) {
	for _, tc := range []struct {
		line string
		col  int
		err  error
	}{
		{"good ünïcode", 0, nil},
		{"", 0, nil},
		{"ab\x00c", 3, nlp.ErrNUL},
		{"ab\xffc", 3, nlp.ErrInvalidUTF8},
		{"a\x00b\xff", 2, nlp.ErrNUL},
		{"a\xffb\x00", 2, nlp.ErrInvalidUTF8},
		{"é\xe2\x82", 3, nlp.ErrInvalidUTF8},    // a cut sequence
		{"\xed\xa0\x80", 1, nlp.ErrInvalidUTF8}, // a surrogate
	} {
		col, err := Check([]byte(tc.line))
		scol, serr := CheckString(tc.line)
		if col != tc.col || err != tc.err || scol != col || serr != err {
			t.Errorf("Check(%q) = %d, %v; CheckString %d, %v; want %d, %v", tc.line, col, err, scol, serr, tc.col, tc.err)
		}
	}
	s := New(strings.NewReader("one\ntwo\nt\x00o\nfour\n"), 64)
	n := 0
	for s.Scan() {
		n++
	}
	var pe *nlp.ParseError
	if n != 2 || !errors.As(s.Err(), &pe) || !errors.Is(pe, nlp.ErrNUL) || pe.Line != 3 || pe.Column != 2 || pe.Offset != 9 {
		t.Fatalf("%d lines, then %#v", n, s.Err())
	}
	if s.Scan() {
		t.Error("Scan goes on after a bad line")
	}
}

// TestScannerBOM checks that a UTF-8 byte order mark opening the input is not
// part of the first line, and that one later in the input is left alone.
func TestScannerBOM(t *testing.T) {
	s := New(strings.NewReader("\ufeffHello world\n\ufeffsecond\n"), 1<<10)
	var got []string
	for s.Scan() {
		got = append(got, s.Text())
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != "Hello world" || got[1] != "\ufeffsecond" {
		t.Fatalf("lines %q", got)
	}
}

// TestDefaultMaxLine checks the bound every line reader gets by default: a
// line of DefaultMaxLine bytes is read, one byte more is a ParseError wrapping
// nlp.ErrLineTooLong on that line, naming the limit.
func TestDefaultMaxLine(t *testing.T) {
	ok := strings.Repeat("a", DefaultMaxLine)
	sc := New(strings.NewReader("x\n"+ok+"\n"+ok+"b\n"), 0)
	n := 0
	for sc.Scan() {
		n++
	}
	err := sc.Err()
	var pe *nlp.ParseError
	if n != 2 || !errors.Is(err, nlp.ErrLineTooLong) || !errors.As(err, &pe) || pe.Line != 3 ||
		!strings.Contains(err.Error(), "more than 1048576 bytes") {
		t.Errorf("%d lines read, error %v; want 2, then line 3 too long", n, err)
	}
	if CheckMax(0) != nil || CheckMax(MaxLineLimit) != nil || CheckMax(MaxLineLimit+1) == nil || CheckMax(-1) == nil {
		t.Error("CheckMax accepts what it should refuse or refuses 0..MaxLineLimit")
	}
}
