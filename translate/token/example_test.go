package token_test

import (
	"fmt"

	"github.com/nlp-go/nlp/translate/token"
)

func Example() {
	toks := token.Tokenize(`Ein Hund läuft über die Wiese, sagt er: „Schön!“`)
	fmt.Printf("%q\n", toks)
	tc := token.LearnTruecase([][]string{{"Da", "läuft", "ein", "Hund"}, {"Der", "Hund", "sieht", "ein", "Kind"}})
	lower := tc.Truecase(toks) // what the model reads
	fmt.Println(lower[0], lower[1])
	fmt.Println(token.Detokenize(token.Capitalize(lower))) // what a reader reads
	// Output:
	// ["Ein" "Hund" "läuft" "über" "die" "Wiese" "," "sagt" "er" ":" "„" "Schön" "!" "“"]
	// ein Hund
	// Ein Hund läuft über die Wiese, sagt er: „Schön!“
}
