package bleu_test

import (
	"fmt"

	"github.com/nlp-go/nlp/translate/bleu"
)

func ExampleTokenize() {
	fmt.Printf("%q\n", bleu.Tokenize("Don't buy the 12-jährige Straßenhund's e-mail!"))
	// Output:
	// ["don't" "buy" "the" "12-jährige" "straßenhund's" "e-mail" "!"]
}

func ExampleAccumulator() {
	var a bleu.Accumulator // a stream of translations, scored in constant memory (bleu.py gives 45.04768)
	a.Add(bleu.Tokenize("A dog runs on the grass."), bleu.Tokenize("A dog runs on the green grass."))
	a.Add(bleu.Tokenize("Two men play football."), bleu.Tokenize("Two men are playing football."))
	fmt.Println(a.Score())
	// Output:
	// BLEU = 45.05, 91.7/70.0/37.5/33.3 (BP=0.846, ratio=0.857, hyp_len=12, ref_len=14)
}
