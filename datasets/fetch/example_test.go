package fetch_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/nlp-go/nlp/datasets/fetch"
)

func ExampleFetch() {
	// A local server stands in for the canonical address (BaseURL), serving a tiny
	// brown.zip; Fetch downloads it, extracts brown/* into DIR/brown and reports the
	// SHA-256 of what it downloaded.
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	w, _ := zw.Create("brown/ca01")
	w.Write([]byte("\tThe/at jury/nn ./.\n"))
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "brown.zip", time.Time{}, bytes.NewReader(zbuf.Bytes()))
	}))
	defer srv.Close()
	dir, _ := os.MkdirTemp("", "fetch")
	defer os.RemoveAll(dir)

	files, err := fetch.Fetch(context.Background(), "brown", fetch.Config{Dir: dir, BaseURL: srv.URL})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(files), filepath.Base(files[0].Path), files[0].Pinned)
	data, _ := os.ReadFile(filepath.Join(dir, "brown", "ca01"))
	fmt.Printf("%q\n", data)
	// Output:
	// 1 brown.zip false
	// "\tThe/at jury/nn ./.\n"
}
