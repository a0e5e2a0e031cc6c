package annotate_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/nlp-go/nlp/annotate"
	"github.com/nlp-go/nlp/pipeline"
)

// Annotate raw text in three lines: sentences, tokens, their tags and each
// sentence's sentiment, from the built-in models.
func Example() {
	a, err := annotate.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	doc, err := a.Text(context.Background(), "What a wonderful, moving film. I didn't like the ending.")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range doc.Sentences {
		fmt.Printf("%s (%s)\n", s.Text, s.Sentiment.Label)
		for _, t := range s.Tokens {
			fmt.Printf("  %-9s %-6s %s\n", t.Form, t.UPOS, t.XPOS)
		}
	}
	// Output:
	// What a wonderful, moving film. (positive)
	//   What      DET    WDT
	//   a         DET    DT
	//   wonderful ADJ    JJ
	//   ,         PUNCT  ,
	//   moving    VERB   VBG
	//   film      NOUN   NN
	//   .         PUNCT  .
	// I didn't like the ending. (negative)
	//   I         PRON   PRP
	//   did       AUX    VBD
	//   n't       PART   RB
	//   like      VERB   VB
	//   the       DET    DT
	//   ending    NOUN   NN
	//   .         PUNCT  .
}

// Stream a whole input through the built-in models — plain text, JSON lines or
// CoNLL-U, detected — in bounded memory, as nlp pipeline does: here
// tab-separated tokens and tags, a blank line after each sentence.
func ExampleAnnotator_Stream() {
	a, err := annotate.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	in := strings.NewReader("It works.\nThe cat sat on the mat.\n")
	if err := a.Stream(context.Background(), in, os.Stdout, pipeline.OutputTSV); err != nil {
		fmt.Println(err)
	}
	// Output:
	// It	PRON	PRP
	// works	VERB	VBZ
	// .	PUNCT	.
	//
	// The	DET	DT
	// cat	NOUN	NN
	// sat	VERB	VBD
	// on	ADP	IN
	// the	DET	DT
	// mat	NOUN	NN
	// .	PUNCT	.
}

// Many texts at once: the networks run them as batches, much faster than a
// call each. Each text is a document; its sentences carry their sentiment.
func ExampleAnnotator_Texts() {
	a, err := annotate.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	docs, err := a.Texts(context.Background(), []string{"A gorgeous film.", "A dull, tedious mess."})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range docs {
		s := d.Sentences[0]
		fmt.Printf("%d %s %s %.2f\n", d.Index, s.Text, s.Sentiment.Label, s.Sentiment.Prob)
	}
	// Output:
	// 0 A gorgeous film. positive 1.00
	// 1 A dull, tedious mess. negative 1.00
}
