package bleu

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"
)

type fixture struct {
	References []string `json:"references"`
	Cases      []struct {
		Name       string   `json:"name"`
		Hypotheses []string `json:"hypotheses"`
		MultiBLEU  float64  `json:"bleu_multi_bleu"`
		NLTK       float64  `json:"bleu_nltk_corpus_bleu"`
	} `json:"cases"`
}

type pyScore struct {
	Name       string   `json:"name"`
	Hypotheses []string `json:"hypotheses"`
	References []string `json:"references"`
	BLEU       float64  `json:"bleu"`
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func fields(lines []string) [][]string {
	out := make([][]string, len(lines))
	for i, l := range lines {
		out[i] = strings.Fields(l)
	}
	return out
}

// The shared fixture's scores, computed by multi-bleu.perl's method and by
// nltk, given there to 5–8 significant digits; and bleu.py's own scores of the
// same cases at full precision (scores.json), matched to 1e-9.
func TestFixture(t *testing.T) {
	var f fixture
	readJSON(t, "testdata/bleu.json", &f)
	var py []pyScore
	readJSON(t, "testdata/scores.json", &py)
	full := map[string]float64{}
	for _, p := range py {
		full[p.Name] = p.BLEU
	}
	refs := fields(f.References)
	if len(f.Cases) != 4 {
		t.Fatalf("%d cases, want 4", len(f.Cases))
	}
	for _, c := range f.Cases {
		s, err := Corpus(fields(c.Hypotheses), refs)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(s.BLEU-c.MultiBLEU) > 1e-6*max(1, c.MultiBLEU) {
			t.Errorf("%s: BLEU %.9f, fixture %v", c.Name, s.BLEU, c.MultiBLEU)
		}
		want, ok := full[c.Name]
		if !ok || math.Abs(s.BLEU-want) > 1e-9 {
			t.Errorf("%s: BLEU %.12f, bleu.py %.12f", c.Name, s.BLEU, want)
		}
		n := Accumulator{Variant: NLTK}
		for i, h := range fields(c.Hypotheses) {
			n.Add(h, refs[i])
		}
		if got := n.Score().BLEU; math.Abs(got-c.NLTK) > 1e-6*max(1, c.NLTK) {
			t.Errorf("%s: NLTK BLEU %.9f, fixture %v", c.Name, got, c.NLTK)
		}
		if s.Sentences != 60 || s.RefLength == 0 {
			t.Errorf("%s: %+v", c.Name, s)
		}
	}
}

// bleu.py on small hand-made corpora: short sentences, clipping, BP = 1,
// a missing order, an empty hypothesis.
func TestBleuPy(t *testing.T) {
	var py []pyScore
	readJSON(t, "testdata/scores.json", &py)
	n := 0
	for _, p := range py {
		if p.Hypotheses == nil {
			continue
		}
		n++
		s, err := Corpus(fields(p.Hypotheses), fields(p.References))
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(s.BLEU-p.BLEU) > 1e-9 || math.IsNaN(s.BLEU) {
			t.Errorf("%s: BLEU %.12f, bleu.py %.12f", p.Name, s.BLEU, p.BLEU)
		}
	}
	if n != 5 {
		t.Errorf("%d hand-made cases, want 5", n)
	}
}

// Every figure of one small corpus, computed by hand.
func TestScoreByHand(t *testing.T) {
	// hyp "the the cat sat on mat" (6 tokens), ref "the cat sat on the mat" (6):
	// 1-grams: the×2 (ref has 2), cat, sat, on, mat: 6/6.
	// 2-grams: "the the" ✗, "the cat" ✓, "cat sat" ✓, "sat on" ✓, "on mat" ✗: 3/5.
	// 3-grams: "the the cat" ✗, "the cat sat" ✓, "cat sat on" ✓, "sat on mat" ✗: 2/4.
	// 4-grams: "the cat sat on" ✓ of 3: 1/3. c = r, so BP = exp(0) = 1.
	// BLEU = 100·(1 · 3/5 · 2/4 · 1/3)^(1/4) = 100·0.1^(1/4).
	s, err := Corpus([][]string{strings.Fields("the the cat sat on mat")}, [][]string{strings.Fields("the cat sat on the mat")})
	if err != nil {
		t.Fatal(err)
	}
	want := 100 * math.Pow(0.1, 0.25)
	if math.Abs(s.BLEU-want) > 1e-12 {
		t.Errorf("BLEU %v, want %v", s.BLEU, want)
	}
	if s.Matches != [4]int{6, 3, 2, 1} || s.Totals != [4]int{6, 5, 4, 3} {
		t.Errorf("matches %v totals %v", s.Matches, s.Totals)
	}
	if s.Precisions[1] != 60 || s.BrevityPenalty != 1 || s.Ratio != 1 || s.HypLength != 6 || s.RefLength != 6 || s.Sentences != 1 {
		t.Errorf("%+v", s)
	}
	if got := s.String(); got != "BLEU = 56.23, 100.0/60.0/50.0/33.3 (BP=1.000, ratio=1.000, hyp_len=6, ref_len=6)" {
		t.Errorf("String() = %q", got)
	}
}

// NLTK's denominators differ on sentences shorter than 4 tokens.
func TestNLTKShort(t *testing.T) {
	// hyps "a b c d" and "x y" against "a b c d" and "x y": multi-bleu totals
	// 6/4/2/1 and all match: 100. nltk totals 6/4/3/2 (the two-token sentence
	// counts one 3-gram and one 4-gram): matches 6/4/2/1, so
	// BLEU = 100·(1 · 1 · 2/3 · 1/2)^(1/4) = 100·(1/3)^(1/4).
	h := [][]string{{"a", "b", "c", "d"}, {"x", "y"}}
	var m, n Accumulator
	n.Variant = NLTK
	for _, s := range h {
		m.Add(s, s)
		n.Add(s, s)
	}
	if got := m.Score().BLEU; got != 100 {
		t.Errorf("multi-bleu %v, want 100", got)
	}
	if got, want := n.Score().BLEU, 100*math.Pow(1.0/3, 0.25); math.Abs(got-want) > 1e-12 {
		t.Errorf("nltk %v, want %v", got, want)
	}
	// No 4-gram match: multi-bleu says 0, nltk a tiny positive number
	// (sys.float_info.min for p4: 100·(2.2250738585072014e-308)^(1/4) here).
	var m0, n0 Accumulator
	n0.Variant = NLTK
	hyp, ref := strings.Fields("a b c x"), strings.Fields("a b c y")
	m0.Add(hyp, ref)
	n0.Add(hyp, ref)
	// p = 3/4, 2/3, 1/2, min: (3/4·2/3·1/2·min)^(1/4)
	want := 100 * math.Pow(0.25, 0.25) * math.Pow(2.2250738585072014e-308, 0.25) // the product would be subnormal
	if got := n0.Score().BLEU; math.Abs(got-want) > 1e-12*want || got == 0 {
		t.Errorf("nltk %v, want %v", got, want)
	}
	if got := m0.Score().BLEU; got != 0 {
		t.Errorf("multi-bleu %v, want 0", got)
	}
}

func TestEdgeCases(t *testing.T) {
	if _, err := Corpus(make([][]string, 2), make([][]string, 3)); err == nil {
		t.Error("no error for 2 hypotheses and 3 references")
	}
	s, err := Corpus(nil, nil)
	if err != nil || s.BLEU != 0 || s.BrevityPenalty != 0 || s.Ratio != 0 {
		t.Errorf("empty corpus: %+v, %v", s, err)
	}
	s, _ = Corpus([][]string{{}}, [][]string{{"a"}})
	if s.BLEU != 0 || math.IsNaN(s.BLEU) || s.BrevityPenalty != 0 || s.Precisions != [4]float64{} {
		t.Errorf("empty hypothesis: %+v", s)
	}
	s, _ = Corpus([][]string{{"a", "b", "c", "d"}}, [][]string{{}})
	if s.BLEU != 0 || s.BrevityPenalty != 1 || s.Ratio != 0 {
		t.Errorf("empty reference: %+v", s)
	}
	var a Accumulator
	a.Add([]string{"a"}, []string{"a"})
	a.Reset()
	if a.Score().Sentences != 0 {
		t.Error("Reset kept the counts")
	}
}

// An accumulator fed in two halves gives the score of the whole: the
// statistics are sums, so streaming changes nothing.
func TestAccumulatorStreams(t *testing.T) {
	var f fixture
	readJSON(t, "testdata/bleu.json", &f)
	refs, hyps := fields(f.References), fields(f.Cases[2].Hypotheses)
	whole, _ := Corpus(hyps, refs)
	var a Accumulator
	for i := range hyps {
		if i == 30 {
			if s := a.Score(); s.Sentences != 30 {
				t.Fatalf("%d sentences", s.Sentences)
			}
		}
		a.Add(hyps[i], refs[i])
	}
	if a.Score() != whole {
		t.Errorf("streamed %+v, whole %+v", a.Score(), whole)
	}
}
