package generate

import (
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/nlp-go/nlp/nn"
)

// Metadata keys of a generator model file (besides nn's).
const (
	metaKind  = "kind"
	metaVocab = "vocab"
	kindValue = `"generate"`
)

// ErrNotGenerator means a model file that holds some other kind of model.
var ErrNotGenerator = errors.New("not a character generator model")

// ErrCheckpoint means a training checkpoint given where a model file is
// expected.
var ErrCheckpoint = errors.New("a training checkpoint, not a model file (load the model the training wrote)")

// Save writes the model to path as one model file (nn.Save: safetensors in
// float64, a checksum, written to a temporary file and renamed). The metadata
// holds the configuration and the vocabulary, one string per character in ID
// order from FirstCharID.
func (m *Model) Save(path string) error {
	meta, err := m.meta()
	if err != nil {
		return err
	}
	if err := nn.Save(path, m.Params(), meta); err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	return nil
}

func (m *Model) meta() (map[string]string, error) {
	cfg, err := json.Marshal(m.Config)
	if err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	chars := make([]string, len(m.chars))
	for i, c := range m.chars {
		chars[i] = string(c)
	}
	vocab, _ := json.Marshal(chars)
	return map[string]string{nn.MetaConfig: string(cfg), metaKind: kindValue, metaVocab: string(vocab)}, nil
}

// Load reads a model written by Save. A training checkpoint is refused with
// an error that says so: it holds more than a model (the loop's state), and the
// model to load is the one the training wrote beside it (train.Options.Out).
func Load(path string) (*Model, error) {
	meta, err := nn.LoadMeta(path)
	if err != nil {
		return nil, fmt.Errorf("generate: load %q: %w", path, err)
	}
	if _, ok := meta[metaCheckpoint]; ok {
		return nil, fmt.Errorf("generate: load %q: %w", path, ErrCheckpoint)
	}
	m, err := fromMeta(meta)
	if err != nil {
		return nil, fmt.Errorf("generate: load %q: %w", path, err)
	}
	ps := m.Params()
	if _, err := nn.Load(path, ps); err != nil {
		return nil, fmt.Errorf("generate: load %q: %w", path, err)
	}
	nn.ReleaseGrads(ps) // sampling never reads them; training allocates them again
	return m, nil
}

// LoadBytes reads a model from the bytes of a model file written by Save.
func LoadBytes(data []byte) (*Model, error) {
	f, err := nn.DecodeModel(data)
	if err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	m, err := fromMeta(f.Meta())
	if err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	if err := f.Load(m.Params()); err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	nn.ReleaseGrads(m.Params())
	return m, nil
}

// fromMeta builds an untrained model shaped by a file's metadata.
func fromMeta(meta map[string]string) (*Model, error) {
	if meta[metaKind] != kindValue {
		return nil, fmt.Errorf("%w (kind %s)", ErrNotGenerator, meta[metaKind])
	}
	var cfg Config
	var chars []string
	if err := json.Unmarshal([]byte(meta[nn.MetaConfig]), &cfg); err != nil {
		return nil, fmt.Errorf("%w: metadata %q: %v", nn.ErrCorrupt, nn.MetaConfig, err)
	}
	if err := json.Unmarshal([]byte(meta[metaVocab]), &chars); err != nil {
		return nil, fmt.Errorf("%w: metadata %q: %v", nn.ErrCorrupt, metaVocab, err)
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", nn.ErrCorrupt, err)
	}
	cfg = cfg.WithDefaults()
	runes := make([]rune, len(chars))
	for i, s := range chars {
		c, size := utf8.DecodeRuneInString(s)
		if size != len(s) || (c == utf8.RuneError && size <= 1) {
			return nil, fmt.Errorf("%w: vocabulary entry %d (%q) is not one character", nn.ErrCorrupt, i, s)
		}
		runes[i] = c
	}
	m, err := newModel(cfg, runes, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", nn.ErrCorrupt, err)
	}
	return m, nil
}
