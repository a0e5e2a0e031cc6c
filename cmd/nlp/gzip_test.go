package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGzipInput: every command that reads the user's text reads gzip as well,
// from a file (whatever its name) and from standard input, with the same output
// as the plain text.
func TestGzipInput(t *testing.T) {
	const text = "The dog barks at the mailman.\nI loved this film, every minute of it.\n"
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(text))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	plain := filepath.Join(dir, "in.txt")
	packed := filepath.Join(dir, "in.txt.gz")
	unnamed := filepath.Join(dir, "packed.txt") // gzip without the extension
	for path, b := range map[string][]byte{plain: []byte(text), packed: gz.Bytes(), unnamed: gz.Bytes()} {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(stdin []byte, args ...string) string {
		t.Helper()
		app := newApp()
		var out, errOut bytes.Buffer
		app.Writer, app.ErrWriter, app.Reader = &out, &errOut, bytes.NewReader(stdin)
		if err := app.Run(append([]string{"nlp"}, args...)); err != nil {
			t.Fatalf("nlp %s: %v (%s)", strings.Join(args, " "), err, errOut.String())
		}
		return out.String()
	}
	for _, cmd := range [][]string{{"tag"}, {"pipeline"}, {"translate", "--beam", "1"}} {
		want := run(nil, append(cmd, plain)...)
		if want == "" {
			t.Fatalf("%s: no output", cmd[0])
		}
		for _, path := range []string{packed, unnamed} {
			if got := run(nil, append(cmd, path)...); got != want {
				t.Errorf("%s %s:\n%s\nwant\n%s", cmd[0], filepath.Base(path), got, want)
			}
		}
		if got := run(gz.Bytes(), append(cmd, "-")...); got != want {
			t.Errorf("%s on gzip stdin:\n%s\nwant\n%s", cmd[0], got, want)
		}
	}
	want := run([]byte(text), "classify", "-")
	if got := run(gz.Bytes(), "classify", "-"); got != want || want == "" {
		t.Errorf("classify on gzip stdin:\n%s\nwant\n%s", got, want)
	}
}
