package pipeline_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/nlp-go/nlp/models"
	"github.com/nlp-go/nlp/pipeline"
)

// A stage of one's own in a few lines: Map lifts a function of one document to a
// stage, and Then checks at compile time that it fits the stage before it.
// Here a stage turns each document into a summary, a type of its own;
// Then(summarize, pipeline.Segment(...)) would not compile, since summarize
// produces a summary and Segment consumes a *Document.
func Example_customStage() {
	type summary struct {
		line, sentences int
		longest         string
	}
	summarize := pipeline.Map(func(_ context.Context, d *pipeline.Document) (summary, error) {
		s := summary{line: d.Line, sentences: len(d.Sentences)}
		for _, sent := range d.Sentences {
			for _, t := range sent.Tokens {
				if len(t.Form) > len(s.longest) {
					s.longest = t.Form
				}
			}
		}
		return s, nil
	})
	chain := pipeline.Then(pipeline.Segment(pipeline.SegmentConfig{}), summarize) // Stage[*Document, summary]

	input := "Recurrent networks read words in order. They remember.\n\nA GRU has two gates.\n"
	src, _ := pipeline.NewReader(strings.NewReader(input), pipeline.ReadConfig{})
	show := pipeline.SinkFunc[summary](func(s summary) error {
		fmt.Printf("line %d: %d sentences, longest word %q\n", s.line, s.sentences, s.longest)
		return nil
	})
	if err := pipeline.Run(context.Background(), src, chain, show, pipeline.Config{Workers: 2}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// line 1: 2 sentences, longest word "Recurrent"
	// line 3: 1 sentences, longest word "gates"
}

// The built-in chain: read plain text, split it into sentences and tokens, tag
// and classify them with the embedded models. (pipeline.NewWriter(os.Stdout,
// pipeline.OutputJSONL) would write them as JSON lines.)
func ExampleRun() {
	tm, err := models.Tagger()
	if err != nil {
		panic(err)
	}
	cm, err := models.Classifier()
	if err != nil {
		panic(err)
	}
	chain := pipeline.Chain(
		pipeline.Segment(pipeline.SegmentConfig{}),
		pipeline.Serial(pipeline.Tag(tm)), // one tagger shared by the workers
		pipeline.Classify(cm),             // one classifier Clone per worker
	)
	text := "A gorgeous, moving film. The plot is a dull mess.\n"
	src, _ := pipeline.NewReader(strings.NewReader(text), pipeline.ReadConfig{Name: "reviews.txt"})
	show := pipeline.SinkFunc[*pipeline.Document](func(d *pipeline.Document) error {
		for _, s := range d.Sentences {
			var words []string
			for _, t := range s.Tokens {
				words = append(words, t.Form+"/"+t.XPOS)
			}
			fmt.Printf("%s → %s (%.2f)\n", strings.Join(words, " "), s.Sentiment.Label, s.Sentiment.Prob)
		}
		return nil
	})
	if err := pipeline.Run(context.Background(), src, chain, show, pipeline.Config{}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// A/DT gorgeous/JJ ,/, moving/VBG film/NN ./. → positive (1.00)
	// The/DT plot/NN is/VBZ a/DT dull/JJ mess/NN ./. → negative (1.00)
}

// A stage that fails names the document and its line.
func ExampleError() {
	check := pipeline.Map(func(_ context.Context, d *pipeline.Document) (*pipeline.Document, error) {
		if strings.Contains(d.Text, "TODO") {
			return nil, fmt.Errorf("unfinished text")
		}
		return d, nil
	})
	src, _ := pipeline.NewReader(strings.NewReader("Done.\n\nTODO: write this.\n"), pipeline.ReadConfig{Name: "notes.txt"})
	err := pipeline.Run(context.Background(), src, check, pipeline.SinkFunc[*pipeline.Document](func(*pipeline.Document) error { return nil }), pipeline.Config{})
	fmt.Println(err)
	// Output:
	// notes.txt:3: doc 1: unfinished text
}
