package main

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/nlp-go/nlp/classify"
	"github.com/nlp-go/nlp/embed"
	"github.com/nlp-go/nlp/generate"
	"github.com/nlp-go/nlp/tagger"
	"github.com/nlp-go/nlp/translate"
)

// TestFlagDefaults checks that the default each command's help shows for a
// flag is the default its package's Config applies: every flag named after a
// Config field (word-dim for WordDim, min-count for MinCount) is compared with
// that field of Config{}.WithDefaults().
func TestFlagDefaults(t *testing.T) {
	configs := map[string]any{
		"tag train":       tagger.Config{}.WithDefaults(),
		"classify train":  classify.Config{}.WithDefaults(),
		"generate train":  generate.Config{}.WithDefaults(),
		"generate":        generate.SampleConfig{}.WithDefaults(),
		"embed train":     embed.Config{}.WithDefaults(),
		"translate train": translate.Config{}.WithDefaults(),
		"translate":       translate.DecodeOptions{}.WithDefaults(),
		"translate eval":  translate.DecodeOptions{}.WithDefaults(),
	}
	// Flags whose name is not their field's.
	aliases := map[string]string{"batch": "batchsize"}
	// Flags whose default is the command line's own choice, not the Config's.
	own := map[string]string{
		"seed":                 "a Config has no default seed (0 is one); the command line uses cliSeed",
		"generate lines":       "the command line samples ten lines where the library samples one",
		"generate temperature": "the command line samples a little colder (0.8) than the model's distribution",
		"embed train threads":  "the command line uses every CPU where the library uses one thread, reproducibly",
		"classify train embed-lr": "a rule, not a number: --lr, or --lr/10 with word2vec (the help " +
			"derives the factor from classify.Config)",
	}

	seen := map[string]bool{}
	var walk func(prefix string, cmds []*cli.Command)
	walk = func(prefix string, cmds []*cli.Command) {
		for _, c := range cmds {
			path := strings.TrimSpace(prefix + " " + c.Name)
			walk(path, c.Subcommands)
			def, ok := configs[path]
			if !ok {
				if c.Name == "train" {
					t.Errorf("%s: a training command without its Config in this test", path)
				}
				continue
			}
			seen[path] = true
			fields := map[string]reflect.Value{}
			v := reflect.ValueOf(def)
			for i := range v.NumField() {
				fields[strings.ToLower(v.Type().Field(i).Name)] = v.Field(i)
			}
			checked := 0
			for _, f := range c.Flags {
				name := f.Names()[0]
				key := strings.ReplaceAll(name, "-", "")
				if a, ok := aliases[key]; ok {
					key = a
				}
				field, ok := fields[key]
				if !ok {
					continue
				}
				if _, ok := own[name]; ok {
					continue
				}
				if _, ok := own[path+" "+name]; ok {
					continue
				}
				got := helpDefault(t, f)
				want := fmt.Sprint(field.Interface())
				if field.Kind() == reflect.Slice && field.Len() == 0 {
					want = ""
				}
				if got != want {
					t.Errorf("%s --%s: the help says %q, %T.WithDefaults() %q", path, name, got, def, want)
				}
				checked++
			}
			if checked < 3 {
				t.Errorf("%s: only %d flags matched a Config field", path, checked)
			}
		}
	}
	walk("", newApp().Commands)
	for path := range configs {
		if !seen[path] {
			t.Errorf("no command %q", path)
		}
	}
}

// helpDefault returns the default the help shows for f: its value, or the
// first item of a DefaultText that goes on to say when another applies
// ("random, word2vec with --vectors").
func helpDefault(t *testing.T, f cli.Flag) string {
	t.Helper()
	df, ok := f.(cli.DocGenerationFlag)
	if !ok {
		t.Fatalf("--%s: no help text", f.Names()[0])
	}
	s := df.GetDefaultText()
	if _, ok := f.(*cli.StringFlag); ok && strings.HasPrefix(s, `"`) {
		u, err := strconv.Unquote(s)
		if err != nil {
			t.Fatalf("--%s: default %s: %v", f.Names()[0], s, err)
		}
		s = u
	}
	s, _, _ = strings.Cut(s, ", ")
	return s
}
