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

// Load reads a model written by Save (or a training checkpoint, whose current
// parameters it takes).
func Load(path string) (*Model, error) {
	meta, err := nn.LoadMeta(path)
	if err != nil {
		return nil, fmt.Errorf("generate: load %q: %w", path, err)
	}
	m, err := fromMeta(meta)
	if err != nil {
		return nil, fmt.Errorf("generate: load %q: %w", path, err)
	}
	ps := m.Params()
	if _, ok := meta[metaTrainState]; ok {
		if err := m.loadCheckpointModel(path); err != nil {
			return nil, fmt.Errorf("generate: load %q: %w", path, err)
		}
		return m, nil
	}
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

// loadCheckpointModel loads the current parameters of a checkpoint, whose other
// tensors (best values, moments, states) are read into throwaway Params.
func (m *Model) loadCheckpointModel(path string) error {
	meta, err := nn.LoadMeta(path)
	if err != nil {
		return err
	}
	var st trainState
	if err := json.Unmarshal([]byte(meta[metaTrainState]), &st); err != nil {
		return fmt.Errorf("%w: %v", nn.ErrCorrupt, err)
	}
	ps := m.Params()
	best := make([][]float64, len(ps))
	for i, p := range ps {
		best[i] = make([]float64, len(p.Value))
	}
	cfg := m.Config
	W := cfg.Threads
	carry := make([][]nn.State, W)
	for i := range carry {
		carry[i] = m.main.newStates((i+1)*cfg.BatchSize/W - i*cfg.BatchSize/W)
	}
	_, err = nn.Load(path, checkpointParams(m, best, nn.NewAdam(cfg.LR), carry))
	return err
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
