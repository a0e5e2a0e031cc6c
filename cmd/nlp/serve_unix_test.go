//go:build unix

package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeSIGTERM runs nlp serve on a free port, with a token, asks it
// something, then sends SIGTERM: it stops and exits 0, its access log on
// stderr having recorded the request.
func TestServeSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the command in a subprocess")
	}
	token := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(token, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$", "--", "serve", "--addr", "127.0.0.1:0", "--token-file", token, "--log-format", "json")
	cmd.Env = append(os.Environ(), "NLP_TEST_MAIN=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(stderr)
	var url string
	for url == "" && lines.Scan() {
		if m := regexp.MustCompile(`"url":"(http://[^"]+)"`).FindStringSubmatch(lines.Text()); m != nil {
			url = m[1]
		}
	}
	if url == "" {
		t.Fatalf("no listening line on stderr (%v)", lines.Err())
	}
	req, _ := http.NewRequest("POST", url+"/v1/tag", strings.NewReader(`{"text": "It works."}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer s3cret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `{"form":"works","upos":"VERB","xpos":"VBZ"}`) {
		t.Fatalf("/v1/tag: %d %s", resp.StatusCode, body)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	rest, _ := io.ReadAll(stderr) // until the process closes it
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v; stderr:\n%s", err, rest)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("still running 20 s after SIGTERM")
	}
	if !strings.Contains(string(rest), `"route":"POST /v1/tag","path":"/v1/tag","status":200`) {
		t.Errorf("no access log record of the request:\n%s", rest)
	}
}

// TestServeTokenFile: an empty or missing token file is an error before the
// server starts.
func TestServeTokenFile(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty")
	os.WriteFile(empty, []byte(" \n"), 0o600)
	for _, f := range []string{empty, filepath.Join(t.TempDir(), "missing")} {
		if _, err := runCLI(t, "serve", "--token-file", f); err == nil || !strings.Contains(err.Error(), "--token-file") {
			t.Errorf("--token-file %s: %v", f, err)
		}
	}
	if _, err := runCLI(t, "serve", "--log-format", "xml"); err == nil || !strings.Contains(err.Error(), "--log-format") {
		t.Errorf("--log-format xml: %v", err)
	}
}
