package embed_test

import (
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/nlp-go/nlp/embed"
)

func ExampleTrain() {
	var text strings.Builder
	for i := range 300 {
		text.WriteString([]string{
			"the cat chased the mouse\n",
			"the dog chased the cat\n",
			"a mouse ate the cheese\n",
		}[i%3])
	}
	corpus, err := embed.ReadCorpus(strings.NewReader(text.String()))
	if err != nil {
		log.Fatal(err)
	}
	// One thread: the same seed gives the same vectors.
	v, err := embed.Train(corpus, embed.Config{Dim: 10, MinCount: 1, Threads: 1, Seed: 42})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v.Len(), "words of dimension", v.Dim())
	// Output: 8 words of dimension 10
}

func ExampleVectors_Analogy() {
	v, err := embed.NewVectors([]string{"man", "woman", "king", "queen"}, 2,
		[]float32{1, 0, 0, 1, 1, 0.1, 0.1, 1})
	if err != nil {
		log.Fatal(err)
	}
	ns, err := v.Analogy("man", "king", "woman", 1, 0) // man : king :: woman : ?
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %.3f\n", ns[0].Word, ns[0].Similarity)
	// Output: queen 0.995
}

func ExampleVectors_Nearest() {
	v, err := embed.ReadText(strings.NewReader("3 2\ncat 1 0.1\ndog 0.9 0.2\ncar -0.2 1\n"))
	if err != nil {
		log.Fatal(err)
	}
	ns, _ := v.Nearest("cat", 2)
	for _, n := range ns {
		fmt.Printf("%s %.3f\n", n.Word, n.Similarity)
	}
	// Output:
	// dog 0.993
	// car -0.098
}

func ExampleWriteText() {
	v, _ := embed.NewVectors([]string{"a", "b"}, 2, []float32{1, 2, 3, 4})
	if err := embed.WriteText(os.Stdout, v); err != nil {
		log.Fatal(err)
	}
	// Output:
	// 2 2
	// a 1 2
	// b 3 4
}

func ExampleSpearman() {
	model := []float64{0.9, 0.1, 0.5, 0.5}
	human := []float64{8.5, 1.0, 6.0, 5.0}
	fmt.Printf("%.3f\n", embed.Spearman(model, human))
	// Output: 0.949
}

func ExampleEvalAnalogy() {
	v, _ := embed.NewVectors([]string{"man", "woman", "king", "queen"}, 2,
		[]float32{1, 0, 0, 1, 1, 0.1, 0.1, 1})
	qs, _ := embed.ReadQuestions(strings.NewReader(": royalty\nman king woman queen\nman king dragon queen\n"))
	r := embed.EvalAnalogy(v, qs, embed.AnalogyLimit)
	fmt.Printf("%d of %d right, %d out of vocabulary\n", r.Correct, r.Answered, r.OOV)
	// Output: 1 of 1 right, 1 out of vocabulary
}
