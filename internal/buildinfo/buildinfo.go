// Package buildinfo says which version of nlp is running: the version
// `make build` stamps with -ldflags (from `git describe --tags --always
// --dirty`), or else the module version Go records in the binary
// (runtime/debug.ReadBuildInfo), with the VCS commit and its time.
//
// Unstamped builds and every `go test` binary report "(devel)", so that what
// is written with the version (nn.Save puts it in every model file) is the
// same from run to run in tests.
package buildinfo

import (
	"runtime"
	"runtime/debug"
)

// ModulePath is the module whose version is reported.
const ModulePath = "github.com/nlp-go/nlp"

// Devel is the version of a build that has none: a `go build` or `go test`
// outside a tagged release, without -ldflags.
const Devel = "(devel)"

// Set by the linker: go build -ldflags "-X github.com/nlp-go/nlp/internal/buildinfo.version=v1.2.3
// -X github.com/nlp-go/nlp/internal/buildinfo.date=2026-12-05T07:00:00Z" (make build does).
// The commit is stamped too, for the builds where Go records no VCS
// information (-buildvcs=false, a git worktree, a tree copied without .git).
var (
	version string
	date    string
	commit  string
)

// readBuildInfo is debug.ReadBuildInfo, replaced in tests.
var readBuildInfo = debug.ReadBuildInfo

// Info describes the running build.
type Info struct {
	Version   string `json:"version"`               // "v0.3.0", "v0.3.0-2-gabc1234-dirty", a pseudo-version or "(devel)"
	Commit    string `json:"commit,omitempty"`      // the VCS revision, when Go recorded one
	Time      string `json:"commit_time,omitempty"` // the commit's time (RFC 3339)
	Modified  bool   `json:"modified,omitempty"`    // built from a tree with uncommitted changes
	BuildDate string `json:"build_date,omitempty"`  // stamped by make build
	Go        string `json:"go"`                    // the Go release that built it
	Platform  string `json:"platform"`              // GOOS/GOARCH
}

// Read returns the build's Info.
func Read() Info {
	info := Info{Version: Version(), BuildDate: date, Commit: commit, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := readBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				info.Commit = s.Value
			case "vcs.time":
				info.Time = s.Value
			case "vcs.modified":
				info.Modified = s.Value == "true"
			}
		}
	}
	return info
}

// Version returns the version of nlp in this binary: the one stamped by
// -ldflags, else the version Go recorded for the module (the main module's,
// or that of the dependency when nlp is a library of another program), else
// Devel.
func Version() string {
	if version != "" {
		return version
	}
	bi, ok := readBuildInfo()
	if !ok {
		return Devel
	}
	mod := &bi.Main
	if mod.Path != ModulePath {
		mod = nil
		for _, d := range bi.Deps {
			if d.Path == ModulePath {
				mod = d
				if d.Replace != nil {
					mod = d.Replace
				}
				break
			}
		}
	}
	if mod == nil || mod.Version == "" {
		return Devel
	}
	return mod.Version
}
