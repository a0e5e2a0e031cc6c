package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// commandPaths returns every command of the app by path ("tag train"), with
// the command, the help command left out.
func commandPaths(app *cli.App) map[string]*cli.Command {
	out := map[string]*cli.Command{}
	var walk func(prefix string, cmds []*cli.Command)
	walk = func(prefix string, cmds []*cli.Command) {
		for _, c := range cmds {
			if c.Name == "help" {
				continue
			}
			path := strings.TrimSpace(prefix + " " + c.Name)
			out[path] = c
			walk(path, c.Subcommands)
		}
	}
	walk("", app.Commands)
	return out
}

// TestHelpExamples checks that every command's --help ends with an EXAMPLES
// section, that every example runs the command it illustrates, that every
// --flag an example uses is one of that command's flags, and that the table
// names no command that does not exist.
func TestHelpExamples(t *testing.T) {
	paths := commandPaths(newApp())
	paths[""] = &cli.Command{Flags: []cli.Flag{&cli.BoolFlag{Name: "version"}}}
	for path := range paths {
		args := append(strings.Fields(path), "--help")
		out, err := runCLI(t, args...)
		if err != nil {
			t.Errorf("nlp %s --help: %v", path, err)
			continue
		}
		_, section, ok := strings.Cut(out, "\nEXAMPLES:\n")
		if !ok || len(examples[path]) == 0 {
			t.Errorf("nlp %s --help has no EXAMPLES section:\n%s", path, out)
			continue
		}
		for _, ex := range examples[path] {
			if !strings.Contains(section, ex) {
				t.Errorf("nlp %s --help lacks the example %q", path, ex)
			}
			code, _, _ := strings.Cut(ex, "#")
			// The command line: from "nlp" on, up to a redirection or the end;
			// the command it runs is the longest path its first words spell.
			i := strings.Index(code, "nlp ")
			if i < 0 {
				t.Errorf("%s: the example %q does not run nlp", path, ex)
				continue
			}
			words := strings.Fields(code[i:])[1:]
			run, rest := "", words
			for len(rest) > 0 {
				next := strings.TrimSpace(run + " " + rest[0])
				if _, ok := paths[next]; !ok || next == "" {
					break
				}
				run, rest = next, rest[1:]
			}
			if run != path && !strings.HasPrefix(run, path+" ") && path != "" && !(path == "version" && run == "") {
				t.Errorf("%s: the example %q runs nlp %s", path, ex, run)
				continue
			}
			for _, w := range rest {
				if w == ">" || w == "<" || w == "|" || w == ")" {
					break
				}
				if !strings.HasPrefix(w, "--") || w == "--help" {
					continue
				}
				name := strings.TrimPrefix(w, "--")
				found := false
				for _, f := range paths[run].Flags {
					for _, n := range f.Names() {
						found = found || n == name
					}
				}
				if !found {
					t.Errorf("example %q: nlp %s has no flag %s", ex, run, w)
				}
			}
		}
	}
	for path := range examples {
		if _, ok := paths[path]; !ok {
			t.Errorf("examples for %q, which is no command", path)
		}
	}
}

