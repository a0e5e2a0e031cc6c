package translate

import (
	"fmt"

	"github.com/nlp-go/nlp/datasets"
)

// The special units every vocabulary starts with. Padding needs no unit: a
// ragged batch masks it (nn.PadID embeds to zero).
const (
	unkID = iota // a unit not seen often enough in training
	bosID        // <s>: the decoder's first input
	eosID        // </s>: the end of every sentence, source and target
	firstUnitID
)

var specials = []string{"<unk>", "<s>", "</s>"}

// vocab numbers the units (words or subwords) of one language: the specials,
// then the units seen at least MinCount times in training, by decreasing count
// (datasets.Counter's order).
type vocab struct {
	units []string
	ids   map[string]int
}

// newVocab keeps the units of c counted at least minCount times.
func newVocab(c *datasets.Counter, minCount int) *vocab {
	units := append([]string(nil), specials...)
	for _, u := range c.Sorted() {
		if c.Count(u) >= int64(max(minCount, 1)) && !isSpecial(u) {
			units = append(units, u)
		}
	}
	v, _ := vocabOf(units)
	return v
}

func isSpecial(u string) bool {
	for _, s := range specials {
		if u == s {
			return true
		}
	}
	return false
}

// vocabOf rebuilds a vocabulary from its units as a model file stores them.
func vocabOf(units []string) (*vocab, error) {
	if len(units) < firstUnitID {
		return nil, fmt.Errorf("vocabulary of %d units, want at least the %d specials", len(units), firstUnitID)
	}
	for i, s := range specials {
		if units[i] != s {
			return nil, fmt.Errorf("vocabulary unit %d is %q, want %q", i, units[i], s)
		}
	}
	v := &vocab{units: units, ids: make(map[string]int, len(units))}
	for i, u := range units {
		if _, dup := v.ids[u]; dup {
			return nil, fmt.Errorf("vocabulary unit %q appears twice", u)
		}
		v.ids[u] = i
	}
	return v, nil
}

// size is the number of units, specials included.
func (v *vocab) size() int { return len(v.units) }

// id returns the unit's id, unkID for an unknown unit.
func (v *vocab) id(u string) int {
	if i, ok := v.ids[u]; ok {
		return i
	}
	return unkID
}

// encode appends the ids of units to dst and reports how many were unknown.
func (v *vocab) encode(dst []int, units []string) ([]int, int) {
	unknown := 0
	for _, u := range units {
		id := v.id(u)
		if id == unkID {
			unknown++
		}
		dst = append(dst, id)
	}
	return dst, unknown
}
