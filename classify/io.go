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
)

// ErrNotClassifier means a model file that holds some other kind of model.
var ErrNotClassifier = errors.New("not a classifier model")

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
	return map[string]string{
		nn.MetaConfig: string(cfg),
		metaKind:      kindValue,
		metaVocab:     string(vocab),
		metaLabels:    string(labels),
	}, nil
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
	return m, nil
}

// bestParams returns Params named "best."+name that hold values, for checkpoints.
func bestParams(m *Model, values [][]float64) []*nn.Param {
	ps := m.Params()
	out := make([]*nn.Param, len(ps))
	for i, p := range ps {
		out[i] = &nn.Param{Name: "best." + p.Name, Rows: p.Rows, Cols: p.Cols, Value: values[i]}
	}
	return out
}

// saveCheckpoint writes the model's current parameters (all in float64), the
// best ones so far and the training state.
func saveCheckpoint(path string, m *Model, best [][]float64, st trainState, opt optimizers) error {
	meta, err := m.meta()
	if err != nil {
		return err
	}
	js, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("classify: checkpoint: %w", err)
	}
	meta[metaTrainState] = string(js)
	m.setCompact(false)
	defer m.setCompact(true)
	if err := nn.Save(path, checkpointParams(m, best, opt), meta); err != nil {
		return fmt.Errorf("classify: checkpoint: %w", err)
	}
	return nil
}

// optimizers are the two Adams of a training, with the parameters each steps.
type optimizers struct {
	net, emb             *nn.Adam
	netParams, embParams []*nn.Param
}

// state lists the optimizers' moments as Params (see nn.Adam.StateParams).
func (o optimizers) state() []*nn.Param {
	return append(o.net.StateParams(o.netParams), o.emb.StateParams(o.embParams)...)
}

// checkpointParams is everything a checkpoint holds: the current parameters,
// the best ones so far and Adam's moments.
func checkpointParams(m *Model, best [][]float64, opt optimizers) []*nn.Param {
	return append(append(m.Params(), bestParams(m, best)...), opt.state()...)
}

// loadOptimizers restores Adam's moments and step counts from a checkpoint made
// by saveCheckpoint, into optimizers built for m; best receives the best
// parameters again. A resumed training then takes exactly the steps an
// uninterrupted one would.
func loadOptimizers(path string, m *Model, best [][]float64, st trainState, opt optimizers) error {
	m.setCompact(false)
	defer m.setCompact(true)
	if _, err := nn.Load(path, checkpointParams(m, best, opt)); err != nil {
		return fmt.Errorf("classify: resume %q: %w", path, err)
	}
	opt.net.SetSteps(st.NetSteps)
	opt.emb.SetSteps(st.EmbSteps)
	return nil
}

// loadCheckpoint restores a model and its training state; cfg (defaults filled)
// must match the checkpoint's configuration but for Epochs and Patience.
func loadCheckpoint(path string, cfg Config) (*Model, trainState, error) {
	var st trainState
	meta, err := nn.LoadMeta(path)
	if err != nil {
		return nil, st, fmt.Errorf("classify: resume %q: %w", path, err)
	}
	m, err := fromMeta(meta)
	if err != nil {
		return nil, st, fmt.Errorf("classify: resume %q: %w", path, err)
	}
	if err := json.Unmarshal([]byte(meta[metaTrainState]), &st); err != nil {
		return nil, st, fmt.Errorf("classify: resume %q: not a checkpoint: %w", path, err)
	}
	want := cfg
	want.Dim = m.Config.Dim // taken from the vectors when training starts
	if !configsMatch(m.Config, want) {
		a, _ := json.Marshal(m.Config)
		b, _ := json.Marshal(want)
		return nil, st, fmt.Errorf("classify: resume %q: the checkpoint was made with another configuration:\n  checkpoint %s\n  now        %s", path, a, b)
	}
	// The weights themselves are loaded with the optimizers' state (loadOptimizers),
	// once Train has built the optimizers.
	st.bestValues = cloneValues(m.Params())
	return m, st, nil
}
