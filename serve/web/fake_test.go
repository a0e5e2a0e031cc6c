package web

import (
	"bufio"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// testServer is a stand-in of the API contract (serve-api v1) until package
// serve exists: a rule tokenizer and tagger, a word-list sentiment. The page is
// tested against what it answers, whatever the tags are.
func testServer(t *testing.T) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /", Handler())
	mux.HandleFunc("GET /v1/info", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"version": "test", "models": map[string]any{
			"tagger":     map[string]any{"language": "en"},
			"classifier": map[string]any{"labels": []string{"negative", "positive"}},
			"translator": map[string]any{"source": "en", "target": "de"},
		}, "limits": map[string]any{"max_body": 1 << 20}})
	})
	mux.HandleFunc("POST /v1/tag", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Text string }
		json.NewDecoder(r.Body).Decode(&req)
		writeJSON(w, map[string]any{"sentences": []any{map[string]any{"text": req.Text, "tokens": fakeTag(req.Text)}}})
	})
	mux.HandleFunc("POST /v1/classify", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Text string }
		json.NewDecoder(r.Body).Decode(&req)
		label, p := fakeSentiment(req.Text)
		writeJSON(w, map[string]any{"results": []any{map[string]any{"label": label, "probabilities": map[string]float64{label: p, other(label): 1 - p}}}})
	})
	mux.HandleFunc("POST /v1/pipeline", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		sc := bufio.NewScanner(r.Body)
		enc := json.NewEncoder(w)
		for doc := 0; sc.Scan(); doc++ {
			var in struct{ ID, Text string }
			json.Unmarshal(sc.Bytes(), &in)
			label, p := fakeSentiment(in.Text)
			enc.Encode(map[string]any{"doc": doc, "id": in.ID, "sent": 0, "text": in.Text, "tokens": fakeTag(in.Text),
				"sentiment": map[string]any{"label": label, "prob": p}})
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("POST /v1/translate", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Texts []string }
		json.NewDecoder(r.Body).Decode(&req)
		var out []any
		for _, text := range req.Texts {
			src := strings.Fields(text)
			tgt := make([]string, len(src))
			att := make([][]float64, len(src))
			for i := range src {
				tgt[i] = strings.ToUpper(src[i])
				att[i] = make([]float64, len(src))
				att[i][i] = 0.8
				if i > 0 {
					att[i][i-1] = 0.2
				}
			}
			out = append(out, map[string]any{"text": strings.Join(tgt, " "), "source": src, "target": tgt, "attention": att})
		}
		writeJSON(w, map[string]any{"translations": out})
	})
	return mux
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

var fakeWord = regexp.MustCompile(`\w+|[^\w\s]`)

func fakeTag(text string) []any {
	var toks []any
	for _, m := range fakeWord.FindAllStringIndex(text, -1) {
		form := text[m[0]:m[1]]
		upos, xpos := "NOUN", "NN"
		switch lw := strings.ToLower(form); {
		case lw == "the" || lw == "a":
			upos, xpos = "DET", "DT"
		case strings.HasSuffix(lw, "ly"):
			upos, xpos = "ADV", "RB"
		case strings.HasSuffix(lw, "ed") || lw == "is" || lw == "were":
			upos, xpos = "VERB", "VBD"
		case !strings.ContainsAny(lw, "abcdefghijklmnopqrstuvwxyz"):
			upos, xpos = "PUNCT", "."
		}
		start := utf8.RuneCountInString(text[:m[0]])
		toks = append(toks, map[string]any{"form": form, "upos": upos, "xpos": xpos, "start": start, "end": start + utf8.RuneCountInString(form)})
	}
	return toks
}

func fakeSentiment(text string) (string, float64) {
	if strings.Contains(text, "helpful") {
		return "positive", 0.93
	}
	return "negative", 0.71
}

func other(label string) string {
	if label == "positive" {
		return "negative"
	}
	return "positive"
}
