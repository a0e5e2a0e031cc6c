package plots

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/nlp-go/nlp/internal/fileutil"
	"github.com/nlp-go/nlp/train"
)

// Training draws a run's curves — the training loss above, the development
// measures below (every metric of the evaluations, the kept evaluation
// marked) — against the epoch, or the step when the run evaluated several
// times an epoch, and writes them to path (png, svg or pdf from the
// extension), atomically. title names the model ("tagger", "classifier").
func Training(path, title string, evals []train.Eval) error {
	if len(evals) == 0 {
		return fmt.Errorf("plots: no evaluation to draw (the run stopped before its first)")
	}
	x, xLabel := func(e train.Eval) float64 { return float64(e.Epoch) }, "epoch"
	for i := 1; i < len(evals); i++ {
		if evals[i].Epoch <= evals[i-1].Epoch {
			x, xLabel = func(e train.Eval) float64 { return float64(e.Step) }, "step"
			break
		}
	}

	loss := plot.New()
	loss.Title.Text = title + ": training"
	loss.X.Label.Text = xLabel
	loss.Y.Label.Text = "loss"
	pts := make(plotter.XYs, len(evals))
	for i, e := range evals {
		pts[i] = plotter.XY{X: x(e), Y: e.Loss}
	}
	if err := addLine(loss, "", pts, 0); err != nil {
		return err
	}
	loss.Add(plotter.NewGrid())

	dev := plot.New()
	dev.Title.Text = title + ": development"
	dev.X.Label.Text = xLabel
	dev.Legend.Top, dev.Legend.Left = false, false
	var names []string
	for _, e := range evals {
		for k := range e.Metrics {
			if !slices.Contains(names, k) {
				names = append(names, k)
			}
		}
	}
	slices.Sort(names)
	scored := false
	for i, name := range names {
		var pts plotter.XYs
		for _, e := range evals {
			if v, ok := e.Metrics[name]; ok {
				pts = append(pts, plotter.XY{X: x(e), Y: v})
			}
		}
		if err := addLine(dev, name, pts, i); err != nil {
			return err
		}
		scored = true
	}
	if !scored { // a task without metrics: its score
		var pts plotter.XYs
		for _, e := range evals {
			if e.Scored {
				pts = append(pts, plotter.XY{X: x(e), Y: e.Score})
			}
		}
		if len(pts) > 0 {
			if err := addLine(dev, "score", pts, 0); err != nil {
				return err
			}
			scored = true
		}
	}
	// The kept weights are those of the last evaluation marked best (earlier
	// ones were kept in turn): ring every measure of it.
	var best plotter.XYs
	for i := len(evals) - 1; i >= 0 && best == nil; i-- {
		e := evals[i]
		if !e.Best {
			continue
		}
		for _, name := range names {
			if v, ok := e.Metrics[name]; ok {
				best = append(best, plotter.XY{X: x(e), Y: v})
			}
		}
		if len(names) == 0 && e.Scored {
			best = append(best, plotter.XY{X: x(e), Y: e.Score})
		}
	}
	if len(best) > 0 {
		s, err := plotter.NewScatter(best)
		if err != nil {
			return fmt.Errorf("plots: %w", err)
		}
		s.Shape = draw.RingGlyph{}
		s.Radius = vg.Points(6)
		dev.Add(s)
		dev.Legend.Add("kept", s)
	}
	dev.Add(plotter.NewGrid())
	if !scored {
		dev.Title.Text = title + ": no development data"
	}
	return saveColumn(path, []*plot.Plot{loss, dev}, 7*vg.Inch, 7*vg.Inch)
}

// addLine adds a line with points to p, in the palette's i-th colour, and to
// the legend when it has a name.
func addLine(p *plot.Plot, name string, pts plotter.XYs, i int) error {
	line, points, err := plotter.NewLinePoints(pts)
	if err != nil {
		return fmt.Errorf("plots: %s: %w", name, err)
	}
	line.Color, points.Color = palette[i%len(palette)], palette[i%len(palette)]
	line.Width = vg.Points(1.5)
	p.Add(line, points)
	if name != "" {
		p.Legend.Add(name, line, points)
	}
	return nil
}

// saveColumn writes plots one above the other on a w×h canvas to path, in
// the format its extension names (png, svg, pdf; png without one), atomically.
func saveColumn(path string, ps []*plot.Plot, w, h vg.Length) error {
	var c interface {
		vg.CanvasSizer
		io.WriterTo
	}
	switch format := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), "."); format {
	case "", "png":
		c = vgimg.PngCanvas{Canvas: vgimg.New(w, h)}
	case "svg":
		c = vgsvg.New(w, h)
	case "pdf":
		c = vgpdf.New(w, h)
	default:
		return fmt.Errorf("plots: %q: unsupported format %q (want png, svg or pdf)", path, format)
	}
	tiles := draw.Tiles{Rows: len(ps), Cols: 1, PadTop: vg.Points(4), PadBottom: vg.Points(4), PadX: vg.Points(4), PadY: vg.Points(12)}
	grid := make([][]*plot.Plot, len(ps))
	for i, p := range ps {
		grid[i] = []*plot.Plot{p}
	}
	canvases := plot.Align(grid, tiles, draw.New(c))
	for i, p := range ps {
		p.Draw(canvases[i][0])
	}
	err := fileutil.WriteAtomic(path, func(out io.Writer) error {
		_, err := c.WriteTo(out)
		return err
	})
	if err != nil {
		return fmt.Errorf("plots: %q: %w", path, err)
	}
	return nil
}
