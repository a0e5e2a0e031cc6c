package models_test

import (
	"fmt"

	"github.com/nlp-go/nlp/datasets/tokenize"
	"github.com/nlp-go/nlp/models"
)

// Tag raw text with the built-in English tagger: the tokenizer splits it into
// sentences and words, and each word gets a universal (UPOS) and a Penn
// Treebank (XPOS) tag.
func ExampleTagger() {
	m, err := models.Tagger()
	if err != nil {
		fmt.Println(err)
		return
	}
	sents, err := tokenize.New().SentenceTokens("The tagger reads raw text. It didn't need a model file!")
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, t := range m.Tag(sents) {
		fmt.Println("sentence", i+1)
		for j, form := range sents[i] {
			fmt.Printf("%-7s %-6s %s\n", form, t.UPOS[j], t.XPOS[j])
		}
	}
	// Output:
	// sentence 1
	// The     DET    DT
	// tagger  NOUN   NN
	// reads   VERB   VBZ
	// raw     ADJ    JJ
	// text    NOUN   NN
	// .       PUNCT  .
	// sentence 2
	// It      PRON   PRP
	// did     AUX    VBD
	// n't     PART   RB
	// need    VERB   VB
	// a       DET    DT
	// model   NOUN   NN
	// file    NOUN   NN
	// !       PUNCT  .
}

// Classify sentences with the built-in sentiment model: the most probable label
// and its probability, rounded so that the output does not depend on the last
// bits of floating-point arithmetic.
func ExampleClassifier() {
	m, err := models.Classifier()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range m.PredictAll([]string{
		"Too long, but worth seeing.",
		"The acting is fine, but the story drags.",
	}) {
		fmt.Printf("%s %.2f\n", p.Label, p.Prob)
	}
	// Output:
	// positive 0.99
	// negative 0.66
}

// The five-class model answers on the treebank's scale, very-negative to
// very-positive.
func ExampleClassifierSST5() {
	m, err := models.ClassifierSST5()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range m.PredictAll([]string{
		"A gorgeous, moving film.",
		"The acting is fine, but the story drags.",
	}) {
		fmt.Printf("%s %.2f\n", p.Label, p.Prob)
	}
	// Output:
	// very-positive 0.92
	// neutral 0.43
}
