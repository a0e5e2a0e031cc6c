package main

import (
	"strings"
	"testing"
)

// TestMaxLine checks --max-line of tag and pipeline: a longer line is an error
// naming the line and the limit, a line within it is read, and the value is
// checked against its documented bounds.
func TestMaxLine(t *testing.T) {
	line := strings.Repeat("film ", 40) + "\n" // 201 bytes
	for _, cmd := range []string{"tag", "pipeline"} {
		if _, err := runCLIWithInput(t, line, cmd, "--input", "text", "--max-line", "100", "-"); err == nil ||
			!strings.Contains(err.Error(), "line too long") || !strings.Contains(err.Error(), "100 bytes") {
			t.Errorf("%s --max-line 100 on a line of 201 bytes: error %v", cmd, err)
		}
		out, err := runCLIWithInput(t, line, cmd, "--input", "text", "--max-line", "300", "-")
		if err != nil || strings.Count(out, "film") < 40 {
			t.Errorf("%s --max-line 300: error %v, output %.80q", cmd, err, out)
		}
		for _, bad := range []string{"0", "67108865"} {
			if _, err := runCLIWithInput(t, line, cmd, "--max-line", bad, "-"); err == nil || !strings.Contains(err.Error(), "--max-line") {
				t.Errorf("%s --max-line %s: error %v", cmd, bad, err)
			}
		}
	}
}
