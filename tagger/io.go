package tagger

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/nlp-go/nlp/nn"
)

// Model file metadata keys (the weights are nn Params; see nn.Save).
const (
	metaConfig = nn.MetaConfig
	metaVocab  = "vocabularies"
	metaKind   = "kind"
	kindTagger = `"tagger"`
	// metaLanguage is the language of the text the model was trained on, an
	// ISO 639-1 code as a JSON string ("en"); absent when not known.
	metaLanguage = "language"
)

// metadata is what a model file holds besides the weights.
func (m *Model) metadata() (map[string]string, error) {
	cfg, err := json.Marshal(m.cfg)
	if err != nil {
		return nil, err
	}
	voc, err := json.Marshal(m.vocabularies())
	if err != nil {
		return nil, err
	}
	meta := map[string]string{metaKind: kindTagger, metaConfig: string(cfg), metaVocab: string(voc)}
	if m.lang != "" {
		lang, err := json.Marshal(m.lang)
		if err != nil {
			return nil, err
		}
		meta[metaLanguage] = string(lang)
	}
	return meta, nil
}

// Save writes the model to path in one file (written to a temporary file and
// renamed): weights, configuration, vocabularies and tag sets.
func (m *Model) Save(path string) error {
	meta, err := m.metadata()
	if err != nil {
		return fmt.Errorf("tagger: save %q: %w", path, err)
	}
	if err := nn.Save(path, m.params(), meta); err != nil {
		return fmt.Errorf("tagger: %w", err)
	}
	return nil
}

// Load reads a model written by Save.
func Load(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("tagger: %w", err)
	}
	m, err := loadBytes(data)
	if err != nil {
		return nil, fmt.Errorf("tagger: load %q: %w", path, err)
	}
	return m, nil
}

// LoadBytes reads a model held in memory (an embedded one). The file is
// decoded and verified once, then its metadata shapes the model and its
// tensors fill it.
func LoadBytes(data []byte) (*Model, error) {
	m, err := loadBytes(data)
	if err != nil {
		return nil, fmt.Errorf("tagger: %w", err)
	}
	return m, nil
}

func loadBytes(data []byte) (*Model, error) {
	f, err := nn.DecodeModel(data)
	if err != nil {
		return nil, err
	}
	m, err := fromMeta(f.Meta())
	if err != nil {
		return nil, err
	}
	if err := f.Load(m.params()); err != nil {
		return nil, err
	}
	// A loaded model predicts (or trains later, which allocates them again):
	// the gradient buffers would double its memory.
	nn.ReleaseGrads(m.params())
	return m, nil
}

// fromMeta builds an untrained model of the shape the metadata describes.
func fromMeta(meta map[string]string) (*Model, error) {
	if meta[metaKind] != kindTagger {
		return nil, fmt.Errorf("not a tagger model (kind %s)", meta[metaKind])
	}
	var cfg Config
	if err := json.Unmarshal([]byte(meta[metaConfig]), &cfg); err != nil {
		return nil, fmt.Errorf("bad config: %w", err)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var v vocabularies
	if err := json.Unmarshal([]byte(meta[metaVocab]), &v); err != nil {
		return nil, fmt.Errorf("bad vocabularies: %w", err)
	}
	if len(v.Words) != len(v.WordCounts) || len(v.Words) == 0 || len(v.Chars) == 0 || (v.PreDim > 0) != (len(v.Pretrained) > 0) || v.PreDim < 0 {
		return nil, fmt.Errorf("inconsistent vocabularies")
	}
	var lang string
	if js, ok := meta[metaLanguage]; ok {
		if err := json.Unmarshal([]byte(js), &lang); err != nil {
			return nil, fmt.Errorf("bad language: %w", err)
		}
	}
	// The weights are about to be loaded: no random values to draw (nil).
	m, err := newModel(cfg, v, nil)
	if err != nil {
		return nil, err
	}
	m.lang = lang
	return m, nil
}

// Language returns the language of the text the model was trained on, an
// ISO 639-1 code ("en"), or "" when its file does not say.
func (m *Model) Language() string { return m.lang }

// SetLanguage sets the language the model's file will record (Save): an
// ISO 639-1 code, or "" for unknown.
func (m *Model) SetLanguage(code string) { m.lang = code }

// Clone returns an independent copy of the model, for use on another goroutine.
func (m *Model) Clone() *Model {
	c, err := newModel(m.cfg, m.vocabularies(), nil)
	if err != nil {
		panic(err) // m was built from the same vocabularies
	}
	src := m.params()
	for i, p := range c.params() {
		copy(p.Value, src[i].Value)
		p.ReleaseGrad() // a clone predicts
	}
	c.window = m.window
	c.lang = m.lang
	c.weightsChanged()
	return c
}
