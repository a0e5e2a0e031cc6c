package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/nlp-go/nlp/internal/linescan"
)

// positionalArgs returns the positional arguments of c and applies the flags
// that follow them (urfave/cli stops parsing flags at the first argument), so
// that both "eval --json FILE" and "eval FILE --json" work. "-" and anything
// after "--" are positional; cmd names the command in errors.
func positionalArgs(c *cli.Context, cmd string) ([]string, error) {
	args := c.Args().Slice()
	var pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		var flag cli.Flag
		for _, f := range c.Command.Flags {
			for _, n := range f.Names() {
				if n == name {
					flag = f
				}
			}
		}
		if flag == nil {
			return nil, fmt.Errorf("%s: unknown flag %s", cmd, a)
		}
		if _, isBool := flag.(*cli.BoolFlag); isBool && !hasValue {
			value = "true"
		} else if !hasValue {
			if i+1 == len(args) {
				return nil, fmt.Errorf("%s: flag %s needs a value", cmd, a)
			}
			i++
			value = args[i]
		}
		if err := c.Set(name, value); err != nil {
			return nil, fmt.Errorf("%s: flag %s: %w", cmd, a, err)
		}
	}
	if err := checkSizes(c); err != nil {
		return nil, err
	}
	return pos, nil
}

// maxLineLimit is the largest --max-line accepted: 64 MiB, that of every line
// reader (linescan.MaxLineLimit). With long sentences tagged in windows, a
// sentence read from text costs about 300 bytes a token (a 5 MB line of 1M
// tokens: 290 MB peak in nlp tag), so the longest line bounds memory.
const maxLineLimit = linescan.MaxLineLimit

// maxLineFlag is the --max-line flag of every command that reads lines of
// user text: tag, pipeline, classify, the datasets, embed and generate
// readers, the training and evaluation commands.
func maxLineFlag() cli.Flag {
	return &cli.IntFlag{Name: "max-line", Value: linescan.DefaultMaxLine,
		Usage: "longest input line read (or paragraph, or JSON line), in bytes; a longer one is an error naming the file and line"}
}

// maxLine returns --max-line, checked.
func maxLine(c *cli.Context, cmd string) (int, error) {
	n := c.Int("max-line")
	if n < 1 || n > maxLineLimit {
		return 0, fmt.Errorf("%s: --max-line must be between 1 and %d, got %d", cmd, maxLineLimit, n)
	}
	return n, nil
}
