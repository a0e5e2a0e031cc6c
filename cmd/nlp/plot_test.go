package main

import (
	"os"
	"strings"
	"testing"
)

// assertSVG checks that path is an SVG drawing whose text includes every one
// of want (titles, axis names, labels): what the picture shows.
func assertSVG(t *testing.T, path string, want ...string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("--plot: %v", err)
	}
	s := string(b)
	if !strings.Contains(s, "<svg") {
		t.Fatalf("%s is not SVG", path)
	}
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Errorf("%s does not show %q", path, w)
		}
	}
}
