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
	"io"
	"io/fs"
	"os"
	"path/filepath"
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
// Errors are returned as they are: write's own, or the *fs.PathError of the
// step that failed (naming the temporary file); the caller adds what it was
// writing, as it does for any other error.
//
// A new file gets mode 0644; a file that already exists keeps its permission bits,
// so replacing a file someone made private does not expose it.
func WriteAtomic(path string, write func(w io.Writer) error) (err error) {
	perm := defaultPerm
	if fi, serr := os.Stat(path); serr == nil && fi.Mode().IsRegular() {
		perm = fi.Mode().Perm()
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	done := false
	// A deferred cleanup rather than one at each return, so that a panic in
	// write (a bug in a caller) does not leave the temporary file behind either.
	defer func() {
		if !done {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, bufSize)
	if err = write(bw); err != nil {
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
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	done = true
	syncDir(dir)
	return nil
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
