package pipeline

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nlp-go/nlp/classify"
	"github.com/nlp-go/nlp/datasets/tokenize"
	"github.com/nlp-go/nlp/embed"
	"github.com/nlp-go/nlp/tagger"
)

// SegmentConfig sets how Segment splits documents.
type SegmentConfig struct {
	// NoSplit keeps each document as one sentence (input already one sentence
	// a line) instead of splitting it with the Punkt sentence model.
	NoSplit bool
	// MaxTokens cuts a sentence of more tokens into pieces of MaxTokens (text
	// without sentence punctuation would otherwise make one huge sentence, and
	// the networks' buffers grow with the longest sentence they read);
	// 0 means DefaultMaxTokens, negative no limit. The pieces share the
	// sentence's text.
	MaxTokens int
	// TokenText sets each sentence's Text to its tokens joined by single
	// spaces ("It is n't .") instead of the sentence as written ("It isn't."):
	// the "# text" comment nlp tag has always written for plain text, which
	// shows how the text was tokenized.
	TokenText bool
}

// DefaultMaxTokens is the longest sentence Segment makes by default; the longest
// sentence of the English Web Treebank has 159 words.
const DefaultMaxTokens = 256

// Segment returns the segment+tokenize stage: it splits the Text of each document
// that has no sentences yet into sentences (Punkt, prose's English model) and each
// sentence into Penn-Treebank-style tokens, with tokenize.Tokenizer. Each worker
// has its own Tokenizer, whose sentence model is loaded once, on first use.
// Documents that already have sentences (input read tokenized: CoNLL-U, CoNLL
// columns, tokenized lines) pass unchanged.
func Segment(cfg SegmentConfig) Stage[*Document, *Document] {
	return &segment{cfg: cfg}
}

type segment struct {
	cfg   SegmentConfig
	tok   *tokenize.Tokenizer
	spans []tokenize.Span // the tokens of a sentence, reused
}

func (s *segment) Fork() Stage[*Document, *Document] { return &segment{cfg: s.cfg} }

func (s *segment) Process(ctx context.Context, docs []*Document) ([]*Document, error) {
	if s.tok == nil {
		s.tok = tokenize.New()
	}
	for _, d := range docs {
		if d.Sentences != nil || strings.TrimSpace(d.Text) == "" {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := s.document(d); err != nil {
			return nil, &Error{Position: d.Position(), Err: err}
		}
	}
	return docs, nil
}

// document splits d's text into sentences of tokens, with their offsets.
func (s *segment) document(d *Document) error {
	text := d.Text
	var sents []tokenize.Span
	if s.cfg.NoSplit {
		start := len(text) - len(strings.TrimLeftFunc(text, unicode.IsSpace))
		sents = []tokenize.Span{{Start: start, End: len(strings.TrimRightFunc(text, unicode.IsSpace))}}
	} else {
		var err error
		if sents, err = s.tok.SentenceSpans(text); err != nil {
			return err
		}
	}
	d.Sentences = make([]*Sentence, 0, len(sents))
	var (
		prev     *Token // the document's previous token
		prevEnd  int    // where it ends, in bytes
		runeAt   int    // the offset in code points of byte byteAt
		byteAt   int
		position = func(b int) int { // code points before byte b; b never decreases
			runeAt += utf8.RuneCountInString(text[byteAt:b])
			byteAt = b
			return runeAt
		}
	)
	for _, ss := range sents {
		s.spans = s.tok.AppendSpans(s.spans[:0], text[ss.Start:ss.End])
		if len(s.spans) == 0 {
			// A sentence without words has nothing to tag or write (as
			// datasets.Tokenizer.SentenceTokens, which nlp tag used, drops it).
			continue
		}
		limit := len(s.spans)
		switch {
		case s.cfg.MaxTokens > 0:
			limit = s.cfg.MaxTokens
		case s.cfg.MaxTokens == 0:
			limit = DefaultMaxTokens
		}
		for lo := 0; lo < len(s.spans); lo += limit {
			piece := s.spans[lo:min(lo+limit, len(s.spans))]
			first, last := ss.Start+piece[0].Start, ss.Start+piece[len(piece)-1].End
			sent := &Sentence{Text: text[first:last], Tokens: make([]Token, len(piece))}
			for i, sp := range piece {
				start, end := ss.Start+sp.Start, ss.Start+sp.End
				if prev != nil && prevEnd == start {
					prev.NoSpaceAfter = true
				}
				t := &sent.Tokens[i]
				t.Form = text[start:end]
				t.Start, t.End = position(start), position(end)
				prev, prevEnd = t, end
			}
			if s.cfg.TokenText {
				sent.Text = joinForms(sent.Tokens)
			}
			d.Sentences = append(d.Sentences, sent)
		}
	}
	return nil
}

// Tag returns the tag stage: it sets UPOS and XPOS of every token with the tagger
// m. The sentences of a batch go to m.Tag together, which sorts them by length
// and tags them in groups of similar length (at most 64 sentences and 1,024
// words once padded), so that the network runs many sentences at once with
// little padding and bounded buffers: give Run batches of a hundred sentences
// or more (Config.BatchSize). Each fork
// (worker) tags with its own Clone of m; the stage itself tags with m.
// Serial(Tag(m)) keeps one model for every worker.
func Tag(m *tagger.Model) Stage[*Document, *Document] {
	return &tagStage{m: m, clone: func() sentenceTagger { return m.Clone() }}
}

// TagEnsemble returns the tag stage of an ensemble of taggers: Tag with the tags
// whose probability, averaged over e's models, is highest. Each fork (worker)
// tags with its own Clone of e; the stage itself tags with e.
func TagEnsemble(e *tagger.Ensemble) Stage[*Document, *Document] {
	return &tagStage{m: e, clone: func() sentenceTagger { return e.Clone() }}
}

// sentenceTagger is what the tag stage needs of a tagger.Model or Ensemble.
type sentenceTagger interface {
	TagFunc(forms [][]string, set func(i, k int, upos, xpos string))
}

type tagStage struct {
	m     sentenceTagger
	clone func() sentenceTagger // an independent copy of m, for a fork
	forms [][]string
	sents []*Sentence
}

// Batches handed to the classifier: at most classifyBatch sentences and
// maxRows words once padded to the longest (sentences sorted by length first,
// so little is padded). Its buffers grow to the largest batch it has run, so
// bounding the padded size bounds their memory; a larger call would also make
// it spread the batch over a second Clone of its own. (The tagger bounds its
// batches itself.)
const (
	classifyBatch = 64
	maxRows       = 256
)

// byLength returns the indices of seqs sorted by length (stable), reusing order.
func byLength[T any](order []int, seqs [][]T) []int {
	order = order[:0]
	for i := range seqs {
		order = append(order, i)
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(seqs[a]) - len(seqs[b]) })
	return order
}

