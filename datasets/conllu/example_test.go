package conllu_test

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/nlp-go/nlp/datasets/conllu"
)

// A tagger reads the syntactic words, sets their tags, and writes the sentence back
// with every other column, the comments and the multiword range untouched.
func ExampleReader() {
	in := "# text = I don't.\n" +
		"1\tI\tI\t_\t_\t_\t_\t_\t_\t_\n" +
		"2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n" +
		"2\tdo\tdo\t_\t_\t_\t_\t_\t_\t_\n" +
		"3\tn't\tnot\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n" +
		"4\t.\t.\t_\t_\t_\t_\t_\t_\t_\n\n"
	r := conllu.NewReader(strings.NewReader(in))
	w := conllu.NewWriter(os.Stdout)
	for {
		s, err := r.Read()
		if err != nil {
			break // io.EOF at the end; a *nlp.ParseError otherwise
		}
		fmt.Println(s.Forms())
		for _, word := range s.Words() {
			word.UPOS = "X"
		}
		w.Write(s)
	}
	w.Flush()
	// Output:
	// [I do n't .]
	// # text = I don't.
	// 1	I	I	X	_	_	_	_	_	_
	// 2-3	don't	_	_	_	_	_	_	_	_
	// 2	do	do	X	_	_	_	_	_	_
	// 3	n't	not	X	_	_	_	_	_	SpaceAfter=No
	// 4	.	.	X	_	_	_	_	_	_
}

func ExampleNewColumnReader() {
	r := conllu.NewColumnReader(strings.NewReader("He PRP B-NP\nran VBD B-VP\n\nOK UH O\n"))
	for {
		s, err := r.Read()
		if err == io.EOF {
			break
		}
		fmt.Println(s.Tokens(), s.Column(1))
	}
	// Output:
	// [He ran] [PRP VBD]
	// [OK] [UH]
}