// TestRequiredFlagsMarked checks that the help marks every required flag.
func TestRequiredFlagsMarked(t *testing.T) {
	n := 0
	for path, cmd := range commandPaths(newApp()) {
		out, err := runCLI(t, append(strings.Fields(path), "--help")...)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range cmd.Flags {
			r, ok := f.(cli.RequiredFlag)
			if !ok || !r.IsRequired() {
				continue
			}
			n++
			line := ""
			for _, l := range strings.Split(out, "\n") {
				if strings.HasPrefix(strings.TrimSpace(l), "--"+f.Names()[0]+" ") {
					line = l
				}
			}
			if !strings.Contains(line, "(required") {
				t.Errorf("nlp %s --help: --%s is required but its line says not: %q", path, f.Names()[0], line)
			}
			if strings.Count(line, "required") > 1 {
				t.Errorf("nlp %s --help: --%s marked twice: %q", path, f.Names()[0], line)
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d required flags found", n)
	}
}

// TestUnknownCommand checks the answer to a mistyped command or subcommand:
// an error (a non-zero exit) naming the closest command, or none if nothing
// is close, and the help when no command is given.
func TestUnknownCommand(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"tagg"}, `unknown command "tagg"; did you mean "tag"?`},
		{[]string{"tga", "file.txt"}, `unknown command "tga"; did you mean "tag"?`},
		{[]string{"clasify"}, `did you mean "classify"?`},
		{[]string{"pipe"}, `did you mean "pipeline"?`},
		{[]string{"embed", "trian"}, `unknown command "embed trian"; did you mean "embed train"?`},
		{[]string{"datasets", "stat"}, `did you mean "datasets stats"?`},
		{[]string{"xyzzy"}, `unknown command "xyzzy" (nlp --help lists the commands)`},
	} {
		out, err := runCLI(t, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("nlp %v: error %v, want one saying %q (output %q)", tc.args, err, tc.want, out)
		}
		if strings.Contains(out, "No help topic") {
			t.Errorf("nlp %v: %q", tc.args, out)
		}
	}
	if _, err := runCLI(t, "help", "tagg"); err == nil || !strings.Contains(err.Error(), `unknown command "tagg"; did you mean "tag"?`) {
		t.Errorf("nlp help tagg: %v", err)
	}
	if _, err := runCLI(t, "help", "tag", "trian"); err == nil || !strings.Contains(err.Error(), `did you mean "tag train"?`) {
		t.Errorf("nlp help tag trian: %v", err)
	}
	for _, args := range [][]string{{"help", "tag"}, {"help", "embed", "similar"}, {"h", "tag", "train"}} {
		out, err := runCLI(t, args...)
		path := strings.Join(args[1:], " ")
		if err != nil || !strings.HasPrefix(out, "NAME:\n   nlp "+path+" - ") || !strings.Contains(out, "OPTIONS:") ||
			!strings.HasSuffix(out, "EXAMPLES:\n   "+strings.Join(examples[path], "\n   ")+"\n") {
			t.Errorf("nlp %v: %v, want the help of nlp %s:\n%s", args, err, path, out)
		}
	}
	if out, _ := runCLI(t, "help", "tag"); !strings.Contains(out, "COMMANDS:\n   train") {
		t.Errorf("nlp help tag lists no subcommands:\n%s", out)
	}
	// A command that reads a FILE where its subcommands go: the error on the
	// missing file names the subcommand meant.
	if _, err := runCLI(t, "tag", "trian"); err == nil || !strings.Contains(err.Error(), `did you mean "tag train"?`) {
		t.Errorf("nlp tag trian: %v", err)
	}
	if _, err := runCLI(t, "tag", "no-such-file.txt"); err == nil || strings.Contains(err.Error(), "did you mean") {
		t.Errorf("nlp tag no-such-file.txt: %v", err)
	}
	if err, _ := runCLI(t, "xyzzy"); strings.Contains(err, "did you mean") {
		t.Errorf("nlp xyzzy suggests a command: %s", err)
	}
	for _, args := range [][]string{nil, {"embed"}} {
		out, err := runCLI(t, args...)
		if err != nil || !strings.Contains(out, "COMMANDS:") {
			t.Errorf("nlp %v: %v, want the help:\n%s", args, err, out)
		}
	}
}

func TestClosestCommand(t *testing.T) {
	cmds := []*cli.Command{{Name: "tag"}, {Name: "translate"}, {Name: "train"}, {Name: "help"}, {Name: "eval", Aliases: []string{"score"}}}
	for name, want := range map[string]string{
		"tag": "tag", "tagg": "tag", "gat": "", "trans": "translate", "trian": "train", "sore": "score",
		"TAG": "tag", "evl": "eval", "x": "", "": "", "hel": "", "translat": "translate", "trainer": "train",
	} {
		if got := closestCommand(name, cmds); got != want {
			t.Errorf("closestCommand(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestCompletion checks nlp completion: a script for each shell that asks
// nlp --generate-bash-completion, an error for another shell, and that the
// completion it asks for lists the commands and a command's subcommands.
func TestCompletion(t *testing.T) {
	for shell, want := range map[string]string{
		"bash": "complete -o bashdefault -o default -F _nlp_complete nlp",
		"zsh":  "#compdef nlp",
		"fish": "complete -c nlp -a '(__nlp_complete)'",
	} {
		out, err := runCLI(t, "completion", shell)
		if err != nil || !strings.Contains(out, want) || !strings.Contains(out, "--generate-bash-completion") {
			t.Errorf("nlp completion %s: %v\n%s", shell, err, out)
		}
		// The script parses, where the shell is installed.
		check := map[string][]string{"bash": {"bash", "-n"}, "zsh": {"zsh", "-n"}, "fish": {"fish", "--no-execute"}}[shell]
		if _, err := exec.LookPath(check[0]); err == nil {
			cmd := exec.Command(check[0], check[1:]...)
			cmd.Stdin = strings.NewReader(out)
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s does not parse the script: %v\n%s", shell, err, b)
			}
		}
	}
	for _, args := range [][]string{{"completion"}, {"completion", "powershell"}, {"completion", "bash", "zsh"}} {
		if _, err := runCLI(t, args...); err == nil {
			t.Errorf("nlp %v: no error", args)
		}
	}
	// urfave/cli reads the word before --generate-bash-completion from
	// os.Args, as it is in the binary.
	defer func(args []string) { os.Args = args }(os.Args)
	os.Args = []string{"nlp", "--generate-bash-completion"}
	out, err := runCLI(t, "--generate-bash-completion")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"tag", "classify", "pipeline", "completion", "version"} {
		if !strings.Contains("\n"+out, "\n"+want+"\n") {
			t.Errorf("completion of nlp lacks %q:\n%s", want, out)
		}
	}
	os.Args = []string{"nlp", "embed", "--generate-bash-completion"}
	out, err = runCLI(t, "embed", "--generate-bash-completion")
	if err != nil || !strings.Contains(out, "similar\n") {
		t.Errorf("completion of nlp embed: %v\n%s", err, out)
	}
}
