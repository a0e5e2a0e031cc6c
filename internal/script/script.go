// Package script tells which writing system a text is in, from its letters,
// and which a language is written in: enough to warn that a text does not
// match a model's language (Russian into the English tagger), never to
// identify the language itself (English and German share the Latin script).
package script

import (
	"sort"
	"unicode"
)

// Scripts recognised, by their Unicode names.
var tables = []struct {
	name  string
	table *unicode.RangeTable
}{
	{"Latin", unicode.Latin}, {"Cyrillic", unicode.Cyrillic}, {"Greek", unicode.Greek},
	{"Arabic", unicode.Arabic}, {"Hebrew", unicode.Hebrew}, {"Han", unicode.Han},
	{"Hiragana", unicode.Hiragana}, {"Katakana", unicode.Katakana}, {"Hangul", unicode.Hangul},
	{"Devanagari", unicode.Devanagari}, {"Bengali", unicode.Bengali}, {"Tamil", unicode.Tamil},
	{"Thai", unicode.Thai}, {"Armenian", unicode.Armenian}, {"Georgian", unicode.Georgian},
	{"Ethiopic", unicode.Ethiopic},
}

// Other is the script of a letter in none of the scripts above.
const Other = "Other"

// Of returns the script of the letter r, Other for a letter of another
// script, and "" for anything that is not a letter (digits, punctuation,
// spaces, symbols), which says nothing of the language.
func Of(r rune) string {
	if !unicode.IsLetter(r) {
		return ""
	}
	if r < 0x80 {
		return "Latin"
	}
	for _, t := range tables {
		if unicode.Is(t.table, r) {
			return t.name
		}
	}
	return Other
}

// Counter counts the letters of texts by script. The zero value is ready.
type Counter struct {
	Letters int // letters counted
	counts  map[string]int
}

// Add counts the letters of s.
func (c *Counter) Add(s string) { c.AddUpTo(s, -1) }

// AddUpTo counts the letters of s until Letters reaches limit (no limit when
// negative), so that a sample is exactly limit letters whatever the lengths
// of the texts it is drawn from.
func (c *Counter) AddUpTo(s string, limit int) {
	for _, r := range s {
		if limit >= 0 && c.Letters >= limit {
			return
		}
		if sc := Of(r); sc != "" {
			if c.counts == nil {
				c.counts = map[string]int{}
			}
			c.counts[sc]++
			c.Letters++
		}
	}
}

// Share returns the fraction of the letters counted that are in one of
// scripts (0 with no letters).
func (c *Counter) Share(scripts ...string) float64 {
	if c.Letters == 0 {
		return 0
	}
	n := 0
	for _, s := range scripts {
		n += c.counts[s]
	}
	return float64(n) / float64(c.Letters)
}

// Dominant returns the script of most letters and its share ("", 0 with no
// letters; ties go to the first name in alphabetical order).
func (c *Counter) Dominant() (string, float64) {
	names := make([]string, 0, len(c.counts))
	for s := range c.counts {
		names = append(names, s)
	}
	sort.Strings(names)
	best := ""
	for _, s := range names {
		if best == "" || c.counts[s] > c.counts[best] {
			best = s
		}
	}
	return best, c.Share(best)
}

// Language is what this package knows of a language: its English name and the
// scripts its text is written in.
type Language struct {
	Code    string   // ISO 639-1 ("en")
	Name    string   // "English"
	Scripts []string // "Latin"
}

// languages by ISO 639-1 code: those of the Universal Dependencies treebanks
// most used, and the scripts their text comes in.
var languages = map[string]Language{}

func init() {
	for _, l := range []Language{
		{"en", "English", []string{"Latin"}}, {"de", "German", []string{"Latin"}}, {"fr", "French", []string{"Latin"}},
		{"es", "Spanish", []string{"Latin"}}, {"it", "Italian", []string{"Latin"}}, {"pt", "Portuguese", []string{"Latin"}},
		{"nl", "Dutch", []string{"Latin"}}, {"sv", "Swedish", []string{"Latin"}}, {"da", "Danish", []string{"Latin"}},
		{"no", "Norwegian", []string{"Latin"}}, {"fi", "Finnish", []string{"Latin"}}, {"et", "Estonian", []string{"Latin"}},
		{"pl", "Polish", []string{"Latin"}}, {"cs", "Czech", []string{"Latin"}}, {"sk", "Slovak", []string{"Latin"}},
		{"sl", "Slovenian", []string{"Latin"}}, {"hr", "Croatian", []string{"Latin"}}, {"ro", "Romanian", []string{"Latin"}},
		{"hu", "Hungarian", []string{"Latin"}}, {"tr", "Turkish", []string{"Latin"}}, {"lt", "Lithuanian", []string{"Latin"}},
		{"lv", "Latvian", []string{"Latin"}}, {"ca", "Catalan", []string{"Latin"}}, {"id", "Indonesian", []string{"Latin"}},
		{"vi", "Vietnamese", []string{"Latin"}}, {"la", "Latin", []string{"Latin"}}, {"ga", "Irish", []string{"Latin"}},
		{"ru", "Russian", []string{"Cyrillic"}}, {"uk", "Ukrainian", []string{"Cyrillic"}}, {"be", "Belarusian", []string{"Cyrillic"}},
		{"bg", "Bulgarian", []string{"Cyrillic"}}, {"mk", "Macedonian", []string{"Cyrillic"}}, {"kk", "Kazakh", []string{"Cyrillic"}},
		{"sr", "Serbian", []string{"Cyrillic", "Latin"}},
		{"el", "Greek", []string{"Greek"}}, {"ar", "Arabic", []string{"Arabic"}}, {"fa", "Persian", []string{"Arabic"}},
		{"ur", "Urdu", []string{"Arabic"}}, {"he", "Hebrew", []string{"Hebrew"}}, {"zh", "Chinese", []string{"Han"}},
		{"ja", "Japanese", []string{"Han", "Hiragana", "Katakana"}}, {"ko", "Korean", []string{"Hangul", "Han"}},
		{"hi", "Hindi", []string{"Devanagari"}}, {"mr", "Marathi", []string{"Devanagari"}}, {"bn", "Bengali", []string{"Bengali"}},
		{"ta", "Tamil", []string{"Tamil"}}, {"th", "Thai", []string{"Thai"}}, {"hy", "Armenian", []string{"Armenian"}},
		{"ka", "Georgian", []string{"Georgian"}}, {"am", "Amharic", []string{"Ethiopic"}},
	} {
		languages[l.Code] = l
	}
}

// ForLanguage returns what is known of the language of ISO 639-1 code code
// ("en"), and whether anything is.
func ForLanguage(code string) (Language, bool) {
	l, ok := languages[code]
	return l, ok
}
