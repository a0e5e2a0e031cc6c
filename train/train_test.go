package train

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/nn"
)

// linear is a task small enough to follow by hand: least squares for
// y = w·x + b on synthetic data, with a second group (the bias) that can be
// frozen, and noise drawn per step from (seed, epoch, step) so that resumes
// inside an epoch are exact.
type linear struct {
	w, b       *nn.Param
	xs, ys     [][]float64
	devX, devY [][]float64
	batch      int
	order      []int
	seed       uint64
	freezeBias int // epochs in which the bias is frozen
	lr         float64
	nanAt      int // return a NaN loss at this step (1-based, 0: never)
	steps      int
	evals      int
	failEval   error
	devScores  []float64 // if set, Evaluate returns these in turn
	refreshes  int
	saved      []string
	groups     []Group
}

func newLinear(seed uint64) *linear {
	rng := rand.New(rand.NewPCG(seed, 7))
	truth := []float64{0.5, -1.5, 2}
	gen := func(n int) (xs, ys [][]float64) {
		for range n {
			x := []float64{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()}
			y := 0.3
			for j := range x {
				y += truth[j] * x[j]
			}
			xs, ys = append(xs, x), append(ys, []float64{y + 0.1*rng.NormFloat64()})
		}
		return
	}
	t := &linear{batch: 8, seed: seed, lr: 0.05}
	t.xs, t.ys = gen(64)
	t.devX, t.devY = gen(32)
	t.w = &nn.Param{Name: "w", Rows: 1, Cols: 3, Value: make([]float64, 3)}
	t.b = &nn.Param{Name: "b", Rows: 1, Cols: 1, Value: make([]float64, 1)}
	t.w.AllocGrad()
	t.b.AllocGrad()
	return t
}

func (t *linear) Groups() []Group {
	if t.groups == nil {
		t.groups = []Group{
			{Name: "weights", Params: []*nn.Param{t.w}, Adam: nn.NewAdam(t.lr), LR: t.lr},
			{Name: "bias", Params: []*nn.Param{t.b}, Adam: nn.NewAdam(t.lr), LR: t.lr,
				Frozen: func(e int) bool { return e < t.freezeBias }},
		}
	}
	return t.groups
}

func (t *linear) Epoch(e int) int {
	t.order = rand.New(rand.NewPCG(t.seed, uint64(e))).Perm(len(t.xs))
	return len(t.xs) / t.batch
}

func (t *linear) Step(e, i int) (float64, int, error) {
	t.steps++
	if t.nanAt > 0 && t.steps == t.nanAt {
		return math.NaN(), t.batch, nil
	}
	noise := rand.New(rand.NewPCG(t.seed, uint64(e)<<20|uint64(i)))
	var sum float64
	for _, k := range t.order[i*t.batch : (i+1)*t.batch] {
		d := t.predict(t.xs[k]) + 0.01*noise.NormFloat64() - t.ys[k][0]
		sum += d * d
		for j, x := range t.xs[k] {
			t.w.Grad[j] += 2 * d * x / float64(t.batch)
		}
		t.b.Grad[0] += 2 * d / float64(t.batch)
	}
	return sum / float64(t.batch), t.batch, nil
}

func (t *linear) predict(x []float64) float64 {
	y := t.b.Value[0]
	for j := range x {
		y += t.w.Value[j] * x[j]
	}
	return y
}

func (t *linear) Evaluate() (Score, error) {
	t.evals++
	if t.failEval != nil {
		return Score{}, t.failEval
	}
	if t.devScores != nil {
		v := t.devScores[(t.evals-1)%len(t.devScores)]
		return Score{Value: v, Metrics: map[string]float64{"score": v}}, nil
	}
	var sum float64
	for k, x := range t.devX {
		d := t.predict(x) - t.devY[k][0]
		sum += d * d
	}
	mse := sum / float64(len(t.devX))
	return Score{Value: -mse, Metrics: map[string]float64{"mse": mse}}, nil
}

