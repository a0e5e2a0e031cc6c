package subword

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// piece is a span of a word being segmented and its symbol id (-1 for a
// character the model has never seen, which no rule merges).
type piece struct {
	id         int32
	start, end int
}

// Segment splits word into the subword units of the model: its characters,
// merged by the rules in the order they were learnt, every unit but the last
// followed by Separator ("lowest" → "low@@", "est"). A word of more than
// MaxWordLen characters is split into characters. Join undoes it exactly: for
// a non-empty word, Join(Segment(w)) is [w], even for a word that ends in "@@"
// (its last character is then a unit of its own, so that the last unit never
// ends in the separator). Segment("") is nil.
//
// Results are cached (CacheSize words); the slice returned is the caller's.
func (m *BPE) Segment(word string) []string {
	if word == "" {
		return nil
	}
	m.mu.Lock()
	toks, ok := m.cache[word]
	m.mu.Unlock()
	if ok {
		return slices.Clone(toks)
	}
	toks = m.segment(word)
	m.mu.Lock()
	if len(m.cache) >= CacheSize {
		clear(m.cache)
	}
	m.cache[word] = toks
	m.mu.Unlock()
	return slices.Clone(toks)
}

// segment is Segment without the cache.
func (m *BPE) segment(word string) []string {
	ps := make([]piece, 0, len(word))
	for i, r := range word {
		n := utf8.RuneLen(r)
		if r == utf8.RuneError {
			_, n = utf8.DecodeRuneInString(word[i:]) // 1 for a bad byte, 3 for U+FFFD
		}
		id, ok := m.ids[symbol{word[i : i+n], i+n == len(word)}]
		if !ok {
			id = -1
		}
		ps = append(ps, piece{id, i, i + n})
	}
	if len(ps) <= MaxWordLen {
		// Merge the pair of lowest rank until none is left: at most len(ps)-1
		// merges, each a scan of the pieces.
		for len(ps) > 1 {
			best, bestRank := -1, int32(len(m.rules))
			var into int32
			for i := 0; i+1 < len(ps); i++ {
				if ps[i].id < 0 || ps[i+1].id < 0 {
					continue
				}
				if r, ok := m.ranks[pair{ps[i].id, ps[i+1].id}]; ok && r.rank < bestRank {
					best, bestRank, into = i, r.rank, r.id
				}
			}
			if best < 0 {
				break
			}
			ps[best] = piece{into, ps[best].start, ps[best+1].end}
			ps = slices.Delete(ps, best+1, best+2)
		}
	}
	if last := ps[len(ps)-1]; last.end-last.start > 1 && strings.HasSuffix(word, Separator) {
		// "x@@" must not end in a unit "x@@", which Join would glue to the next word.
		ps[len(ps)-1].end--
		ps = append(ps, piece{-1, last.end - 1, last.end})
	}
	toks := make([]string, len(ps))
	for i, p := range ps {
		toks[i] = word[p.start:p.end]
		if i < len(ps)-1 {
			toks[i] += Separator
		}
	}
	return toks
}

// Apply segments every word of a tokenized sentence and returns the units in
// order.
func (m *BPE) Apply(words []string) []string {
	out := make([]string, 0, len(words)+len(words)/4)
	for _, w := range words {
		out = append(out, m.Segment(w)...)
	}
	return out
}

// Join undoes Segment and Apply: a unit that ends in Separator is glued,
// without it, to the unit after it. A unit ending in Separator at the end of
// the slice (a model may output one) loses the separator and ends the last
// word.
func Join(units []string) []string {
	var out []string
	var b strings.Builder
	open := false
	for _, u := range units {
		if s, ok := strings.CutSuffix(u, Separator); ok {
			b.WriteString(s)
			open = true
			continue
		}
		if !open {
			out = append(out, u)
			continue
		}
		b.WriteString(u)
		out = append(out, b.String())
		b.Reset()
		open = false
	}
	if open {
		out = append(out, b.String())
	}
	return out
}
