package progress

import (
	"strings"
	"testing"
	"time"
)

func TestBarRendersRateAndETA(t *testing.T) {
	var out strings.Builder
	clock := time.Unix(0, 0)
	b := New(&out, "train", 1000, "words")
	b.now = func() time.Time { return clock }
	b.start = clock
	clock = clock.Add(2 * time.Second)
	b.Add(250)
	b.Note("loss %.2f", 1.5) // throttled: shown at the next draw
	b.Finish()
	got := out.String()
	for _, want := range []string{"train", "25.0%", "250/1000 words", "125 words/s", "ETA 6s", "loss 1.50"} {
		if !strings.Contains(got, want) {
			t.Errorf("progress line %q lacks %q", got, want)
		}
	}
	if !strings.HasSuffix(out.String(), "\n") {
		t.Errorf("Finish did not end the line: %q", out.String())
	}
}

func TestNilWriterIsSilent(t *testing.T) {
	b := New(nil, "x", 10, "u")
	b.Add(3)
	b.Note("n")
	b.Finish()
	var nilBar *Bar
	nilBar.Add(1) // must not panic
}
