package fileutil

import (
	"compress/gzip"
	"errors"
	"io"
	"os"
	"strings"
)

// Open opens path for reading and, when its name ends in ".gz" (the IMDB files,
// compressed treebanks), decompresses it, so that every reader of corpus files
// accepts both. Close the returned ReadCloser when done. Errors are the
// *fs.PathError of os.Open or gzip's header error.
func Open(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if !strings.HasSuffix(path, ".gz") {
		return f, nil
	}
	gz, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &gzFile{Reader: gz, f: f}, nil
}

// gzFile closes both the decompressor and the file under it.
type gzFile struct {
	*gzip.Reader
	f *os.File
}

func (g *gzFile) Close() error {
	return errors.Join(g.Reader.Close(), g.f.Close())
}
