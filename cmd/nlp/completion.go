package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

func init() { register(completionCmd()) }

// The completion scripts ask nlp itself what may follow the words typed so
// far: urfave/cli answers `nlp WORDS... --generate-bash-completion` with the
// subcommands of the last command, or its flags when the word being completed
// starts with "-". Where it has nothing to offer (a FILE argument), the shells
// complete file names.
const (
	bashCompletion = `# bash completion for nlp: source <(nlp completion bash)
_nlp_complete() {
	local cur opts
	COMPREPLY=()
	cur="${COMP_WORDS[COMP_CWORD]}"
	if [[ "$cur" == -* ]]; then
		opts=$("${COMP_WORDS[@]:0:$COMP_CWORD}" "$cur" --generate-bash-completion 2>/dev/null)
	else
		opts=$("${COMP_WORDS[@]:0:$COMP_CWORD}" --generate-bash-completion 2>/dev/null)
	fi
	COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	return 0
}
complete -o bashdefault -o default -F _nlp_complete nlp
`
	zshCompletion = `#compdef nlp
# zsh completion for nlp: nlp completion zsh > "${fpath[1]}/_nlp" (or source <(nlp completion zsh))
_nlp() {
	local -a opts
	local cur=${words[-1]}
	if [[ "$cur" == -* ]]; then
		opts=("${(@f)$(${words[@]:0:#words[@]-1} "$cur" --generate-bash-completion 2>/dev/null)}")
	else
		opts=("${(@f)$(${words[@]:0:#words[@]-1} --generate-bash-completion 2>/dev/null)}")
	fi
	if [[ -n "${opts[1]}" ]]; then
		_describe 'nlp' opts
	else
		_files
	fi
}
if [[ "$funcstack[1]" == "_nlp" ]]; then
	_nlp "$@"
else
	compdef _nlp nlp
fi
`
	fishCompletion = `# fish completion for nlp: nlp completion fish > ~/.config/fish/completions/nlp.fish
function __nlp_complete
	set -l words (commandline -opc)
	set -l cur (commandline -ct)
	if string match -q -- '-*' $cur
		$words $cur --generate-bash-completion 2>/dev/null
	else
		$words --generate-bash-completion 2>/dev/null
	end
end
complete -c nlp -a '(__nlp_complete)'
`
)

// completionScripts are the scripts by shell.
var completionScripts = map[string]string{"bash": bashCompletion, "zsh": zshCompletion, "fish": fishCompletion}

func completionCmd() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script for commands and flags: nlp completion bash|zsh|fish",
		ArgsUsage: "bash|zsh|fish",
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return fmt.Errorf("completion: want one shell, bash, zsh or fish, got %d arguments", c.NArg())
			}
			script, ok := completionScripts[c.Args().First()]
			if !ok {
				return fmt.Errorf("completion: unknown shell %q: bash, zsh or fish", c.Args().First())
			}
			_, err := fmt.Fprint(c.App.Writer, script)
			return err
		},
	}
}
