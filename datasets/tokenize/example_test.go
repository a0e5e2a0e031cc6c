package tokenize_test

import (
	"fmt"
	"strings"

	"github.com/nlp-go/nlp/datasets/tokenize"
)

func ExampleTokenizer() {
	tok := tokenize.New() // once; reuse it for every document
	fmt.Println(strings.Join(tok.Tokenize("I don't think they'll pay $100 (maybe)."), " "))
	sents, _ := tok.SentenceTokens("It rained. We stayed in.")
	fmt.Println(len(sents), sents[1])
	// Output:
	// I do n't think they 'll pay $ 100 ( maybe ) .
	// 2 [We stayed in .]
}
