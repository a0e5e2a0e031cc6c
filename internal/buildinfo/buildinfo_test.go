package buildinfo

import (
	"runtime/debug"
	"testing"
)

func fake(bi *debug.BuildInfo) func() (*debug.BuildInfo, bool) {
	return func() (*debug.BuildInfo, bool) { return bi, bi != nil }
}

func TestVersion(t *testing.T) {
	defer func(r func() (*debug.BuildInfo, bool)) { readBuildInfo = r }(readBuildInfo)
	for _, tc := range []struct {
		name    string
		stamped string
		bi      *debug.BuildInfo
		want    string
	}{
		{"no build info", "", nil, Devel},
		{"go test", "", &debug.BuildInfo{Main: debug.Module{Path: ModulePath, Version: Devel}}, Devel},
		{"empty main version", "", &debug.BuildInfo{Main: debug.Module{Path: ModulePath}}, Devel},
		{"go install @v1.2.0", "", &debug.BuildInfo{Main: debug.Module{Path: ModulePath, Version: "v1.2.0"}}, "v1.2.0"},
		{"library of another program", "", &debug.BuildInfo{Main: debug.Module{Path: "example.com/app", Version: "v9.9.9"},
			Deps: []*debug.Module{{Path: "gonum.org/v1/gonum", Version: "v0.17.0"}, {Path: ModulePath, Version: "v0.4.1"}}}, "v0.4.1"},
		{"replaced dependency", "", &debug.BuildInfo{Main: debug.Module{Path: "example.com/app"},
			Deps: []*debug.Module{{Path: ModulePath, Version: "v0.4.1", Replace: &debug.Module{Path: "../nlp", Version: ""}}}}, Devel},
		{"stamped by make build", "v0.3.0-2-gabc1234-dirty", &debug.BuildInfo{Main: debug.Module{Path: ModulePath, Version: "v0.3.0"}}, "v0.3.0-2-gabc1234-dirty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func(v string) { version = v }(version)
			version = tc.stamped
			readBuildInfo = fake(tc.bi)
			if got := Version(); got != tc.want {
				t.Errorf("Version() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestReadVCS(t *testing.T) {
	defer func(r func() (*debug.BuildInfo, bool)) { readBuildInfo = r }(readBuildInfo)
	readBuildInfo = fake(&debug.BuildInfo{Main: debug.Module{Path: ModulePath, Version: Devel}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "14412d4abc"}, {Key: "vcs.time", Value: "2026-12-05T07:00:00Z"}, {Key: "vcs.modified", Value: "true"}}})
	info := Read()
	if info.Commit != "14412d4abc" || info.Time != "2026-12-05T07:00:00Z" || !info.Modified || info.Version != Devel || info.Go == "" || info.Platform == "" {
		t.Errorf("Read() = %+v", info)
	}
}

// TestTestBinaryIsDevel pins what the golden tests rely on: a test binary,
// unstamped, reports Devel, so that the version nn.Save writes into every
// model file does not change the files' hashes from one commit to the next.
func TestTestBinaryIsDevel(t *testing.T) {
	if version != "" {
		t.Skip("stamped with -ldflags")
	}
	if got := Version(); got != Devel {
		t.Errorf("Version() in a test binary = %q, want %q", got, Devel)
	}
}
