package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/nlp-go/nlp/internal/buildinfo"
)

func init() { register(versionCmd()) }

func versionCmd() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the version, VCS commit and build date (also: nlp --version)",
		Description: "The version is the one `make build` stamps (git describe --tags --always --dirty), or the module\n" +
			"version Go records (go install ...@v1.2.3), or \"(devel)\"; the commit and its time are those Go records\n" +
			"from the VCS. Model files record the version that wrote them (nlp_version in their metadata).",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "one JSON object"}},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return fmt.Errorf("version: takes no arguments, got %q", c.Args().First())
			}
			info := buildinfo.Read()
			if c.Bool("json") {
				return json.NewEncoder(c.App.Writer).Encode(info)
			}
			printVersion(c.App.Writer, info)
			return nil
		},
	}
}

// printVersion writes info as `nlp version` and `nlp --version` show it.
func printVersion(w io.Writer, info buildinfo.Info) {
	fmt.Fprintf(w, "nlp %s\n", info.Version)
	if info.Commit != "" {
		mod := ""
		if info.Modified {
			mod = " (modified)"
		}
		fmt.Fprintf(w, "commit:     %s%s\n", info.Commit, mod)
	}
	if info.Time != "" {
		fmt.Fprintf(w, "committed:  %s\n", info.Time)
	}
	if info.BuildDate != "" {
		fmt.Fprintf(w, "built:      %s\n", info.BuildDate)
	}
	fmt.Fprintf(w, "go:         %s %s\n", info.Go, info.Platform)
}
