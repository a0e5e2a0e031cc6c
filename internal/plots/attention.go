package plots

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// attentionGrid is an attention matrix as gonum/plot's GridXYZ: column c is
// source unit c, row r target unit r, drawn from the top down.
type attentionGrid struct {
	w [][]float64
	n int // source units
}

func (g attentionGrid) Dims() (c, r int) { return g.n, len(g.w) }

// Z is the weight of target unit r (counted from the top) on source unit c.
func (g attentionGrid) Z(c, r int) float64 {
	row := g.w[len(g.w)-1-r]
	if c < len(row) {
		return row[c]
	}
	return 0
}
func (g attentionGrid) X(c int) float64 { return float64(c) }
func (g attentionGrid) Y(r int) float64 { return float64(r) }

// Attention draws an attention matrix as a heatmap, source units across and
// target units down (darker is more weight), and writes it to path (format
// from the extension: png, svg, pdf). weights[i][j] is target unit i's weight
// on source unit j. The file is written atomically.
func Attention(path string, source, target []string, weights [][]float64) error {
	if len(weights) != len(target) || len(source) == 0 || len(target) == 0 {
		return fmt.Errorf("plots: attention of %d rows for %d target and %d source units", len(weights), len(target), len(source))
	}
	p := plot.New()
	p.Title.Text = "Attention"
	p.X.Label.Text = "source"
	p.Y.Label.Text = "translation"
	hm := plotter.NewHeatMap(attentionGrid{w: weights, n: len(source)}, blues(64))
	hm.Min, hm.Max = 0, 1
	p.Add(hm)
	xt := make([]plot.Tick, len(source))
	for i, s := range source {
		xt[i] = plot.Tick{Value: float64(i), Label: s}
	}
	yt := make([]plot.Tick, len(target))
	for i, s := range target {
		yt[i] = plot.Tick{Value: float64(len(target) - 1 - i), Label: s}
	}
	p.X.Tick.Marker = plot.ConstantTicks(xt)
	p.Y.Tick.Marker = plot.ConstantTicks(yt)
	p.X.Tick.Label.Rotation = 0.8 // radians: long words do not overlap
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = -1, -0.5
	// Half an inch a unit, so that every label has room.
	wd := vg.Length(max(len(source), 4))*0.5*vg.Inch + 1.5*vg.Inch
	ht := vg.Length(max(len(target), 4))*0.4*vg.Inch + 1.5*vg.Inch
	return save(p, path, wd, ht)
}

// blues is n shades from white (no weight) to dark blue (all of it).
type blues int

func (n blues) Colors() []color.Color {
	cs := make([]color.Color, n)
	for i := range cs {
		f := float64(i) / float64(n-1)
		cs[i] = color.RGBA{R: uint8(255 - 247*f), G: uint8(255 - 207*f), B: uint8(255 - 148*f), A: 255}
	}
	return cs
}
