package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlp-go/nlp/classify"
	"github.com/nlp-go/nlp/tagger"
)

// russian is a few lines of Russian: Cyrillic letters, with a Latin word.
const russian = "Мама мыла раму. Он пошёл домой и лёг спать.\nВчера в Москве шёл снег, а сегодня светит солнце.\nЭто тест на OK.\n"

// TestScriptWarning checks the warning of tag, pipeline and classify when
// the input is mostly in a script the model's language is not written in:
// once (however long the input, read in several batches), on stderr, naming
// the script and the models; never for English into the English models, nor
// for text too short to judge.
func TestScriptWarning(t *testing.T) {
	long := strings.Repeat(russian, 200) // far more than scriptSample letters, several batches
	for _, tc := range []struct {
		name, stdin string
		args        []string
		want        string // "" for no warning
	}{
		{"tag Russian", russian, []string{"tag", "-"}, "tag: warning: the input is mostly Cyrillic letters (9"},
		{"tag long Russian", long, []string{"tag", "-"}, "of its first 1000 letters), but the tagger is for English (en): expect poor results"},
		{"pipeline Russian", russian, []string{"pipeline", "-"}, "but the tagger and the classifier are for English (en)"},
		{"pipeline CoNLL-U", "1\tМама\t_\t_\t_\t_\t_\t_\t_\t_\n2\tмыла\t_\t_\t_\t_\t_\t_\t_\t_\n3\tраму\t_\t_\t_\t_\t_\t_\t_\t_\n\n",
			[]string{"pipeline", "--input", "conllu", "-"}, "pipeline: warning: the input is mostly Cyrillic letters (100% of its 12 letters)"},
		{"classify Russian", russian, []string{"classify", "-"}, "classify: warning: the input is mostly Cyrillic letters"},
		{"classify argument", "", []string{"classify", "Ужасно скучный фильм"}, "but the classifier is for English (en)"},
		{"tag English", "The cat sat on the mat. It was happy.\n", []string{"tag", "-"}, ""},
		{"pipeline English with a Russian name", "Dostoevsky wrote Преступление и наказание in 1866, a long novel about guilt.\n",
			[]string{"pipeline", "-"}, ""},
		{"classify too short", "", []string{"classify", "Да"}, ""},
		{"tag Greek", "Η γάτα κάθεται στο χαλί.\n", []string{"tag", "-"}, "mostly Greek letters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runCLIWithInput(t, tc.stdin, tc.args...)
			if err != nil {
				t.Fatalf("nlp %v: %v\n%s", tc.args, err, out)
			}
			n := strings.Count(out, "warning:")
			if tc.want == "" {
				if n != 0 {
					t.Errorf("nlp %v warned:\n%s", tc.args, warningLine(out))
				}
				return
			}
			if n != 1 || !strings.Contains(out, tc.want) {
				t.Errorf("nlp %v: %d warnings, want one saying %q:\n%s", tc.args, n, tc.want, warningLine(out))
			}
		})
	}
}

// warningLine returns the lines of out that hold "warning:", or all of a short out.
func warningLine(out string) string {
	var w []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "warning:") {
			w = append(w, l)
		}
	}
	if len(w) == 0 && len(out) < 2000 {
		return out
	}
	return strings.Join(w, "\n")
}

// TestModelLanguage trains a tiny classifier and a tiny tagger with
// --language and checks that their files carry it, that the commands then
// judge the text by that language (Russian text into a Russian model: no
// warning; English into it: a warning), and that a bad code is refused.
func TestModelLanguage(t *testing.T) {
	dir := t.TempDir()
	cls := filepath.Join(dir, "ru.classifier")
	out, err := runCLI(t, "classify", "train", "--train", filepath.Join(classifyTestdata, "sst2-train.txt"),
		"--dev", filepath.Join(classifyTestdata, "sst2-dev.txt"), "--hidden", "4", "--epochs", "1", "--quiet",
		"--language", "ru", "--out", cls)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	m, err := classify.Load(cls)
	if err != nil || m.Language != "ru" {
		t.Fatalf("classify.Load: language %q, %v", m.Language, err)
	}
	if out, _ := runCLIWithInput(t, russian, "classify", "--model", cls, "-"); strings.Contains(out, "warning:") {
		t.Errorf("Russian into a Russian model warned:\n%s", warningLine(out))
	}
	out, _ = runCLI(t, "classify", "--model", cls, "The film is long and dull, and nobody should see it.")
	if !strings.Contains(out, "mostly Latin letters") || !strings.Contains(out, "the classifier is for Russian (ru)") {
		t.Errorf("English into a Russian model:\n%s", out)
	}

	tag := filepath.Join(dir, "ru.tagger")
	data := "../../tagger/testdata/ewt-dev-small.conllu"
	out, err = runCLI(t, "tag", "train", "--train", data, "--dev", data, "--hidden", "4", "--word-dim", "4", "--char-hidden", "4",
		"--epochs", "1", "--quiet", "--language", "ru", "--out", tag)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	tm, err := tagger.Load(tag)
	if err != nil || tm.Language() != "ru" {
		t.Fatalf("tagger.Load: language %q, %v", tm.Language(), err)
	}
	if out, _ := runCLIWithInput(t, russian, "tag", "--model", tag, "-"); strings.Contains(out, "warning:") {
		t.Errorf("Russian into a Russian tagger warned:\n%s", warningLine(out))
	}
	// An ensemble of two Russian models is Russian; with the English one, of no one language.
	if out, _ := runCLIWithInput(t, russian, "tag", "-m", tag, "-m", tag, "-"); strings.Contains(out, "warning:") {
		t.Errorf("Russian into a Russian ensemble warned:\n%s", warningLine(out))
	}

	for _, bad := range []string{"english", "EN", "e1", "x"} {
		if _, err := runCLI(t, "classify", "train", "--train", filepath.Join(classifyTestdata, "sst2-train.txt"),
			"--language", bad, "--out", filepath.Join(dir, "bad.model")); err == nil || !strings.Contains(err.Error(), "--language") {
			t.Errorf("--language %q: %v", bad, err)
		}
	}
}
