package translate

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/nlp-go/nlp/nn"
)

// Model file metadata keys (the weights are nn Params; see nn.Save).
const (
	metaConfig    = nn.MetaConfig
	metaKind      = "kind"
	metaSrcVocab  = "src_vocab"
	metaTgtVocab  = "tgt_vocab"
	metaText      = "text"
	kindTranslate = "translate"
)

// meta is what a model file holds besides the weights, each value JSON.
func (m *Model) meta() (map[string]string, error) {
	out := map[string]string{metaKind: `"` + kindTranslate + `"`}
	for k, v := range map[string]any{metaConfig: m.cfg, metaSrcVocab: m.src.units, metaTgtVocab: m.tgt.units, metaText: m.text} {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("translate: %s: %w", k, err)
		}
		out[k] = string(b)
	}
	return out, nil
}

// Save writes the model to path in one file (written to a temporary file and
// renamed): weights, configuration, vocabularies and the text models.
func (m *Model) Save(path string) error {
	meta, err := m.meta()
	if err != nil {
		return err
	}
	if err := nn.Save(path, m.Params(), meta); err != nil {
		return fmt.Errorf("translate: %w", err)
	}
	return nil
}

// Load reads a model written by Save.
func Load(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("translate: %w", err)
	}
	m, err := loadBytes(data)
	if err != nil {
		return nil, fmt.Errorf("translate: load %q: %w", path, err)
	}
	return m, nil
}

// LoadBytes reads a model held in memory (an embedded one).
func LoadBytes(data []byte) (*Model, error) {
	m, err := loadBytes(data)
	if err != nil {
		return nil, fmt.Errorf("translate: %w", err)
	}
	return m, nil
}

func loadBytes(data []byte) (*Model, error) {
	f, err := nn.DecodeModel(data)
	if err != nil {
		return nil, err
	}
	meta := f.Meta()
	if meta[metaKind] != `"`+kindTranslate+`"` {
		return nil, fmt.Errorf("not a translation model (kind %s)", meta[metaKind])
	}
	var cfg Config
	if err := json.Unmarshal([]byte(meta[metaConfig]), &cfg); err != nil {
		return nil, fmt.Errorf("bad config: %w", err)
	}
	var srcUnits, tgtUnits []string
	if err := json.Unmarshal([]byte(meta[metaSrcVocab]), &srcUnits); err != nil {
		return nil, fmt.Errorf("bad source vocabulary: %w", err)
	}
	if err := json.Unmarshal([]byte(meta[metaTgtVocab]), &tgtUnits); err != nil {
		return nil, fmt.Errorf("bad target vocabulary: %w", err)
	}
	src, err := vocabOf(srcUnits)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	tgt, err := vocabOf(tgtUnits)
	if err != nil {
		return nil, fmt.Errorf("target: %w", err)
	}
	text := new(textModel)
	if err := json.Unmarshal([]byte(meta[metaText]), text); err != nil {
		return nil, fmt.Errorf("bad text models: %w", err)
	}
	if err := text.init(); err != nil {
		return nil, err
	}
	m, err := newModel(cfg, src, tgt, text, nil)
	if err != nil {
		return nil, err
	}
	if err := f.Load(m.Params()); err != nil {
		return nil, err
	}
	// A loaded model translates (or trains later, which allocates them
	// again): the gradient buffers would double its memory.
	nn.ReleaseGrads(m.Params())
	return m, nil
}

// Clone returns an independent copy of the model (weights copied), for use
// on another goroutine.
func (m *Model) Clone() *Model {
	c, err := newModel(m.cfg, m.src, m.tgt, m.text, nil)
	if err != nil {
		panic(err) // m was built from the same configuration
	}
	src := m.Params()
	for i, p := range c.Params() {
		copy(p.Value, src[i].Value)
		p.Changed()
		p.ReleaseGrad()
	}
	return c
}
