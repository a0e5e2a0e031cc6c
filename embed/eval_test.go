package embed

import (
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

func TestSpearman(t *testing.T) {
	for _, tc := range []struct {
		name string
		x, y []float64
		want float64
	}{
		{"identical order", []float64{1, 2, 3, 4}, []float64{10, 20, 30, 40}, 1},
		{"reversed", []float64{1, 2, 3, 4}, []float64{4, 3, 2, 1}, -1},
		// Worked by hand: x ranks 1, 2.5, 2.5, 4, 5 (a tie at 2); y ranks 2, 1, 4, 3, 5.
		// Mean 3 for both; deviations x: −2, −.5, −.5, 1, 2; y: −1, −2, 1, 0, 2.
		// Σdxdy = 2 + 1 − .5 + 0 + 4 = 6.5; Σdx² = 4 + .25 + .25 + 1 + 4 = 9.5; Σdy² = 10.
		// ρ = 6.5/√95.
		{"tie in x", []float64{1, 2, 2, 3, 4}, []float64{0.2, 0.1, 0.9, 0.5, 1.5}, 6.5 / math.Sqrt(95)},
		// x ranks 1.5, 1.5, 3, 4; y ranks 1, 3, 3, 3 (three-way tie): deviations
		// x: −1, −1, .5, 1.5 (Σ² = 4.5); y: −1.5, .5, .5, .5 (Σ² = 3); Σdxdy = 1.5 − .5 + .25 + .75 = 2.
		{"ties in both", []float64{5, 5, 6, 7}, []float64{1, 2, 2, 2}, 2 / math.Sqrt(13.5)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Spearman(tc.x, tc.y); math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("Spearman = %v, want %v", got, tc.want)
			}
		})
	}
	if got := Spearman([]float64{1, 1, 1}, []float64{1, 2, 3}); !math.IsNaN(got) {
		t.Errorf("constant input: %v, want NaN", got)
	}
	if got := Spearman([]float64{1}, []float64{1}); !math.IsNaN(got) {
		t.Errorf("one value: %v, want NaN", got)
	}
}

func readTestFile[T any](t *testing.T, name string, read func(r *os.File) (T, error)) T {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	x, err := read(f)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestReadPairs(t *testing.T) {
	for _, tc := range []struct {
		file  string
		n     int
		first Pair
	}{
		{"wordsim353-head.tsv", 20, Pair{"love", "sex", 6.77}},
		{"simlex999-head.txt", 20, Pair{"old", "new", 1.58}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			ps := readTestFile(t, tc.file, func(f *os.File) ([]Pair, error) { return ReadPairs(f) })
			if len(ps) != tc.n || ps[0] != tc.first {
				t.Errorf("got %d pairs starting %v, want %d starting %v", len(ps), ps[0], tc.n, tc.first)
			}
		})
	}
	for _, bad := range []string{"a b\n", "a b x\n"} {
		if _, err := ReadPairs(strings.NewReader("# c\n" + bad)); err == nil || !strings.Contains(err.Error(), "line 2") {
			t.Errorf("ReadPairs(%q) error %v, want one at line 2", bad, err)
		}
	}
}

func TestEvalSimilarity(t *testing.T) {
	v := royal(t)
	pairs := []Pair{
		{"King", "prince", 9},  // found lower-cased
		{"man", "woman", 5},    //
		{"man", "apple", 1},    //
		{"dragon", "king", 10}, // out of vocabulary
	}
	r := EvalSimilarity(v, pairs)
	if r.Pairs != 3 || r.OOV != 1 || math.Abs(r.Spearman-1) > 1e-12 {
		t.Errorf("got %+v, want ρ = 1 over 3 pairs, 1 OOV", r)
	}
}

func TestReadQuestions(t *testing.T) {
	qs := readTestFile(t, "questions-words-head.txt", func(f *os.File) ([]Question, error) { return ReadQuestions(f) })
	if len(qs) != 20 {
		t.Fatalf("%d questions, want 20", len(qs))
	}
	want := Question{"gram1-adjective-to-adverb", "amazing", "amazingly", "apparent", "apparently"}
	if qs[10] != want {
		t.Errorf("question 11 = %v, want %v", qs[10], want)
	}
	if _, err := ReadQuestions(strings.NewReader(": s\na b c\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("three words: error %v, want one at line 2", err)
	}
}

// TestEvalAnalogy checks the batched evaluation against Vectors.Analogy one question
// at a time, on random vectors where the answers are arbitrary but deterministic.
func TestEvalAnalogy(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	v := randomVectors(r, 300, 8)
	const limit = 200
	var qs []Question
	var hit []bool
	for len(qs) < 600 {
		w := func() string { return v.Word(r.IntN(v.Len())) }
		q := Question{A: w(), B: w(), C: w()}
		if q.A == q.B || q.A == q.C || q.B == q.C {
			continue
		}
		ns, _ := v.Analogy(q.A, q.B, q.C, 1, limit)
		q.D = ns[0].Word
		if len(qs)%3 == 0 {
			q.D = w() // mostly wrong
		}
		hit = append(hit, ns[0].Word == q.D)
		qs = append(qs, q)
	}
	oov, want := 0, 0
	for k, q := range qs {
		in := true
		for _, w := range []string{q.A, q.B, q.C, q.D} {
			if i, _ := v.Index(w); i >= limit {
				in = false
			}
		}
		switch {
		case !in:
			oov++
		case hit[k]:
			want++
		}
	}
	res := EvalAnalogy(v, qs, limit)
	if res.Correct != want || res.OOV != oov || res.Answered != len(qs)-oov {
		t.Errorf("got %+v, want %d correct, %d OOV of %d", res, want, oov, len(qs))
	}
	if math.Abs(res.Accuracy-float64(want)/float64(len(qs)-oov)) > 1e-12 {
		t.Errorf("accuracy %v", res.Accuracy)
	}
}
