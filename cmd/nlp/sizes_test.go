package main

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// TestSizeFlagMaxima checks every numeric flag of every command: it has a
// documented maximum (sizeMaxima), its help states it, its default is within
// it, and the command given the maximum plus one fails before doing anything,
// with an error naming the flag and the maximum, whether the flag comes before
// or after the command's arguments.
func TestSizeFlagMaxima(t *testing.T) {
	checked := 0
	var walk func(path []string, cmds []*cli.Command)
	walk = func(path []string, cmds []*cli.Command) {
		for _, c := range cmds {
			p := append(append([]string{}, path...), c.Name)
			walk(p, c.Subcommands)
			var required []string
			for _, f := range c.Flags {
				if rf, ok := f.(cli.RequiredFlag); ok && rf.IsRequired() {
					required = append(required, "--"+f.Names()[0], "x")
				}
			}
			for _, f := range c.Flags {
				var usage string
				var def int64
				switch f := f.(type) {
				case *cli.IntFlag:
					usage, def = f.Usage, int64(f.Value)
				case *cli.Int64Flag:
					usage, def = f.Usage, f.Value
				default:
					continue // seeds (uint64) are not sizes; floats and strings have their own checks
				}
				name := f.Names()[0]
				where := strings.Join(p, " ") + " --" + name
				max, ok := sizeMax(strings.Join(p, " "), name)
				if !ok {
					t.Errorf("%s: a numeric flag without a maximum in sizeMaxima", where)
					continue
				}
				if !strings.Contains(usage, fmt.Sprintf("(at most %d)", max)) {
					t.Errorf("%s: the help %q does not state the maximum %d", where, usage, max)
				}
				if def > max {
					t.Errorf("%s: default %d above the maximum %d", where, def, max)
				}
				over := strconv.FormatInt(max+1, 10)
				runs := [][]string{append(append(append([]string{}, p...), required...), "--"+name, over, "ARG")}
				if strings.TrimSpace(c.ArgsUsage) != "" {
					// A command taking arguments reads flags after them too.
					runs = append(runs, append(append(append([]string{}, p...), required...), "ARG", "--"+name, over))
				}
				for _, args := range runs {
					_, err := runCLI(t, args...)
					if err == nil || !strings.Contains(err.Error(), "--"+name) || !strings.Contains(err.Error(), strconv.FormatInt(max, 10)) ||
						!strings.Contains(err.Error(), "at most") {
						t.Errorf("nlp %s: error %v, want one naming --%s and its maximum %d", strings.Join(args, " "), err, name, max)
					}
				}
				checked++
			}
		}
	}
	walk(nil, newApp().Commands)
	if checked < 50 {
		t.Errorf("only %d numeric flags checked", checked)
	}
}
