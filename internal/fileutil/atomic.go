// Package fileutil writes files atomically: to a temporary file in the target's
// directory, synced, then renamed over the target, with the directory synced
// after the rename, so that a crash or an error never leaves a half-written file
// behind and a finished write survives a power loss.
//
// It is the only place of the module that renames files: every writer of models,
// vectors, corpora, vocabularies and downloads goes through it, so the sequence
// of syncs is written (and fixed) once.
package fileutil

import (
	"bufio"
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// defaultPerm is the mode of a new file: an ordinary data file that others may
// read. os.CreateTemp makes its file 0600, which is right for a temporary file
// but not for a model or corpus someone else will load.
const defaultPerm fs.FileMode = 0o644

// bufSize is the size of the buffer WriteAtomic puts in front of the file, large
// enough that writers of many small pieces (vectors, CoNLL-U lines) need no
// buffer of their own.
const bufSize = 1 << 20

// WriteAtomic creates or replaces path with the content that write produces.
//
// The content goes to a temporary file in path's directory (a rename is atomic
// only within one file system), through a buffer, and is synced before the file
// is closed and renamed over path; the directory is then synced so that the
// rename itself is durable. If write returns an error or panics, or any step
// fails, the temporary file is removed and path is left as it was.
//
// The temporary file is named ".NAME.tmp-PID-RANDOM" (NAME is path's base name),
// so that a file left by a process killed without a chance to clean up (kill -9,
// a power loss) can be recognised: each call first removes the siblings of that
// form whose process is gone (see removeStale).
//
// Errors are returned as they are: write's own, or the *fs.PathError of the
// step that failed (naming the temporary file); the caller adds what it was
// writing, as it does for any other error.
//
// A new file gets mode 0644; a file that already exists keeps its permission bits,
// so replacing a file someone made private does not expose it.
func WriteAtomic(path string, write func(w io.Writer) error) error {
	return WriteAtomicContext(context.Background(), path, write)
}

// WriteAtomicContext is WriteAtomic that stops when ctx is done: every write
// to the io.Writer given to write fails with ctx's error once ctx is done, and
// the file is not renamed into place, so that a command cancelled by a signal
// removes its temporary file and leaves path as it was. A write function that
// computes long between writes may also watch ctx itself.
func WriteAtomicContext(ctx context.Context, path string, write func(w io.Writer) error) (err error) {
	perm := defaultPerm
	if fi, serr := os.Stat(path); serr == nil && fi.Mode().IsRegular() {
		perm = fi.Mode().Perm()
	}
	dir, base := filepath.Dir(path), filepath.Base(path)
	removeStale(dir, base)
	f, err := os.CreateTemp(dir, tempPrefix(base)+strconv.Itoa(os.Getpid())+"-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	untrack := track(tmp)
	defer untrack()
	done := false
	// A deferred cleanup rather than one at each return, so that a panic in
	// write (a bug in a caller) does not leave the temporary file behind either.
	defer func() {
		if !done {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(ctxWriter{ctx, f}, bufSize)
	if err = write(ctxWriter{ctx, bw}); err != nil {
		return err
	}
	if err = ctx.Err(); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = f.Chmod(perm); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = ctx.Err(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	done = true
	syncDir(dir)
	return nil
}

// ctxWriter fails every write once its context is done: the write loops of
// the callers stop at their next write, whatever they are.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// tempPrefix is the start of the names of base's temporary files.
func tempPrefix(base string) string { return "." + base + ".tmp-" }

// staleAge is how old a temporary file without a process id in its name (one
// written before the names had it) must be to count as stale. Such a file
// cannot be told from another process's write in progress, so it is left
// alone for a day, far longer than any write of this toolkit takes.
const staleAge = 24 * time.Hour

// removeStale removes the temporary files of base in dir that a killed process
// left: those whose name holds the id of a process that no longer exists, and
// those without an id older than staleAge. A file whose process is alive is
// another write in progress (or a reused id, which only delays the cleanup to a
// later run): it is left alone. The process test is local, so two machines
// writing one network folder could remove each other's files; the toolkit
// writes its outputs from one machine. Errors are ignored: this is cleanup, and
// the write itself reports real problems with the folder.
func removeStale(dir, base string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := tempPrefix(base)
	for _, e := range entries {
		name := e.Name()
		rest, ok := strings.CutPrefix(name, prefix)
		if !ok || !e.Type().IsRegular() {
			continue
		}
		pidText, _, hasPid := strings.Cut(rest, "-")
		pid, perr := strconv.Atoi(pidText)
		switch {
		case hasPid && perr == nil && pid > 0:
			if pid == os.Getpid() || processAlive(pid) {
				continue
			}
		default:
			fi, err := e.Info()
			if err != nil || time.Since(fi.ModTime()) < staleAge {
				continue
			}
		}
		os.Remove(filepath.Join(dir, name))
	}
}

// live holds the temporary files being written, for RemoveTemps.
var live struct {
	sync.Mutex
	files map[string]bool
}

// track records tmp as being written until the returned function is called.
func track(tmp string) (untrack func()) {
	live.Lock()
	if live.files == nil {
		live.files = make(map[string]bool)
	}
	live.files[tmp] = true
	live.Unlock()
	return func() {
		live.Lock()
		delete(live.files, tmp)
		live.Unlock()
	}
}

// RemoveTemps removes the temporary files of the writes in progress. It is
// for a process about to exit without waiting for them (cmd/nlp on a second
// signal, or when a command does not stop soon after the first): their
// targets are left as they were.
func RemoveTemps() {
	live.Lock()
	defer live.Unlock()
	for tmp := range live.files {
		os.Remove(tmp)
	}
}

// Commit moves the finished file src over dst, durably: it syncs src, renames it
// and syncs dst's directory. It is for files that must be written in place before
// they are complete, such as a download kept between runs to be resumed; any
// other file is better written with WriteAtomic. src and dst must be in the same
// directory (or at least on the same file system). On an error src is left where
// it was, so that the caller can retry or resume. Errors are returned as they
// are, as WriteAtomic returns them.
func Commit(src, dst string) error {
	f, err := os.OpenFile(src, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(src, dst); err != nil {
		return err
	}
	syncDir(filepath.Dir(dst))
	return nil
}

// syncDir makes a rename in dir durable. Not every system can sync a directory
// (Windows cannot open one for it), and the file is complete and in place either
// way, so a failure here is not reported.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
