package embed

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// royal builds 2-d vectors where "king − man + woman" lands on "queen".
func royal(t testing.TB) *Vectors {
	return mustVectors(t, []string{"man", "woman", "king", "queen", "apple", "prince"}, 2, []float32{
		1, 0, // man
		0, 1, // woman
		1, 0.1, // king: close to man
		0.1, 1, // queen
		-1, -1, // apple
		0.95, 0.12, // prince: close to king
	})
}

func TestNearest(t *testing.T) {
	v := royal(t)
	ns, err := v.Nearest("king", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 2 || ns[0].Word != "prince" || ns[1].Word != "man" {
		t.Fatalf("Nearest(king) = %v, want prince then man", ns)
	}
	if ns[0].Similarity < ns[1].Similarity {
		t.Errorf("not sorted: %v", ns)
	}
	if _, err := v.Nearest("dragon", 3); !errors.Is(err, ErrUnknownWord) {
		t.Errorf("unknown word: %v", err)
	}
	if all, _ := v.Nearest("king", 100); len(all) != v.Len()-1 {
		t.Errorf("Nearest with n > Len gave %d words, want %d", len(all), v.Len()-1)
	}
}

func TestAnalogy(t *testing.T) {
	v := royal(t)
	for _, tc := range []struct {
		name    string
		a, b, c string
		limit   int
		want    string
	}{
		{"man:king::woman:?", "man", "king", "woman", 0, "queen"},
		{"excludes the query words", "man", "woman", "king", 0, "queen"},
		{"limit hides queen", "man", "king", "woman", 3, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ns, err := v.Analogy(tc.a, tc.b, tc.c, 1, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if len(ns) > 0 {
				got = ns[0].Word
			}
			if got != tc.want {
				t.Errorf("got %q (%v), want %q", got, ns, tc.want)
			}
		})
	}
	if _, err := v.Analogy("man", "king", "dragon", 1, 0); !errors.Is(err, ErrUnknownWord) {
		t.Errorf("unknown word: %v", err)
	}
}

func TestSimilarity(t *testing.T) {
	v := royal(t)
	s, err := v.Similarity("man", "woman")
	if err != nil || math.Abs(s) > 1e-7 {
		t.Errorf("Similarity(man, woman) = %v, %v; want 0", s, err)
	}
	s, _ = v.Similarity("man", "apple")
	if math.Abs(s+math.Sqrt(0.5)) > 1e-6 {
		t.Errorf("Similarity(man, apple) = %v, want −√½", s)
	}
}

func randomVectors(r *rand.Rand, n, dim int) *Vectors {
	words := make([]string, n)
	data := make([]float32, n*dim)
	for i := range words {
		words[i] = "w" + string(rune('a'+i%26)) + string(rune('0'+i/26%10)) + string(rune('A'+i/260))
	}
	for i := range data {
		data[i] = float32(r.NormFloat64())
	}
	v, _ := NewVectors(words, dim, data)
	return v
}

func BenchmarkNearest(b *testing.B) {
	for _, n := range []int{1000, 20000} {
		v := randomVectors(rand.New(rand.NewPCG(1, 2)), n, 100)
		b.Run(itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				v.Nearest(v.Word(7), 10)
			}
		})
	}
}

func itoa(n int) string {
	s := ""
	for {
		s = string(rune('0'+n%10)) + s
		n /= 10
		if n == 0 {
			return s
		}
	}
}
