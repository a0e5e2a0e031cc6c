// Package plots draws the toolkit's figures with gonum/plot.
package plots

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/nlp-go/nlp/internal/fileutil"
	"github.com/nlp-go/nlp/nn"
)

var palette = []color.Color{
	color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
	color.RGBA{R: 0x94, G: 0x67, B: 0xbd, A: 0xff},
	color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff},
}

// GradFlow draws ‖∂L/∂h_t‖ against the distance from the last step, on a log
// scale, one curve per cell, and writes it to path (format from the extension:
// png, svg, pdf). The file is written atomically.
func GradFlow(path string, res nn.GradFlow) error {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Gradient flow back through time (hidden %d, input %d)", res.Config.Hidden, res.Config.Input)
	p.X.Label.Text = "distance from the last step (t = T-1-d)"
	p.Y.Label.Text = "norm of dL/dh_t"
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = decadeTicks{}
	p.Legend.Top = true
	for i, name := range res.Cells {
		pts := make(plotter.XYs, 0, len(res.Norms[i]))
		for d, v := range res.Norms[i] {
			// A log axis cannot show zero: gradients that underflowed are dropped.
			if v > 0 && !math.IsInf(v, 0) {
				pts = append(pts, plotter.XY{X: float64(d), Y: v})
			}
		}
		line, err := plotter.NewLine(pts)
		if err != nil {
			return fmt.Errorf("plots: %s: %w", name, err)
		}
		line.Color = palette[i%len(palette)]
		line.Width = vg.Points(1.5)
		p.Add(line)
		p.Legend.Add(name, line)
	}
	p.Add(plotter.NewGrid())
	return save(p, path, 7*vg.Inch, 4.5*vg.Inch)
}

// save writes p, w×h, to path in the format its extension names (png, svg,
// pdf; png without one), atomically.
func save(p *plot.Plot, path string, w, h vg.Length) error {
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	if format == "" {
		format = "png"
	}
	wt, err := p.WriterTo(w, h, format)
	if err != nil {
		return fmt.Errorf("plots: %q: %w", path, err)
	}
	err = fileutil.WriteAtomic(path, func(w io.Writer) error {
		_, err := wt.WriteTo(w)
		return err
	})
	if err != nil {
		return fmt.Errorf("plots: %q: %w", path, err)
	}
	return nil
}

// decadeTicks marks every power of ten and labels a few of them ("1e-05"), so a
// range of thirty decades stays readable.
type decadeTicks struct{}

// Ticks implements plot.Ticker.
func (decadeTicks) Ticks(lo, hi float64) []plot.Tick {
	first, last := int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi)))
	step := max((last-first)/6, 1)
	var ticks []plot.Tick
	for e := first; e <= last; e++ {
		t := plot.Tick{Value: math.Pow(10, float64(e))}
		if (e-last)%step == 0 {
			t.Label = fmt.Sprintf("1e%d", e)
		}
		ticks = append(ticks, t)
	}
	return ticks
}