// groups cuts order (indices sorted by length) into runs of at most batch
// sequences whose count × longest length stays within maxRows (a longer
// sequence goes alone).
func groups[T any](order []int, seqs [][]T, batch int) [][]int {
	var out [][]int
	for lo := 0; lo < len(order); {
		hi := lo + 1
		for hi < len(order) && hi-lo < batch && (hi-lo+1)*len(seqs[order[hi]]) <= maxRows {
			hi++
		}
		out = append(out, order[lo:hi])
		lo = hi
	}
	return out
}

func (t *tagStage) Fork() Stage[*Document, *Document] {
	return &tagStage{m: t.clone(), clone: t.clone}
}

func (t *tagStage) Process(ctx context.Context, docs []*Document) ([]*Document, error) {
	t.forms, t.sents = t.forms[:0], t.sents[:0]
	for _, d := range docs {
		for _, s := range d.Sentences {
			if len(s.Tokens) == 0 {
				continue
			}
			forms := make([]string, len(s.Tokens))
			for i, tok := range s.Tokens {
				forms[i] = tok.Form
			}
			t.forms = append(t.forms, forms)
			t.sents = append(t.sents, s)
		}
	}
	if len(t.forms) == 0 {
		return docs, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The tagger sorts the sentences by length itself and runs them in groups
	// of at most 64 sentences and 1,024 padded words (tagger.Model.Tag): a
	// batch of Run is a few hundred sentences, which it fills with little
	// padding. (Groups cut to 256 padded words here, as the classifier's are,
	// cost nlp tag 7-12% of its speed on raw text for ~50 MB less memory.)
	// The tags go straight into the tokens: no slice of them per sentence.
	t.m.TagFunc(t.forms, func(i, k int, upos, xpos string) {
		tok := &t.sents[i].Tokens[k]
		tok.UPOS, tok.XPOS = upos, xpos
	})
	// Drop references to the documents once they have gone on.
	clear(t.sents)
	clear(t.forms)
	return docs, nil
}

// Classify returns the classify stage: it sets the Sentiment of every sentence
// with the classifier m — the most probable class and its probability. The
// classifier reads each sentence's Text tokenized its own way (lower-cased,
// classify.Model.Tokens), which is how its training data were read: the tagger's
// tokens differ from those of the lower-cased text for about 1.5% of English
// sentences ("Ms." against "ms ."). Each fork (worker) uses its own Clone of m;
// the stage itself uses m.
//
// Sentences go to the classifier sorted by length, in batches of bounded size.
func Classify(m *classify.Model) Stage[*Document, *Document] {
	return &classifyStage{m: m}
}

type classifyStage struct {
	m     *classify.Model
	toks  [][]string
	sents []*Sentence
	order []int
}

func (c *classifyStage) Fork() Stage[*Document, *Document] { return &classifyStage{m: c.m.Clone()} }

func (c *classifyStage) Process(ctx context.Context, docs []*Document) ([]*Document, error) {
	c.toks, c.sents = c.toks[:0], c.sents[:0]
	for _, d := range docs {
		for _, s := range d.Sentences {
			text := s.Text
			if text == "" {
				text = joinForms(s.Tokens)
			}
			c.toks = append(c.toks, c.m.Tokens(text))
			c.sents = append(c.sents, s)
		}
	}
	if len(c.sents) == 0 {
		return docs, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.order = byLength(c.order, c.toks)
	chunk := make([][]string, 0, classifyBatch)
	for _, idx := range groups(c.order, c.toks, classifyBatch) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		chunk = chunk[:0]
		for _, i := range idx {
			chunk = append(chunk, c.toks[i])
		}
		for k, p := range c.m.PredictTokens(chunk) {
			c.sents[idx[k]].Sentiment = &Sentiment{Label: p.Label, Prob: p.Prob}
		}
	}
	clear(c.toks)
	clear(c.sents)
	return docs, nil
}

func joinForms(toks []Token) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.Form)
	}
	return b.String()
}

// Embed returns the embed-lookup stage: it sets the Vector of every token that
// has one in v — the form as written, else lower-cased (word2vec corpora here
// are lower-cased). The vectors are shared, not copied: treat them as read-only.
// v is safe for concurrent use, so the stage is shared by the workers.
func Embed(v *embed.Vectors) Stage[*Document, *Document] {
	return Map(func(_ context.Context, d *Document) (*Document, error) {
		for _, s := range d.Sentences {
			for i := range s.Tokens {
				t := &s.Tokens[i]
				vec, ok := v.Vector(t.Form)
				if !ok {
					vec, _ = v.Vector(strings.ToLower(t.Form))
				}
				t.Vector = vec
			}
		}
		return d, nil
	})
}
