package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/nlp-go/nlp/internal/plots"
	"github.com/nlp-go/nlp/train"
)

// plotFlag is the --plot flag of every train command (the loss and the dev
// scores per epoch) and every eval command with classes (the confusion
// matrix). The format is checked before the command runs, so that an hour of
// training does not end in "unsupported format".
func plotFlag(what string) *cli.StringFlag {
	return &cli.StringFlag{
		Name:  "plot",
		Usage: "draw " + what + " to `FILE` (png, svg or pdf, from the extension)",
		Action: func(_ *cli.Context, path string) error {
			switch ext := strings.ToLower(filepath.Ext(path)); ext {
			case ".png", ".svg", ".pdf":
				return nil
			default:
				return fmt.Errorf("--plot %s: want a .png, .svg or .pdf file", path)
			}
		},
	}
}

// plotTraining draws a run's evaluations to --plot, when it is given.
func plotTraining(c *cli.Context, title string, evals []train.Eval) error {
	path := c.String("plot")
	if path == "" {
		return nil
	}
	if err := plots.Training(path, title, evals); err != nil {
		return fmt.Errorf("--plot: %w", err)
	}
	return nil
}

// plotConfusion draws a confusion matrix to --plot, when it is given.
func plotConfusion(c *cli.Context, title string, labels []string, counts [][]int) error {
	path := c.String("plot")
	if path == "" {
		return nil
	}
	if err := plots.Confusion(path, title, labels, counts); err != nil {
		return fmt.Errorf("--plot: %w", err)
	}
	return nil
}
