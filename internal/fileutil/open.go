package fileutil

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
)

// gzipMagic starts every gzip stream (RFC 1952). No UTF-8 text starts with it:
// 0x8b is a continuation byte, never the second byte of a text after 0x1f.
var gzipMagic = []byte{0x1f, 0x8b}

// Open opens path for reading and decompresses it when it is gzip (the IMDB
// files, compressed treebanks, word2vec .gz vectors), so that every reader of
// the toolkit accepts both. The content decides, not the name: a gzip file is
// recognised by its first two bytes, whatever it is called. Close the returned
// ReadCloser when done. Errors are the *fs.PathError of os.Open, or gzip's
// header error naming path.
func Open(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r, err := Decompress(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &readFile{Reader: r, f: f}, nil
}

// Decompress returns a reader of r's content, gunzipped when r starts with the
// gzip magic bytes (one or several concatenated gzip members, as gzip -c a b
// writes them), and r's bytes as they are otherwise. It reads ahead of the
// caller (a bufio.Reader), so read r only through the result. Standard input
// goes through it, so that `zcat` is never needed.
func Decompress(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(len(gzipMagic))
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	if !bytes.Equal(head, gzipMagic) {
		return br, nil
	}
	return gzip.NewReader(br)
}

// readFile closes the file under a reader that may be a decompressor.
type readFile struct {
	io.Reader
	f *os.File
}

// Close closes the decompressor (which checks nothing more) and the file.
func (r *readFile) Close() error {
	if gz, ok := r.Reader.(*gzip.Reader); ok {
		return errors.Join(gz.Close(), r.f.Close())
	}
	return r.f.Close()
}

// Name returns the path the file was opened with, as (*os.File).Name does, so
// that a reader given the ReadCloser can name the file in its errors.
func (r *readFile) Name() string { return r.f.Name() }
