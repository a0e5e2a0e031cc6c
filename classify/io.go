package classify

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/nlp-go/nlp/nn"
)

// Metadata keys of a classifier model file (besides nn's).
const (
	metaKind   = "kind"
	metaVocab  = "vocab"
	metaLabels = "labels"
	kindValue  = `"classify"`
	// metaLanguage is Model.Language as a JSON string; absent when "".
	metaLanguage = "language"
)

// ErrNotClassifier means a model file that holds some other kind of model.
var ErrNotClassifier = errors.New("not a classifier model")

// ErrEmptySet is returned (wrapped) by Evaluate given no examples: a score over
// nothing would read as a result instead of a mistake in the file.
var ErrEmptySet = errors.New("empty evaluation set")

// Save writes the model to path as one model file (nn.Save: safetensors, a
// checksum, written to a temporary file and renamed). The metadata holds the
// configuration, the vocabulary and the labels; the embedding table is stored
// as binary16 and the other tensors as float32 (Train leaves the model rounded
// to that precision, so the file computes exactly what the model in memory does).
func (m *Model) Save(path string) error {
	meta, err := m.meta()
	if err != nil {
		return err
	}
	if err := nn.Save(path, m.Params(), meta); err != nil {
		return fmt.Errorf("classify: %w", err)
	}
	return nil
}

func (m *Model) meta() (map[string]string, error) {
	cfg, err := json.Marshal(m.Config)
	if err != nil {
		return nil, fmt.Errorf("classify: %w", err)
	}
	vocab, _ := json.Marshal(m.words)
	labels, _ := json.Marshal(m.Labels)
	meta := map[string]string{
		nn.MetaConfig: string(cfg),
		metaKind:      kindValue,
		metaVocab:     string(vocab),
		metaLabels:    string(labels),
	}
	if m.Language != "" {
		lang, _ := json.Marshal(m.Language)
		meta[metaLanguage] = string(lang)
	}
	return meta, nil
}

// Load reads a model written by Save.
func Load(path string) (*Model, error) {
	meta, err := nn.LoadMeta(path)
	if err != nil {
		return nil, fmt.Errorf("classify: load %q: %w", path, err)
	}
	m, err := fromMeta(meta)
	if err != nil {
		return nil, fmt.Errorf("classify: load %q: %w", path, err)
	}
	if _, err := nn.Load(path, m.Params()); err != nil {
		return nil, fmt.Errorf("classify: load %q: %w", path, err)
	}
	// Prediction never reads the gradient buffers, as large as the weights;
	// training a loaded model allocates them again.
	nn.ReleaseGrads(m.Params())
	return m, nil
}

// LoadBytes reads a model from the bytes of a model file (an embedded model).
func LoadBytes(data []byte) (*Model, error) {
	meta, err := nn.LoadMetaBytes(data)
	if err != nil {
		return nil, fmt.Errorf("classify: %w", err)
	}
	m, err := fromMeta(meta)
	if err != nil {
		return nil, fmt.Errorf("classify: %w", err)
	}
	if _, err := nn.LoadBytes(data, m.Params()); err != nil {
		return nil, fmt.Errorf("classify: %w", err)
	}
	nn.ReleaseGrads(m.Params())
	return m, nil
}

// fromMeta builds an untrained model shaped by a file's metadata.
func fromMeta(meta map[string]string) (*Model, error) {
	if meta[metaKind] != kindValue {
		return nil, fmt.Errorf("%w (kind %s)", ErrNotClassifier, meta[metaKind])
	}
	var cfg Config
	var words, labels []string
	for _, f := range []struct {
		key string
		dst any
	}{{nn.MetaConfig, &cfg}, {metaVocab, &words}, {metaLabels, &labels}} {
		if err := json.Unmarshal([]byte(meta[f.key]), f.dst); err != nil {
			return nil, fmt.Errorf("%w: metadata %q: %v", nn.ErrCorrupt, f.key, err)
		}
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", nn.ErrCorrupt, err)
	}
	if cfg.Dim <= 0 {
		return nil, fmt.Errorf("%w: embedding width %d", nn.ErrCorrupt, cfg.Dim)
	}
	cfg = cfg.WithDefaults() // Init was resolved when the model was trained
	m, err := newModel(cfg, words, labels, cfg.Dim, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", nn.ErrCorrupt, err)
	}
	if js, ok := meta[metaLanguage]; ok {
		if err := json.Unmarshal([]byte(js), &m.Language); err != nil {
			return nil, fmt.Errorf("%w: metadata %q: %v", nn.ErrCorrupt, metaLanguage, err)
		}
	}
	return m, nil
}
