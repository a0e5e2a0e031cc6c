package plots

import (
	"fmt"
	"image/color"
	"strconv"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Confusion draws a confusion matrix as a heatmap — gold classes down,
// predicted classes across, each cell shaded by the fraction of its gold row
// (so that rare classes show their errors as clearly as frequent ones) and
// labelled with its count — and writes it to path (png, svg or pdf from the
// extension), atomically. counts[g][p] counts the items of gold class
// labels[g] predicted as labels[p].
func Confusion(path, title string, labels []string, counts [][]int) error {
	if len(labels) == 0 || len(counts) != len(labels) {
		return fmt.Errorf("plots: confusion matrix of %d rows for %d labels", len(counts), len(labels))
	}
	frac := make([][]float64, len(counts))
	var cells plotter.XYLabels
	for g, row := range counts {
		if len(row) != len(labels) {
			return fmt.Errorf("plots: confusion matrix row %d has %d columns for %d labels", g, len(row), len(labels))
		}
		total := 0
		for _, n := range row {
			total += n
		}
		frac[g] = make([]float64, len(row))
		for p, n := range row {
			if total > 0 {
				frac[g][p] = float64(n) / float64(total)
			}
			if n > 0 {
				cells.XYs = append(cells.XYs, plotter.XY{X: float64(p), Y: float64(len(counts) - 1 - g)})
				cells.Labels = append(cells.Labels, strconv.Itoa(n))
			}
		}
	}
	p, wd, ht := heatmap(title, "predicted", "gold", labels, labels, frac)
	if len(cells.Labels) > 0 {
		text, err := plotter.NewLabels(cells)
		if err != nil {
			return fmt.Errorf("plots: %w", err)
		}
		for i, xy := range cells.XYs {
			// Dark cells get white numbers.
			g, c := len(counts)-1-int(xy.Y), int(xy.X)
			if frac[g][c] > 0.5 {
				text.TextStyle[i].Color = color.White
			}
			text.TextStyle[i].XAlign, text.TextStyle[i].YAlign = draw.XCenter, draw.YCenter
			text.TextStyle[i].Font.Size = vg.Points(8)
		}
		p.Add(text)
	}
	return save(p, path, wd, ht)
}