func (t *linear) Identity() (map[string]string, error) {
	return map[string]string{"config": `{"batch":` + strconv.Itoa(t.batch) + `}`}, nil
}

func (t *linear) Refresh() { t.refreshes++ }

func (t *linear) Save(path string) error {
	t.saved = append(t.saved, path)
	return nn.Save(path, []*nn.Param{t.w, t.b}, nil)
}

func (t *linear) weights() []float64 { return append(slices.Clone(t.w.Value), t.b.Value...) }

func TestRunLearns(t *testing.T) {
	task := newLinear(1)
	rep, err := Run(context.Background(), task, Config{Epochs: 30}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.5, -1.5, 2, 0.3}
	for i, w := range task.weights() {
		if math.Abs(w-want[i]) > 0.1 {
			t.Errorf("weight %d = %.3f, want about %.3f (all %v)", i, w, want[i], task.weights())
		}
	}
	if len(rep.Evals) != 30 || rep.Epochs != 30 || rep.Steps != 30*8 {
		t.Errorf("%d evaluations, %d epochs, %d steps; want 30, 30, 240", len(rep.Evals), rep.Epochs, rep.Steps)
	}
	first, last := rep.Evals[0], rep.Evals[len(rep.Evals)-1]
	if !(last.Loss < first.Loss/10) || last.Metrics["mse"] > 0.05 {
		t.Errorf("loss %.4f → %.4f, dev mse %.4f: not learning", first.Loss, last.Loss, last.Metrics["mse"])
	}
	if first.Epoch != 1 || last.Epoch != 30 || last.Items != 64 || first.Step != 8 {
		t.Errorf("first %+v, last %+v", first, last)
	}
}

