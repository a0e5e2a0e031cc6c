package tagger

import (
	"strings"
	"unicode/utf8"
)

// vocab numbers a list of strings in the order given.
type vocab struct {
	items []string
	index map[string]int
}

func newVocab(items []string) *vocab {
	v := &vocab{items: items, index: make(map[string]int, len(items))}
	for i, s := range items {
		v.index[s] = i
	}
	return v
}

func (v *vocab) id(s string) (int, bool) {
	i, ok := v.index[s]
	return i, ok
}

func (v *vocab) len() int { return len(v.items) }

// Reserved entries of the word and character vocabularies.
const (
	unknownWord = "<unk>" // id 0 of the trainable word vocabulary
	unknownChar = "\x00"  // id 0 of the character vocabulary
)

// norm is the key under which a form's word vectors are looked up: lower case,
// as in the word2vec corpus. Case is left to the character model.
func norm(form string) string { return strings.ToLower(form) }

// preID is the row of form's pretrained vector: the form as written when the
// vectors keep case and have it, else the lower-cased form.
func (m *Model) preID(form string) (int, bool) {
	if m.pre == nil {
		return 0, false
	}
	if m.cfg.CasedVectors {
		if id, ok := m.pre.id(form); ok {
			return id, true
		}
	}
	return m.pre.id(norm(form))
}

// runesOf returns the character ids of a form, keeping the first and last
// max/2 characters of a longer word: prefixes and suffixes carry the tag.
func (m *Model) runesOf(dst []int, form string) []int {
	dst = dst[:0]
	n := utf8.RuneCountInString(form)
	limit := m.cfg.MaxRunes
	i := 0
	for _, r := range form {
		if n > limit && i >= limit/2 && i < n-(limit-limit/2) {
			i++
			continue
		}
		id, ok := m.chars.id(string(r))
		if !ok {
			id = 0
		}
		dst = append(dst, id)
		i++
	}
	return dst
}

// wordKey is the key of a form in the trainable word vocabulary: lower-cased,
// or as written with CasedWords (then "Apple" and "apple" are two words, which
// helps tell proper nouns from common ones).
func (m *Model) wordKey(form string) string { return wordKey(m.cfg, form) }

func wordKey(cfg Config, form string) string {
	if cfg.CasedWords {
		return form
	}
	return norm(form)
}
