package script

import (
	"math"
	"testing"
)

func TestOf(t *testing.T) {
	for r, want := range map[rune]string{
		'a': "Latin", 'Z': "Latin", 'é': "Latin", 'ß': "Latin", 'я': "Cyrillic", 'Ж': "Cyrillic", 'λ': "Greek",
		'ب': "Arabic", 'ש': "Hebrew", '中': "Han", 'ひ': "Hiragana", 'カ': "Katakana", '한': "Hangul", 'क': "Devanagari",
		'1': "", '.': "", ' ': "", '€': "", '\n': "", 'ᚠ': Other,
	} {
		if got := Of(r); got != want {
			t.Errorf("Of(%q) = %q, want %q", r, got, want)
		}
	}
}

func TestCounter(t *testing.T) {
	var c Counter
	if s, share := c.Dominant(); s != "" || share != 0 || c.Share("Latin") != 0 {
		t.Errorf("empty counter: %q %v", s, share)
	}
	c.Add("Мама мыла раму, 2024!") // 12 Cyrillic letters
	c.Add("OK")                    // 2 Latin
	if c.Letters != 14 {
		t.Fatalf("Letters = %d, want 14", c.Letters)
	}
	s, share := c.Dominant()
	if s != "Cyrillic" || math.Abs(share-12.0/14) > 1e-12 {
		t.Errorf("Dominant = %q %v", s, share)
	}
	if got := c.Share("Latin", "Greek"); math.Abs(got-2.0/14) > 1e-12 {
		t.Errorf("Share(Latin, Greek) = %v", got)
	}
}

func TestForLanguage(t *testing.T) {
	if l, ok := ForLanguage("en"); !ok || l.Name != "English" || len(l.Scripts) != 1 || l.Scripts[0] != "Latin" {
		t.Errorf("en: %+v %v", l, ok)
	}
	if l, ok := ForLanguage("ru"); !ok || l.Scripts[0] != "Cyrillic" {
		t.Errorf("ru: %+v %v", l, ok)
	}
	if _, ok := ForLanguage("xx"); ok {
		t.Error("xx known")
	}
	for code, l := range languages {
		if l.Code != code || l.Name == "" || len(l.Scripts) == 0 {
			t.Errorf("%s: %+v", code, l)
		}
		for _, s := range l.Scripts {
			found := false
			for _, tb := range tables {
				found = found || tb.name == s
			}
			if !found {
				t.Errorf("%s: unknown script %q", code, s)
			}
		}
	}
}

// TestAddUpTo checks that a sample stops at its limit inside a text.
func TestAddUpTo(t *testing.T) {
	var c Counter
	c.AddUpTo("абвг", 3)
	c.AddUpTo("де", 3)
	if c.Letters != 3 {
		t.Fatalf("%d letters counted, want 3", c.Letters)
	}
	c.Add("ab")
	if c.Letters != 5 {
		t.Fatalf("%d letters after Add, want 5", c.Letters)
	}
}