// TestResumeExact trains N epochs in one go and N/2 + resume + N/2, with
// averaging, plateau decay and a frozen group: the weights, the Adam
// moments and the reports must be identical.
func TestResumeExact(t *testing.T) {
	cfg := Config{Epochs: 6, Clip: 1, Schedule: Plateau, Decay: 0.5, Average: 0.9, Patience: 10}
	scores := []float64{1, 3, 2, 2, 4, 1} // decays after evaluations 3, 4 and 6
	whole := newLinear(2)
	whole.freezeBias, whole.devScores = 2, scores
	repWhole, err := Run(context.Background(), whole, cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}

	ckpt := filepath.Join(t.TempDir(), "run.ckpt")
	half := newLinear(2)
	half.freezeBias, half.devScores = 2, scores
	c := cfg
	c.Epochs = 3
	if _, err := Run(context.Background(), half, c, Options{Checkpoint: ckpt, Resume: true}); err != nil {
		t.Fatal(err)
	}
	rest := newLinear(2) // a new process: only the checkpoint carries over
	rest.freezeBias, rest.devScores = 2, scores[3:]
	repRest, err := Run(context.Background(), rest, cfg, Options{Checkpoint: ckpt, Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(whole.weights(), rest.weights()) {
		t.Errorf("weights: one go %v, resumed %v", whole.weights(), rest.weights())
	}
	for i, g := range whole.groups {
		if a, b := g.Adam.StateParams(g.Params), rest.groups[i].Adam.StateParams(rest.groups[i].Params); !slices.Equal(a[0].Value, b[0].Value) ||
			!slices.Equal(a[1].Value, b[1].Value) || g.Adam.Steps() != rest.groups[i].Adam.Steps() || g.Adam.LR != rest.groups[i].Adam.LR {
			t.Errorf("group %s: the optimizers differ after the resume", g.Name)
		}
	}
	if len(repRest.Evals) != 6 || repRest.BestEpoch != repWhole.BestEpoch || repRest.BestEpoch != 5 {
		t.Errorf("resumed report: %d evaluations, best epoch %d; one go: best epoch %d", len(repRest.Evals), repRest.BestEpoch, repWhole.BestEpoch)
	}
	for i := range repWhole.Evals {
		a, b := repWhole.Evals[i], repRest.Evals[i]
		if a.Loss != b.Loss || a.Score != b.Score || a.Best != b.Best || a.Step != b.Step {
			t.Errorf("evaluation %d: one go %+v, resumed %+v", i+1, a, b)
		}
	}
	if whole.groups[1].Adam.Steps() != 4*8 {
		t.Errorf("the bias was stepped %d times; frozen for 2 of 6 epochs of 8 steps it should be 32", whole.groups[1].Adam.Steps())
	}
}

// TestResumeInsideEpoch stops a run after a number of steps (cancelling it
// from the progress callback) and resumes it: a task whose steps depend on
// (epoch, step) only continues exactly.
func TestResumeInsideEpoch(t *testing.T) {
	cfg := Config{Epochs: 3, Schedule: Cosine, MinLR: 0.1}
	whole := newLinear(3)
	if _, err := Run(context.Background(), whole, cfg, Options{}); err != nil {
		t.Fatal(err)
	}
	ckpt := filepath.Join(t.TempDir(), "run.ckpt")
	ctx, cancel := context.WithCancel(context.Background())
	first := newLinear(3)
	rep, err := Run(ctx, first, cfg, Options{Checkpoint: ckpt, Progress: func(p Progress) {
		if p.Done == 13 {
			cancel()
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stopped != "canceled" || rep.Steps != 13 || first.steps != 13 {
		t.Fatalf("stopped %q after %d steps (reported %d); want canceled after 13", rep.Stopped, first.steps, rep.Steps)
	}
	rest := newLinear(3)
	repRest, err := Run(context.Background(), rest, cfg, Options{Checkpoint: ckpt, Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	if rest.steps != 24-13 || !slices.Equal(whole.weights(), rest.weights()) {
		t.Errorf("resumed for %d steps to %v; one go %v", rest.steps, rest.weights(), whole.weights())
	}
	if repRest.Stopped != "" || len(repRest.Evals) != 3 {
		t.Errorf("resumed report: stopped %q, %d evaluations", repRest.Stopped, len(repRest.Evals))
	}
}

func TestNaNIsAnError(t *testing.T) {
	task := newLinear(1)
	task.nanAt = 11
	_, err := Run(context.Background(), task, Config{Epochs: 3}, Options{})
	if err == nil || !strings.Contains(err.Error(), "epoch 2, step 3: the loss is NaN") {
		t.Fatalf("got %v, want an error naming epoch 2, step 3", err)
	}
}

func TestPatienceKeepsTheBest(t *testing.T) {
	task := newLinear(1)
	task.devScores = []float64{1, 5, 2, 3, 4, 9}
	out := filepath.Join(t.TempDir(), "best.model")
	var seen []Eval
	var atBest []float64
	rep, err := Run(context.Background(), task, Config{Epochs: 10, Patience: 3, Schedule: Plateau, Decay: 0.5},
		Options{Out: out, Evaluated: func(e Eval) {
			seen = append(seen, e)
			if e.Best {
				atBest = task.weights()
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stopped != "patience" || len(rep.Evals) != 5 || rep.BestEpoch != 2 || rep.BestScore != 5 || len(seen) != 5 {
		t.Fatalf("stopped %q after %d evaluations, best epoch %d (%g); want patience after 5, best 2 (5)",
			rep.Stopped, len(rep.Evals), rep.BestEpoch, rep.BestScore)
	}
	if !slices.Equal(task.weights(), atBest) {
		t.Errorf("kept %v, want the weights of epoch 2 %v", task.weights(), atBest)
	}
	if len(task.saved) != 2 {
		t.Errorf("the best model was saved %d times, want 2 (epochs 1 and 2)", len(task.saved))
	}
	// The last step came after two evaluations without improvement.
	if lr := task.groups[0].Adam.LR; lr != 0.05/4 {
		t.Errorf("learning rate %g of the last step, want %g", lr, 0.05/4)
	}
	loaded := []*nn.Param{{Name: "w", Rows: 1, Cols: 3, Value: make([]float64, 3)}, {Name: "b", Rows: 1, Cols: 1, Value: make([]float64, 1)}}
	if _, err := nn.Load(out, loaded); err != nil {
		t.Fatal(err)
	}
	if got := append(loaded[0].Value, loaded[1].Value...); !slices.Equal(got, atBest) {
		t.Errorf("the file holds %v, want %v", got, atBest)
	}
}

func TestEvaluateFirstKeepsTheStart(t *testing.T) {
	task := newLinear(1)
	task.devScores = []float64{10, 1, 2}
	start := task.weights()
	var epochs []int
	rep, err := Run(context.Background(), task, Config{Epochs: 2, EvaluateFirst: true},
		Options{Evaluated: func(e Eval) { epochs = append(epochs, e.Epoch) }})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Initial == nil || rep.BestEpoch != 0 || rep.Best() != rep.Initial || !slices.Equal(task.weights(), start) {
		t.Errorf("initial %+v, best epoch %d, weights %v; want the starting weights %v kept", rep.Initial, rep.BestEpoch, task.weights(), start)
	}
	// The starting weights' evaluation is reported as it happens, first.
	if !slices.Equal(epochs, []int{0, 1, 2}) {
		t.Errorf("Evaluated saw epochs %v, want 0 1 2", epochs)
	}
}

// TestAverageStartsAfterTheFirstStep checks the moving average against the
// formula by hand: it starts from the weights after step 1 (the starting
// weights, here zero, take no part), then avg ← d·avg + (1−d)·θ with
// d = min(Average, (1+t)/(10+t)).
func TestAverageStartsAfterTheFirstStep(t *testing.T) {
	after := func(steps int) []float64 {
		task := newLinear(4)
		if _, err := Run(context.Background(), task, Config{Steps: steps}, Options{}); err != nil {
			t.Fatal(err)
		}
		return task.weights()
	}
	th1, th2 := after(1), after(2)
	want := make([]float64, len(th1))
	for k := range want {
		a := th1[k]
		a = 2.0/11*a + 9.0/11*th1[k]
		want[k] = 3.0/12*a + 9.0/12*th2[k]
	}
	task := newLinear(4)
	if _, err := Run(context.Background(), task, Config{Steps: 2, Average: 0.99}, Options{}); err != nil {
		t.Fatal(err)
	}
	if got := task.weights(); !slices.Equal(got, want) {
		t.Errorf("averaged weights %v, want %v (steps 1 and 2: %v, %v)", got, want, th1, th2)
	}
}

func TestStepsAndEvalEvery(t *testing.T) {
	task := newLinear(1)
	rep, err := Run(context.Background(), task, Config{Steps: 21, EvalEvery: 5}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var steps []int
	for _, e := range rep.Evals {
		steps = append(steps, e.Step)
	}
	if !slices.Equal(steps, []int{5, 10, 15, 20, 21}) || task.steps != 21 || rep.Epochs != 2 {
		t.Errorf("evaluations at steps %v after %d steps, %d epochs; want 5 10 15 20 21, 21 steps, 2 epochs", steps, task.steps, rep.Epochs)
	}
	if e := rep.Evals[1]; e.Epoch != 2 || e.Items != 40 {
		t.Errorf("second evaluation: epoch %d, %d items; want 2 and 40", e.Epoch, e.Items)
	}
}

func TestMaxDurationEvaluatesAndStops(t *testing.T) {
	task := newLinear(1)
	ckpt := filepath.Join(t.TempDir(), "c")
	rep, err := Run(context.Background(), task, Config{Epochs: 1000000}, Options{MaxDuration: 30 * time.Millisecond, Checkpoint: ckpt})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stopped != "time" || rep.Steps == 0 || rep.Evals[len(rep.Evals)-1].Step != rep.Steps {
		t.Errorf("stopped %q after %d steps; last evaluation at %d", rep.Stopped, rep.Steps, rep.Evals[len(rep.Evals)-1].Step)
	}
	if _, err := os.Stat(ckpt); err != nil {
		t.Error(err)
	}
}

func TestResumeRefusesOtherCheckpoints(t *testing.T) {
	dir := t.TempDir()
	ckpt := filepath.Join(dir, "c")
	if _, err := Run(context.Background(), newLinear(1), Config{Epochs: 1}, Options{Checkpoint: ckpt}); err != nil {
		t.Fatal(err)
	}
	other := newLinear(1)
	other.batch = 4
	_, err := Run(context.Background(), other, Config{Epochs: 2}, Options{Checkpoint: ckpt, Resume: true})
	if !errors.Is(err, ErrCheckpoint) || !strings.Contains(err.Error(), "another config") {
		t.Errorf("other configuration: %v", err)
	}
	model := filepath.Join(dir, "m")
	if err := newLinear(1).Save(model); err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), newLinear(1), Config{Epochs: 2}, Options{Checkpoint: model, Resume: true})
	if !errors.Is(err, ErrCheckpoint) || !strings.Contains(err.Error(), "no training state") {
		t.Errorf("a model file as checkpoint: %v", err)
	}
	data, err := os.ReadFile(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-3] ^= 0xff
	if err := os.WriteFile(ckpt, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), newLinear(1), Config{Epochs: 2}, Options{Checkpoint: ckpt, Resume: true})
	if !errors.Is(err, ErrCheckpoint) || !errors.Is(err, nn.ErrCorrupt) {
		t.Errorf("a damaged checkpoint: %v", err)
	}
}

// TestResumeRewritesTheBest: the best weights of a resumed run come from the
// checkpoint, so a best-model file lost or damaged since is written again
// even when no evaluation of the new run improves on them.
func TestResumeRewritesTheBest(t *testing.T) {
	dir := t.TempDir()
	ckpt, out := filepath.Join(dir, "c"), filepath.Join(dir, "best.model")
	first := newLinear(1)
	first.devScores = []float64{5, 1}
	if _, err := Run(context.Background(), first, Config{Epochs: 2}, Options{Checkpoint: ckpt, Out: out}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, []byte("damaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	rest := newLinear(1)
	rest.devScores = []float64{1}
	rep, err := Run(context.Background(), rest, Config{Epochs: 3}, Options{Checkpoint: ckpt, Out: out, Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	loaded := []*nn.Param{{Name: "w", Rows: 1, Cols: 3, Value: make([]float64, 3)}, {Name: "b", Rows: 1, Cols: 1, Value: make([]float64, 1)}}
	if _, err := nn.Load(out, loaded); err != nil {
		t.Fatalf("the best model was not written again: %v", err)
	}
	if got := append(loaded[0].Value, loaded[1].Value...); rep.BestEpoch != 1 || !slices.Equal(got, rest.weights()) || len(rest.saved) != 1 {
		t.Errorf("best epoch %d, file %v, returned %v, saved %d times", rep.BestEpoch, got, rest.weights(), len(rest.saved))
	}
}

func TestEvaluateErrorStops(t *testing.T) {
	task := newLinear(1)
	task.failEval = errors.New("dev set unreadable")
	if _, err := Run(context.Background(), task, Config{Epochs: 2}, Options{}); err == nil || !strings.Contains(err.Error(), "dev set unreadable") {
		t.Errorf("got %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{}, "one of epochs and steps"},
		{Config{Epochs: -1, Clip: -1}, "epochs must not be negative"},
		{Config{Epochs: 1, Clip: math.NaN()}, "clip"},
		{Config{Epochs: 1, Schedule: Plateau}, "plateau decay"},
		{Config{Epochs: 1, Schedule: Cosine, MinLR: 2}, "final fraction"},
		{Config{Epochs: 1, Average: 1}, "average"},
		{Config{Epochs: 1, Schedule: 7}, "unknown schedule"},
	} {
		err := tc.cfg.Validate()
		if !errors.Is(err, nlp.ErrConfig) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.cfg, err, tc.want)
		}
	}
	if err := (Config{Steps: 3}).Validate(); err != nil {
		t.Error(err)
	}
}
