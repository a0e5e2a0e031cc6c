package nn

// A matrix product C += op(A)·op(B) through the AVX2 kernel: op(A) is copied
// ("packed") into panels of 4 rows stored column by column, op(B) into panels of
// 8 columns stored row by row, so the kernel reads both with unit stride whatever
// the transposes, and each 4×8 block of C is computed in registers. Packing costs
// O(mk + kn) against O(mnk) for the product; a B that does not change between
// products (a layer's U during a pass) is packed once and reused.

const (
	panelRows = 4 // rows of C per kernel call
	panelCols = 8 // columns of C per kernel call
)

// gemmer multiplies matrices, owning its packing buffers so that it allocates
// nothing once they have grown. It is not safe for concurrent use.
type gemmer struct {
	pa, pb []float64
}

// kernelFits reports whether the packed kernel should take an m×n product.
// Even a single row goes to the kernel (three of its four rows are padding):
// it still reads B once in order, where gonum's row-by-row updates reread the
// output for every element of A, which matters for batch-1 recurrences.
// Products narrower than a panel go to gonum.
func kernelFits(m, n, k int) bool {
	return useKernel && m >= 1 && n >= panelCols && k > 0
}

// mul computes c = op(a)·op(b) + beta·c like gemm.
func (g *gemmer) mul(ta, tb bool, m, n, k int, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if !kernelFits(m, n, k) {
		gemm(ta, tb, m, n, k, 1, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if beta != 0 {
		scale(beta, m, n, c, ldc)
	}
	g.pb = packB(g.pb, tb, k, n, b, ldb)
	g.mulPacked(ta, m, n, k, a, lda, g.pb, c, ldc, beta != 0)
}

// mulSharedB computes c1 += op(a1)·b and c2 += op(a2)·b for one b (k×n), packed
// once: the weight gradients dW = xᵀ·da and dU = hᵀ·da share da.
func (g *gemmer) mulSharedB(k, n int, b []float64, ldb int,
	ta1 bool, m1 int, a1 []float64, lda1 int, c1 []float64, ldc1 int,
	ta2 bool, m2 int, a2 []float64, lda2 int, c2 []float64, ldc2 int) {
	if !kernelFits(min(m1, m2), n, k) {
		gemm(ta1, false, m1, n, k, 1, a1, lda1, b, ldb, 1, c1, ldc1)
		gemm(ta2, false, m2, n, k, 1, a2, lda2, b, ldb, 1, c2, ldc2)
		return
	}
	g.pb = packB(g.pb, false, k, n, b, ldb)
	g.mulPacked(ta1, m1, n, k, a1, lda1, g.pb, c1, ldc1, true)
	g.mulPacked(ta2, m2, n, k, a2, lda2, g.pb, c2, ldc2, true)
}

// mulPacked computes c = op(a)·B (acc false) or c += op(a)·B (acc true), with B
// (k×n) already packed by packB.
func (g *gemmer) mulPacked(ta bool, m, n, k int, a []float64, lda int, pb []float64, c []float64, ldc int, acc bool) {
	if m < panelRows && !ta {
		mulRows(m, n, k, a, lda, pb, c, ldc, acc)
		return
	}
	g.pa = packA(g.pa, ta, m, k, a, lda)
	var tmp [panelRows * panelCols]float64
	for j0 := 0; j0 < n; j0 += panelCols {
		bp := pb[j0*k : j0*k+panelCols*k]
		for i0 := 0; i0 < m; i0 += panelRows {
			ap := g.pa[i0*k : i0*k+panelRows*k]
			if i0+panelRows <= m && j0+panelCols <= n {
				kernel4x8(k, &ap[0], &bp[0], &c[i0*ldc+j0], ldc, acc)
				continue
			}
			// An edge block: compute it whole into tmp, then store the part inside C.
			kernel4x8(k, &ap[0], &bp[0], &tmp[0], panelCols, false)
			for r := 0; r < min(panelRows, m-i0); r++ {
				row := c[(i0+r)*ldc+j0 : (i0+r)*ldc+j0+min(panelCols, n-j0)]
				t := tmp[r*panelCols:]
				if acc {
					for j := range row {
						row[j] += t[j]
					}
				} else {
					copy(row, t)
				}
			}
		}
	}
}

// packA copies op(a) (m×k) into dst as panels of 4 rows: panel p holds
// op(a)[4p+r, l] at p·4k + 4l + r, zero past row m.
func packA(dst []float64, ta bool, m, k int, a []float64, lda int) []float64 {
	mp := (m + panelRows - 1) / panelRows * panelRows
	dst = grow(dst, mp*k)
	for i0 := 0; i0 < mp; i0 += panelRows {
		p := dst[i0*k : (i0+panelRows)*k]
		for r := 0; r < panelRows; r++ {
			i := i0 + r
			switch {
			case i >= m:
				for l := 0; l < k; l++ {
					p[l*panelRows+r] = 0
				}
			case ta:
				for l := 0; l < k; l++ {
					p[l*panelRows+r] = a[l*lda+i]
				}
			default:
				row := a[i*lda : i*lda+k]
				for l, v := range row {
					p[l*panelRows+r] = v
				}
			}
		}
	}
	return dst
}

// packB copies op(b) (k×n) into dst as panels of 8 columns: panel q holds
// op(b)[l, 8q+j] at q·8k + 8l + j, zero past column n.
func packB(dst []float64, tb bool, k, n int, b []float64, ldb int) []float64 {
	np := (n + panelCols - 1) / panelCols * panelCols
	dst = grow(dst, k*np)
	for j0 := 0; j0 < np; j0 += panelCols {
		p := dst[j0*k : (j0+panelCols)*k]
		w := min(panelCols, n-j0)
		for l := 0; l < k; l++ {
			row := p[l*panelCols : (l+1)*panelCols]
			switch {
			case tb:
				for j := 0; j < w; j++ {
					row[j] = b[(j0+j)*ldb+l]
				}
				clear(row[w:])
			case w == panelCols:
				// Eight plain moves: copy would call memmove for 64 bytes.
				src := b[l*ldb+j0 : l*ldb+j0+panelCols]
				row[0], row[1], row[2], row[3] = src[0], src[1], src[2], src[3]
				row[4], row[5], row[6], row[7] = src[4], src[5], src[6], src[7]
			default:
				copy(row[:w], b[l*ldb+j0:l*ldb+j0+w])
				clear(row[w:])
			}
		}
	}
	return dst
}

// scale multiplies the m×n matrix c by beta (0 clears it, 1 leaves it).
func scale(beta float64, m, n int, c []float64, ldc int) {
	if beta == 1 {
		return
	}
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

// mulRows is mulPacked for fewer rows than a panel (a batch of one, most often):
// each row of a, already contiguous, meets each panel of B in kernel1x8, with no
// padding rows to compute.
func mulRows(m, n, k int, a []float64, lda int, pb []float64, c []float64, ldc int, acc bool) {
	var tmp [panelCols]float64
	for i := 0; i < m; i++ {
		row := a[i*lda : i*lda+k]
		for j0 := 0; j0 < n; j0 += panelCols {
			bp := pb[j0*k : j0*k+panelCols*k]
			if j0+panelCols <= n {
				kernel1x8(k, &row[0], &bp[0], &c[i*ldc+j0], acc)
				continue
			}
			kernel1x8(k, &row[0], &bp[0], &tmp[0], false)
			dst := c[i*ldc+j0 : i*ldc+n]
			if acc {
				for j := range dst {
					dst[j] += tmp[j]
				}
			} else {
				copy(dst, tmp[:])
			}
		}
	}
}
