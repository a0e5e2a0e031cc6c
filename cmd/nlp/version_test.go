package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/nlp-go/nlp/internal/buildinfo"
)

// TestVersion checks `nlp version`, `nlp --version` and `nlp version --json`:
// the version first (a test binary is unstamped: "(devel)"), then the Go
// release and platform; the flag and the command print the same.
func TestVersion(t *testing.T) {
	cmd, err := runCLI(t, "version")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(cmd, "nlp "+buildinfo.Version()+"\n") || !strings.Contains(cmd, "go:") {
		t.Errorf("nlp version printed %q", cmd)
	}
	flag, err := runCLI(t, "--version")
	if err != nil {
		t.Fatal(err)
	}
	if flag != cmd {
		t.Errorf("nlp --version printed %q, nlp version %q", flag, cmd)
	}
	js, err := runCLI(t, "version", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var info buildinfo.Info
	if err := json.Unmarshal([]byte(js), &info); err != nil || info.Version != buildinfo.Version() || info.Go == "" {
		t.Errorf("nlp version --json printed %q (%v)", js, err)
	}
	if _, err := runCLI(t, "version", "extra"); err == nil {
		t.Error("nlp version extra: no error")
	}
}
