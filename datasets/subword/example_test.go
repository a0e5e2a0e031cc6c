package subword_test

import (
	"fmt"

	"github.com/nlp-go/nlp/datasets/subword"
)

func ExampleBPE_Segment() {
	m, _ := subword.Learn(map[string]int{"low": 5, "lower": 2, "newest": 6, "widest": 3}, 10)
	units := m.Apply([]string{"lowest", "newer", "low"})
	fmt.Println(units)
	fmt.Println(subword.Join(units))
	// Output:
	// [lo@@ west ne@@ w@@ e@@ r low]
	// [lowest newer low]
}
