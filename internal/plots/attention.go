package plots

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// grid is a matrix as gonum/plot's GridXYZ: column c, row r counted from the
// top of the matrix but drawn from the bottom of the plot.
type grid struct {
	w [][]float64
	n int // columns
}

func (g grid) Dims() (c, r int) { return g.n, len(g.w) }

// Z is the value of row r (counted from the bottom of the plot) at column c.
func (g grid) Z(c, r int) float64 {
	row := g.w[len(g.w)-1-r]
	if c < len(row) {
		return row[c]
	}
	return 0
}
func (g grid) X(c int) float64 { return float64(c) }
func (g grid) Y(r int) float64 { return float64(r) }

// heatmap is a plot of values (rows down, columns across, 0 white to 1 dark
// blue) with a label on every row and column, sized so that every label has
// room.
func heatmap(title, xLabel, yLabel string, cols, rows []string, values [][]float64) (*plot.Plot, vg.Length, vg.Length) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	hm := plotter.NewHeatMap(grid{w: values, n: len(cols)}, blues(64))
	hm.Min, hm.Max = 0, 1
	p.Add(hm)
	xt := make([]plot.Tick, len(cols))
	for i, s := range cols {
		xt[i] = plot.Tick{Value: float64(i), Label: s}
	}
	yt := make([]plot.Tick, len(rows))
	for i, s := range rows {
		yt[i] = plot.Tick{Value: float64(len(rows) - 1 - i), Label: s}
	}
	p.X.Tick.Marker = plot.ConstantTicks(xt)
	p.Y.Tick.Marker = plot.ConstantTicks(yt)
	p.X.Tick.Label.Rotation = 0.8 // radians: long labels do not overlap
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = -1, -0.5
	// Half an inch a column, 0.4 a row.
	wd := vg.Length(max(len(cols), 4))*0.5*vg.Inch + 1.5*vg.Inch
	ht := vg.Length(max(len(rows), 4))*0.4*vg.Inch + 1.5*vg.Inch
	return p, wd, ht
}

// Attention draws an attention matrix as a heatmap, source units across and
// target units down (darker is more weight), and writes it to path (format
// from the extension: png, svg, pdf). weights[i][j] is target unit i's weight
// on source unit j. The file is written atomically.
func Attention(path string, source, target []string, weights [][]float64) error {
	if len(weights) != len(target) || len(source) == 0 || len(target) == 0 {
		return fmt.Errorf("plots: attention of %d rows for %d target and %d source units", len(weights), len(target), len(source))
	}
	p, wd, ht := heatmap("Attention", "source", "translation", source, target, weights)
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
