package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/urfave/cli/v2"

	"github.com/nlp-go/nlp/internal/script"
	"github.com/nlp-go/nlp/pipeline"
)

// languageFlag is the --language flag of the training commands: the
// language of the training text, recorded in the model file, which the
// commands that use the model compare with the script of their input.
func languageFlag() cli.Flag {
	return &cli.StringFlag{Name: "language", Usage: "`CODE`: the ISO 639-1 code of the training text's language (en, ru, de …), " +
		"recorded in the model so that tag, pipeline and classify warn of text in another script"}
}

// languageCode returns --language, checked: two or three lower-case letters, or "".
func languageCode(c *cli.Context, cmd string) (string, error) {
	code := c.String("language")
	if code == "" {
		return "", nil
	}
	ok := len(code) == 2 || len(code) == 3
	for _, r := range code {
		ok = ok && r >= 'a' && r <= 'z'
	}
	if !ok {
		return "", fmt.Errorf("%s: --language must be an ISO 639-1 code such as en or ru, got %q", cmd, code)
	}
	return code, nil
}

// Letters a scriptCheck reads before it decides, and the fewest it decides
// on at the end of a shorter input.
const (
	scriptSample     = 1000
	scriptMinLetters = 10
)

// scriptCheck warns, once, on stderr when the text a command reads is mostly
// in a script the language of its model is not written in: Russian, in
// Cyrillic, into the English tagger gives tags that look fine and are not.
// It looks at the first scriptSample letters (or all of a shorter input, at
// done) and then at nothing more. Safe for concurrent use; a nil
// *scriptCheck (no model with a known language) does nothing.
type scriptCheck struct {
	cmd    string
	models []langModel
	w      io.Writer

	mu      sync.Mutex
	decided atomic.Bool // read without mu: the stage's fast path once decided
	letters script.Counter
}

// langModel is a model the text goes to: what it is ("tagger") and its language.
type langModel struct{ what, lang string }

// newScriptCheck returns the check for the models of command cmd, writing
// to w; nil when no model has a language whose script is known.
func newScriptCheck(cmd string, w io.Writer, models ...langModel) *scriptCheck {
	var known []langModel
	for _, m := range models {
		if _, ok := script.ForLanguage(m.lang); ok {
			known = append(known, m)
		}
	}
	if len(known) == 0 {
		return nil
	}
	return &scriptCheck{cmd: cmd, models: known, w: w}
}

// add looks at text, unless the check has decided already.
func (s *scriptCheck) add(text string) {
	if s == nil || s.decided.Load() {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.decided.Load() {
		return
	}
	s.letters.AddUpTo(text, scriptSample)
	if s.letters.Letters >= scriptSample {
		s.decide()
	}
}

// addDocument looks at the words of d, as add.
func (s *scriptCheck) addDocument(d *pipeline.Document) {
	if s == nil || s.decided.Load() {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sent := range d.Sentences {
		for _, t := range sent.Tokens {
			if s.decided.Load() {
				return
			}
			s.letters.AddUpTo(t.Form, scriptSample)
			if s.letters.Letters >= scriptSample {
				s.decide()
			}
		}
	}
}

// done decides on what was read, if the check has not yet.
func (s *scriptCheck) done() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.decided.Load() && s.letters.Letters >= scriptMinLetters {
		s.decide()
	}
	s.decided.Store(true)
}

// decide writes the warning if most letters are in scripts some model's
// language is not written in.
func (s *scriptCheck) decide() {
	s.decided.Store(true)
	dominant, share := s.letters.Dominant()
	// The models whose language the text does not fit, by language.
	var langs []string
	off := map[string][]string{}
	for _, m := range s.models {
		l, _ := script.ForLanguage(m.lang)
		if s.letters.Share(l.Scripts...) >= 0.5 {
			continue
		}
		if off[m.lang] == nil {
			langs = append(langs, m.lang)
		}
		off[m.lang] = append(off[m.lang], "the "+m.what)
	}
	if len(langs) == 0 {
		return
	}
	var parts []string
	for _, code := range langs {
		l, _ := script.ForLanguage(code)
		verb := "is"
		if len(off[code]) > 1 {
			verb = "are"
		}
		parts = append(parts, fmt.Sprintf("%s %s for %s (%s)", strings.Join(off[code], " and "), verb, l.Name, code))
	}
	which := "its"
	if s.letters.Letters >= scriptSample {
		which = "its first"
	}
	fmt.Fprintf(s.w, "%s: warning: the input is mostly %s letters (%.0f%% of %s %d letters), but %s: expect poor results\n",
		s.cmd, dominant, 100*share, which, s.letters.Letters, strings.Join(parts, ", and "))
}

// then returns next preceded by a stage that shows each document's words to
// the check and passes it on unchanged (next itself for a nil check).
func (s *scriptCheck) then(next pipeline.Stage[*pipeline.Document, *pipeline.Document]) pipeline.Stage[*pipeline.Document, *pipeline.Document] {
	if s == nil {
		return next
	}
	watch := pipeline.Map(func(_ context.Context, d *pipeline.Document) (*pipeline.Document, error) {
		s.addDocument(d)
		return d, nil
	})
	return pipeline.Then(watch, next)
}
