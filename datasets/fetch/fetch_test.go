package fetch

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeServer serves files by path with http.ServeContent (so Range works), and can
// cut the first response of a path after cutAt bytes.
type fakeServer struct {
	mu     sync.Mutex
	files  map[string][]byte
	cutAt  map[string]int
	ranges []string
}

func (s *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	data, ok := s.files[r.URL.Path]
	cut, doCut := s.cutAt[r.URL.Path]
	delete(s.cutAt, r.URL.Path)
	s.ranges = append(s.ranges, r.Header.Get("Range"))
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	if doCut {
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(http.StatusOK)
		w.Write(data[:cut])
		if hj, ok := w.(http.Hijacker); ok {
			w.(http.Flusher).Flush()
			conn, _, _ := hj.Hijack()
			conn.Close()
		}
		return
	}
	http.ServeContent(w, r, r.URL.Path, time.Time{}, bytes.NewReader(data))
}

func sstFiles(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, f := range mustDataset(t, "sst").Files {
		files["/"+f.Path] = []byte(strings.Repeat("1 fine film .\n", 5000) + f.Path + "\n")
	}
	return files
}

func mustDataset(t *testing.T, name string) Dataset {
	d, err := Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// withPins temporarily pins the registry's checksums for name to the test files.
func withPins(t *testing.T, name string, files map[string][]byte) {
	t.Helper()
	for i := range registry {
		if registry[i].Name != name {
			continue
		}
		saved := append([]RemoteFile(nil), registry[i].Files...)
		t.Cleanup(func() { registry[i].Files = saved })
		fs := append([]RemoteFile(nil), saved...)
		for k := range fs {
			if data, ok := files["/"+fs[k].Path]; ok {
				h := sha256.Sum256(data)
				fs[k].SHA256 = hex.EncodeToString(h[:])
			}
		}
		registry[i].Files = fs
	}
}

func TestFetchFullDownload(t *testing.T) {
	srv := &fakeServer{files: sstFiles(t)}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	withPins(t, "sst", srv.files)
	dir := t.TempDir()
	var bar bytes.Buffer
	got, err := Fetch(context.Background(), "sst", Config{Dir: dir, BaseURL: ts.URL}, WithProgress(&bar))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 6 {
		t.Fatalf("%d files", len(got))
	}
	for _, f := range got {
		data, err := os.ReadFile(f.Path)
		if err != nil || !bytes.Equal(data, srv.files["/"+filepath.Base(f.Path)]) || !f.Pinned {
			t.Errorf("%s: %v pinned=%v", f.Path, err, f.Pinned)
		}
	}
	if !strings.Contains(bar.String(), "stsa.fine.test") {
		t.Errorf("no progress line: %q", bar.String())
	}
	// A second call finds everything in place and downloads nothing.
	n := len(srv.ranges)
	got, err = Fetch(context.Background(), "sst", Config{Dir: dir, BaseURL: ts.URL})
	if err != nil || len(srv.ranges) != n || !got[0].Skipped {
		t.Errorf("second fetch: %v, %d new requests", err, len(srv.ranges)-n)
	}
}

func TestFetchResumesAfterCut(t *testing.T) {
	files := sstFiles(t)
	srv := &fakeServer{files: files, cutAt: map[string]int{"/stsa.binary.dev": 30000}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	withPins(t, "sst", files)
	dir := t.TempDir()
	// One attempt: the cut leaves a .part file and an error.
	_, err := Fetch(context.Background(), "sst", Config{Dir: dir, BaseURL: ts.URL, Attempts: 1})
	if err == nil {
		t.Fatal("no error after a cut download")
	}
	part := filepath.Join(dir, "sst", "stsa.binary.dev.part")
	st, serr := os.Stat(part)
	if serr != nil || st.Size() != 30000 {
		t.Fatalf("partial file: %v %v", st, serr)
	}
	if _, err := os.Stat(filepath.Join(dir, "sst", "stsa.binary.dev")); !os.IsNotExist(err) {
		t.Fatal("final file exists after a cut")
	}
	// The next call resumes from byte 30000.
	if _, err := Fetch(context.Background(), "sst", Config{Dir: dir, BaseURL: ts.URL}); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range srv.ranges {
		found = found || r == "bytes=30000-"
	}
	if !found {
		t.Errorf("no Range request for the rest: %q", srv.ranges)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "sst", "stsa.binary.dev"))
	if !bytes.Equal(data, files["/stsa.binary.dev"]) {
		t.Error("resumed file differs")
	}
	if _, err := os.Stat(part); !os.IsNotExist(err) {
		t.Error(".part left behind")
	}
}

func TestFetchRetriesWithinACall(t *testing.T) {
	files := sstFiles(t)
	srv := &fakeServer{files: files, cutAt: map[string]int{"/stsa.fine.dev": 1000}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	withPins(t, "sst", files)
	if _, err := Fetch(context.Background(), "sst", Config{Dir: t.TempDir(), BaseURL: ts.URL}); err != nil {
		t.Fatal(err)
	}
}

func TestFetchChecksumMismatch(t *testing.T) {
	files := sstFiles(t)
	srv := &fakeServer{files: files}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	withPins(t, "sst", files)
	files["/stsa.binary.train"] = []byte("tampered\n")
	dir := t.TempDir()
	_, err := Fetch(context.Background(), "sst", Config{Dir: dir, BaseURL: ts.URL})
	if !errors.Is(err, ErrChecksum) {
		t.Fatalf("err = %v, want ErrChecksum", err)
	}
	for _, name := range []string{"stsa.binary.train", "stsa.binary.train.part"} {
		if _, err := os.Stat(filepath.Join(dir, "sst", name)); !os.IsNotExist(err) {
			t.Errorf("%s exists after a checksum mismatch", name)
		}
	}
}

func TestFetchErrors(t *testing.T) {
	ts := httptest.NewServer(&fakeServer{files: map[string][]byte{}})
	defer ts.Close()
	if _, err := Fetch(context.Background(), "nope", Config{}); !errors.Is(err, ErrUnknownDataset) {
		t.Errorf("err = %v", err)
	}
	_, err := Fetch(context.Background(), "sst", Config{Dir: t.TempDir(), BaseURL: ts.URL})
	if err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("err = %v, want a 404", err)
	}
}

func TestFetchUnzipsBrown(t *testing.T) {
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	for name, body := range map[string]string{"brown/ca01": "\tThe/at jury/nn ./.\n", "brown/cats.txt": "ca01 news\n", "brown/": "", "../evil": "x"} {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	zw.Close()
	ts := httptest.NewServer(&fakeServer{files: map[string][]byte{"/brown.zip": zbuf.Bytes()}})
	defer ts.Close()
	dir := t.TempDir()
	if _, err := Fetch(context.Background(), "brown", Config{Dir: dir, BaseURL: ts.URL}); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "brown", "ca01")); err != nil || !strings.Contains(string(b), "jury/nn") {
		t.Errorf("ca01: %q %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "evil")); !os.IsNotExist(err) {
		t.Error("a member escaped the folder")
	}
	got, err := Fetch(context.Background(), "brown", Config{Dir: dir, BaseURL: ts.URL})
	if err != nil || !got[0].Skipped {
		t.Errorf("second fetch: %v %+v", err, got)
	}
}

// A server that ignores Range answers 200 with the whole file: the .part file is
// started over rather than appended to.
func TestFetchServerIgnoresRange(t *testing.T) {
	files := sstFiles(t)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(files[r.URL.Path])
	}))
	defer ts.Close()
	withPins(t, "sst", files)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "sst"), 0o755)
	os.WriteFile(filepath.Join(dir, "sst", "stsa.fine.train.part"), []byte("stale bytes"), 0o644)
	if _, err := Fetch(context.Background(), "sst", Config{Dir: dir, BaseURL: ts.URL}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "sst", "stsa.fine.train"))
	if !bytes.Equal(data, files["/stsa.fine.train"]) {
		t.Error("stale partial bytes kept")
	}
}
