package serve

import (
	_ "embed"
	"net/http"
	"strconv"
	"strings"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/nlp-go/nlp/internal/buildinfo"
	"github.com/nlp-go/nlp/pipeline"
)

// openAPI is the description of the API (OpenAPI 3), served as is.
//
//go:embed openapi.json
var openAPI []byte

// MaxBeam is the widest beam /v1/translate accepts.
const MaxBeam = 10

// MaxNeighbours is the most neighbours /v1/similar returns.
const MaxNeighbours = 100

// routeTable lists every route; TestOpenAPIRoutes checks it against openapi.json.
func (s *Server) routeTable() []route {
	metrics := promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})
	return []route{
		{method: "GET", path: "/healthz", open: true, handle: func(w http.ResponseWriter, r *http.Request) error {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Write([]byte("ok\n"))
			return nil
		}},
		{method: "GET", path: "/readyz", open: true, handle: s.handleReady},
		{method: "GET", path: "/metrics", open: true, handle: func(w http.ResponseWriter, r *http.Request) error {
			metrics.ServeHTTP(w, r)
			return nil
		}},
		{method: "GET", path: "/v1/openapi.json", open: true, handle: func(w http.ResponseWriter, r *http.Request) error {
			w.Header().Set("Content-Type", "application/json")
			w.Write(openAPI)
			return nil
		}},
		{method: "GET", path: "/v1/info", handle: s.handleInfo},
		{method: "POST", path: "/v1/tag", handle: s.handleTag},
		{method: "POST", path: "/v1/classify", handle: s.handleClassify},
		{method: "POST", path: "/v1/pipeline", handle: s.handlePipeline},
		{method: "POST", path: "/v1/translate", handle: s.handleTranslate},
		{method: "GET", path: "/v1/similar", handle: s.handleSimilar},
	}
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) error {
	if s.draining.Load() {
		return errorf(http.StatusServiceUnavailable, "shutting down")
	}
	if s.models.Tagger == nil && s.models.Classifier == nil && s.models.Translator == nil && s.models.Vectors == nil {
		return errorf(http.StatusServiceUnavailable, "no model loaded")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ready\n"))
	return nil
}

// noModel is the 404 of a route whose model was not loaded.
func noModel(kind, flag string) error {
	return errorf(http.StatusNotFound, "no %s model is loaded (start the server with %s)", kind, flag)
}

func (s *Server) handleInfo(w http.ResponseWriter, r *http.Request) error {
	type obj = map[string]any
	models := obj{}
	if m := s.models.Tagger; m != nil {
		models["tagger"] = obj{"language": m.Language(), "upos": m.UPOSTags(), "xpos": m.XPOSTags()}
	}
	if m := s.models.Classifier; m != nil {
		models["classifier"] = obj{"language": m.Language, "labels": m.Names()}
	}
	if m := s.models.Translator; m != nil {
		c := m.Config()
		models["translator"] = obj{"cell": c.Cell, "attention": c.Attention, "max_length": c.MaxLength, "max_beam": MaxBeam}
	}
	if v := s.models.Vectors; v != nil {
		models["vectors"] = obj{"words": v.Len(), "dim": v.Dim()}
	}
	c := s.cfg
	writeJSON(w, http.StatusOK, obj{
		"version": buildinfo.Version(),
		"models":  models,
		"limits": obj{"max_body": c.MaxBody, "max_tokens": c.MaxTokens, "max_sentences": c.MaxSentences,
			"max_translate": c.MaxTranslate, "max_inflight": c.MaxInflight, "max_neighbours": MaxNeighbours},
		"batching": obj{"enabled": !c.NoBatching, "max_batch": c.MaxBatch, "wait_ms": float64(c.BatchWait.Microseconds()) / 1000,
			"workers": c.Workers},
	})
	return nil
}

type tagRequest struct {
	Text      *string    `json:"text"`
	Sentences [][]string `json:"sentences"`
}

type tagSentence struct {
	Text   string              `json:"text"`
	Tokens pipeline.TokensJSON `json:"tokens"`
}

func (s *Server) handleTag(w http.ResponseWriter, r *http.Request) error {
	if s.tag == nil {
		return noModel("tagger", "--tagger")
	}
	var req tagRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	ctx, cancel := s.withTimeout(r)
	defer cancel()
	var sents []*pipeline.Sentence
	switch {
	case req.Text != nil && req.Sentences != nil:
		return errorf(http.StatusBadRequest, `give either "text" or "sentences", not both`)
	case req.Text != nil:
		d := &pipeline.Document{Name: "request", Text: *req.Text}
		if err := s.segment(ctx, d); err != nil {
			return s.waitError(err)
		}
		sents = d.Sentences
	case req.Sentences != nil:
		if len(req.Sentences) > s.cfg.MaxSentences {
			return s.tooMany("sentences", len(req.Sentences), s.cfg.MaxSentences, "--max-sentences")
		}
		sents = make([]*pipeline.Sentence, len(req.Sentences))
		for i, forms := range req.Sentences {
			if len(forms) == 0 {
				return errorf(http.StatusBadRequest, "sentences[%d] has no token", i)
			}
			toks := make([]pipeline.Token, len(forms))
			for k, f := range forms {
				if strings.TrimSpace(f) == "" {
					return errorf(http.StatusBadRequest, "sentences[%d][%d] is blank: a token needs a character other than a space", i, k)
				}
				toks[k].Form = f
			}
			sents[i] = &pipeline.Sentence{Text: strings.Join(forms, " "), Tokens: toks}
		}
	default:
		return errorf(http.StatusBadRequest, `give "text" (raw text) or "sentences" (lists of tokens)`)
	}
	if len(sents) > s.cfg.MaxSentences {
		return s.tooMany("sentences", len(sents), s.cfg.MaxSentences, "--max-sentences")
	}
	forms := make([][]string, len(sents))
	n := 0
	for i, st := range sents {
		forms[i] = make([]string, len(st.Tokens))
		for k, t := range st.Tokens {
			forms[i][k] = t.Form
		}
		n += len(st.Tokens)
	}
	if n > s.cfg.MaxTokens {
		return s.tooMany("tokens", n, s.cfg.MaxTokens, "--max-tokens")
	}
	tags, err := s.tag.Do(ctx, forms)
	if err != nil {
		return s.waitError(err)
	}
	out := struct {
		Sentences []tagSentence `json:"sentences"`
	}{Sentences: make([]tagSentence, len(sents))}
	for i, st := range sents {
		for k := range st.Tokens {
			st.Tokens[k].UPOS, st.Tokens[k].XPOS = tags[i].UPOS[k], tags[i].XPOS[k]
		}
		out.Sentences[i] = tagSentence{Text: st.Text, Tokens: st.Tokens}
	}
	writeJSON(w, http.StatusOK, &out)
	return nil
}

// tooMany is the 413 of a request over one of the per-request limits.
func (s *Server) tooMany(what string, n, limit int, flag string) error {
	return errorf(http.StatusRequestEntityTooLarge, "%d %s in the request, over the limit of %d (%s)", n, what, limit, flag)
}

// texts returns the texts of a request with "texts" or "text" (exactly one).
func texts(one *string, many []string) ([]string, error) {
	switch {
	case one != nil && many != nil:
		return nil, errorf(http.StatusBadRequest, `give either "text" or "texts", not both`)
	case one != nil:
		return []string{*one}, nil
	case many != nil:
		return many, nil
	}
	return nil, errorf(http.StatusBadRequest, `give "text" (a string) or "texts" (a list of strings)`)
}

func (s *Server) handleClassify(w http.ResponseWriter, r *http.Request) error {
	if s.classify == nil {
		return noModel("classifier", "--classifier")
	}
	var req struct {
		Text  *string  `json:"text"`
		Texts []string `json:"texts"`
	}
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	in, err := texts(req.Text, req.Texts)
	if err != nil {
		return err
	}
	if len(in) > s.cfg.MaxSentences {
		return s.tooMany("texts", len(in), s.cfg.MaxSentences, "--max-sentences")
	}
	ctx, cancel := s.withTimeout(r)
	defer cancel()
	preds, err := s.classify.Do(ctx, in)
	if err != nil {
		return s.waitError(err)
	}
	type result struct {
		Label         string             `json:"label"`
		Probabilities map[string]float64 `json:"probabilities"`
	}
	names := s.models.Classifier.Names()
	out := struct {
		Results []result `json:"results"`
	}{Results: make([]result, len(preds))}
	for i, p := range preds {
		probs := make(map[string]float64, len(names))
		for c, name := range names {
			probs[name] = p.Probs[c]
		}
		out.Results[i] = result{Label: p.Label, Probabilities: probs}
	}
	writeJSON(w, http.StatusOK, &out)
	return nil
}

func (s *Server) handleTranslate(w http.ResponseWriter, r *http.Request) error {
	if s.models.Translator == nil {
		return noModel("translation", "--translator")
	}
	var req struct {
		Text      *string  `json:"text"`
		Texts     []string `json:"texts"`
		Beam      *int     `json:"beam"`
		Attention bool     `json:"attention"`
	}
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	in, err := texts(req.Text, req.Texts)
	if err != nil {
		return err
	}
	if len(in) > s.cfg.MaxTranslate {
		return s.tooMany("texts", len(in), s.cfg.MaxTranslate, "--max-translate")
	}
	beam := 5
	if req.Beam != nil {
		if beam = *req.Beam; beam < 1 || beam > MaxBeam {
			return errorf(http.StatusBadRequest, `field "beam": %d, want 1..%d`, beam, MaxBeam)
		}
	}
	type translation struct {
		Text      string      `json:"text"`
		Source    []string    `json:"source,omitempty"`
		Target    []string    `json:"target,omitempty"`
		Attention [][]float64 `json:"attention,omitempty"`
	}
	out := struct {
		Translations []translation `json:"translations"`
	}{Translations: make([]translation, len(in))}
	// One translation at a time: the model is shared by every beam's
	// translator. The client's leaving or the timeout is checked between texts.
	ctx, cancel := s.withTimeout(r)
	defer cancel()
	select {
	case s.trSem <- struct{}{}:
		defer func() { <-s.trSem }()
	case <-ctx.Done():
		return s.waitError(ctx.Err())
	}
	tr, err := s.translator(beam)
	if err != nil {
		return err
	}
	if !req.Attention {
		for i, t := range tr.Translate(in) {
			out.Translations[i].Text = t
		}
	} else {
		for i, t := range in {
			if err := ctx.Err(); err != nil {
				return s.waitError(err)
			}
			a := tr.Explain(t)
			out.Translations[i] = translation{Text: a.Translation, Source: a.Source, Target: a.Target, Attention: a.Weights}
		}
	}
	writeJSON(w, http.StatusOK, &out)
	return nil
}

func (s *Server) handleSimilar(w http.ResponseWriter, r *http.Request) error {
	v := s.models.Vectors
	if v == nil {
		return noModel("vectors", "--vectors")
	}
	q := r.URL.Query()
	word := q.Get("word")
	if word == "" {
		return errorf(http.StatusBadRequest, `query parameter "word" is missing`)
	}
	n := 10
	if ns := q.Get("n"); ns != "" {
		var err error
		if n, err = strconv.Atoi(ns); err != nil || n < 1 || n > MaxNeighbours {
			return errorf(http.StatusBadRequest, `query parameter "n": %q, want 1..%d`, ns, MaxNeighbours)
		}
	}
	nb, err := v.Nearest(word, n)
	if err != nil {
		return errorf(http.StatusBadRequest, "%q is not in the vectors", word)
	}
	type neighbour struct {
		Word       string  `json:"word"`
		Similarity float64 `json:"similarity"`
	}
	out := struct {
		Word       string      `json:"word"`
		Neighbours []neighbour `json:"neighbours"`
	}{Word: word, Neighbours: make([]neighbour, len(nb))}
	for i, x := range nb {
		out.Neighbours[i] = neighbour{x.Word, x.Similarity}
	}
	writeJSON(w, http.StatusOK, &out)
	return nil
}
