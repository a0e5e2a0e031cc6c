package datasets_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/nlp-go/nlp/datasets"
)

func ExampleDetectFormat() {
	fmt.Println(datasets.DetectFormat([]byte("1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n\n")))
	fmt.Println(datasets.DetectFormat([]byte("\tThe/at jury/nn ./.\n")))
	fmt.Println(datasets.DetectFormat([]byte("1 a fine film .\n0 a dull one .\n")))
	fmt.Println(datasets.DetectFormat([]byte("The cat sat on the mat.\n")))
	// Output:
	// conllu
	// brown
	// labelled
	// text
}

func ExampleNewLabelledReader() {
	r := datasets.NewLabelledReader(strings.NewReader("1 a gorgeous film\n0 dull .\n"), datasets.LabelFirst)
	for {
		e, err := r.Read()
		if err != nil {
			break
		}
		fmt.Printf("%s: %s\n", e.Label, e.Text)
	}
	// Output:
	// 1: a gorgeous film
	// 0: dull .
}

func ExampleNewBrownReader() {
	r := datasets.NewBrownReader(strings.NewReader("\tThe/at jury/nn said/vbd ./.\n"))
	s, _ := r.Read()
	fmt.Println(s.Words(), s.Tags())
	// Output: [The jury said .] [at nn vbd .]
}

func ExampleNewTextReader() {
	cfg := datasets.TextConfig{Lower: true, Replace: []string{"<br />", " "}}
	r := datasets.NewTextReader(strings.NewReader("Great film!<br />Loved it.\n"), cfg, nil)
	toks, _ := r.Read()
	fmt.Println(toks)
	// Output: [great film ! loved it .]
}

func ExampleCounter() {
	var c datasets.Counter
	c.Add(strings.Fields("the cat and the hat and the bat")...)
	v, _ := c.Vocab(datasets.VocabConfig{MinCount: 2})
	fmt.Println(v.Words(), v.ID("the"), v.ID("zebra") == v.Unknown(), v.Count(v.Unknown()))
	// Output: [<unk> the and] 1 true 3
}

func ExampleNewBatcher() {
	lengths := []int{5, 1, 9, 2, 8, 1, 7, 3}
	b, _ := datasets.NewBatcher(lengths, datasets.BatchConfig{BatchSize: 2, Seed: 1})
	for _, batch := range b.Epoch(0) {
		fmt.Print("[")
		for _, i := range batch {
			fmt.Print(" ", lengths[i])
		}
		fmt.Print(" ]")
	}
	fmt.Println()
	// Output: [ 2 3 ][ 5 7 ][ 8 9 ][ 1 1 ]
}

func ExampleWriteCorpus() {
	var buf bytes.Buffer
	st, err := datasets.WriteCorpus(&buf, datasets.CorpusConfig{Recipe: datasets.RecipeBench, DataDir: "testdata/mini"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(st.Lines, st.Tokens)
	fmt.Println(strings.SplitN(buf.String(), "\n", 2)[0][:40])
	// Output:
	// 32 1215
	// the fulton county grand jury said friday
}

func ExampleFileStats() {
	st, err := datasets.FileStats("testdata/en_ewt-ud-dev-slice.conllu", datasets.StatsConfig{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(st.Format, st.Sentences, st.MultiWord, st.EmptyNodes, st.UPOS["PROPN"] > 0)
	// Output: conllu 60 27 3 true
}

func ExampleCountFile() {
	var c datasets.Counter
	for _, path := range []string{"testdata/mini/sst/stsa.binary.train", "testdata/mini/sst/stsa.fine.train"} {
		if _, err := datasets.CountFile(&c, path, datasets.StatsConfig{}); err != nil {
			fmt.Println(err)
			return
		}
	}
	v, _ := c.Vocab(datasets.VocabConfig{MinCount: 5})
	path := filepath.Join(os.TempDir(), "example-vocab.tsv")
	defer os.Remove(path)
	if err := v.Save(path); err != nil {
		fmt.Println(err)
		return
	}
	loaded, _ := datasets.LoadVocab(path)
	fmt.Println(c.Total(), loaded.Words())
	// Output: 193 [<unk> and the , . of a]
}

func ExampleSentimentExamples() {
	r := datasets.NewTreeReader(strings.NewReader("(3 (2 It) (4 (2 's) (4 -LRB-good-RRB-)))\n"))
	trees, err := r.ReadAll()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(trees[0].Words), "words,", len(trees[0].Nodes), "nodes")
	for _, e := range datasets.SentimentExamples(trees, datasets.TreeView{Phrases: true, Binary: true}) {
		fmt.Printf("%s: %s\n", e.Label, e.Text)
	}
	// Output:
	// 3 words, 5 nodes
	// 1: It 's (good)
	// 1: 's (good)
	// 1: (good)
}
