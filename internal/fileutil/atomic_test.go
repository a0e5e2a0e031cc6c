package fileutil

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
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

// TestWriteAtomicRemovesStale: temporary files of the same target left by a
// process that is gone (or, without an id, older than a day) are removed by
// the next write; those of a live process, of other targets and recent ones
// without an id are kept.
func TestWriteAtomicRemovesStale(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	// The id of a process that has exited.
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	dead := cmd.Process.Pid
	files := map[string]bool{ // name → kept
		fmt.Sprintf(".out.txt.tmp-%d-123", dead):         false,
		fmt.Sprintf(".out.txt.tmp-%d-456", os.Getppid()): true,
		".out.txt.tmp-789":                               true, // no id, recent
		".out.txt.tmp-old":                               false,
		fmt.Sprintf(".other.txt.tmp-%d-1", dead):         true,
	}
	for name := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-25 * time.Hour)
	os.Chtimes(filepath.Join(dir, ".out.txt.tmp-old"), old, old)
	if err := WriteAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	for name, kept := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if kept != (err == nil) {
			t.Errorf("%s: kept %v, want %v", name, err == nil, kept)
		}
	}
}

// TestWriteAtomicContext: a write cancelled midway fails with the context's
// error, removes its temporary file and leaves the target as it was.
func TestWriteAtomicContext(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(path, []byte("first"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	err := WriteAtomicContext(ctx, path, func(w io.Writer) error {
		for i := 0; ; i++ {
			if i == 1000 {
				cancel()
			}
			if _, err := io.WriteString(w, "line of text\n"); err != nil {
				return err
			}
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "first" {
		t.Errorf("content %q after a cancelled write", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the target", len(entries))
	}
}
