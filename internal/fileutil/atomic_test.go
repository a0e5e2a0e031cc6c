package fileutil

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := WriteAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, "first"); return err }); err != nil {
		t.Fatal(err)
	}
	// A failing writer leaves the previous content and no temporary file.
	boom := errors.New("boom")
	err := WriteAtomic(path, func(w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v does not wrap the writer's error", err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "first" {
		t.Fatalf("content %q after a failed write, want %q", got, "first")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("directory holds %d entries, want only the target", len(entries))
	}
	if err := WriteAtomic(filepath.Join(dir, "no", "such", "dir", "x"), func(io.Writer) error { return nil }); err == nil {
		t.Fatal("writing into a missing directory succeeded")
	}
}

func TestWriteAtomicPanic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(path, []byte("first"), 0o644); err != nil {
		t.Fatal(err)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the writer's panic was swallowed")
			}
		}()
		WriteAtomic(path, func(w io.Writer) error {
			io.WriteString(w, "half")
			panic("bug")
		})
	}()
	got, _ := os.ReadFile(path)
	if string(got) != "first" {
		t.Fatalf("content %q after a panicking write, want %q", got, "first")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("directory holds %d entries after a panic, want only the target", len(entries))
	}
}

func TestWriteAtomicMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "new.txt")
	write := func(w io.Writer) error { _, err := io.WriteString(w, "x"); return err }
	if err := WriteAtomic(path, write); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Fatalf("new file: mode %v, err %v; want 0644", fi.Mode(), err)
	}
	// Replacing a private file keeps it private.
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteAtomic(path, write); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("replaced file: mode %v, err %v; want 0600", fi.Mode(), err)
	}
}

func TestCommit(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "f.part"), filepath.Join(dir, "f")
	if err := os.WriteFile(src, []byte("done"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Commit(src, dst); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(dst); err != nil || string(got) != "done" {
		t.Fatalf("dst %q, %v", got, err)
	}
	if _, err := os.Stat(src); !os.IsNotExist(err) {
		t.Fatalf("src still there: %v", err)
	}
	// A missing source is an error and creates nothing.
	if err := Commit(src, dst+"2"); err == nil {
		t.Fatal("committing a missing file succeeded")
	}
}
