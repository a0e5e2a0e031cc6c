package nn

import "math"

// IEEE 754 half precision (binary16), for storing large tables — pretrained word
// vectors — at a quarter of their float64 size. 11 significant bits keep a
// relative error below 2⁻¹¹ ≈ 5·10⁻⁴, far under the noise of word2vec itself.

// float16Bits returns the binary16 encoding of x, rounded to nearest even,
// with overflow to ±Inf and underflow to (signed) zero or a subnormal.
func float16Bits(x float64) uint16 {
	b := math.Float64bits(x)
	sign := uint16(b>>48) & 0x8000
	exp := int((b>>52)&0x7ff) - 1023 + 15
	mant := b & (1<<52 - 1)
	if (b>>52)&0x7ff == 0x7ff {
		if mant != 0 {
			return sign | 0x7e00 // NaN
		}
		return sign | 0x7c00
	}
	if exp >= 0x1f {
		return sign | 0x7c00
	}
	if exp <= 0 {
		// Subnormal half: value = m·2⁻²⁴ with m < 1024.
		if exp < -10 {
			return sign
		}
		mant |= 1 << 52
		shift := uint(42 + 1 - exp) // 52 − 10 + (1 − exp)
		m := mant >> shift
		rem, half := mant&(1<<shift-1), uint64(1)<<(shift-1)
		if rem > half || (rem == half && m&1 == 1) {
			m++ // may carry into the smallest normal: the encoding stays right
		}
		return sign | uint16(m)
	}
	m := mant >> 42
	rem := mant & (1<<42 - 1)
	if rem > 1<<41 || (rem == 1<<41 && m&1 == 1) {
		m++
		if m == 1<<10 {
			m = 0
			exp++
			if exp >= 0x1f {
				return sign | 0x7c00
			}
		}
	}
	return sign | uint16(exp)<<10 | uint16(m)
}

// float16Value decodes a binary16 encoding.
func float16Value(h uint16) float64 {
	exp := int(h>>10) & 0x1f
	if exp != 0 && exp != 0x1f {
		// A normal number: move sign, exponent and mantissa into float64's fields.
		b := uint64(h&0x8000)<<48 | uint64(exp-15+1023)<<52 | uint64(h&0x3ff)<<42
		return math.Float64frombits(b)
	}
	mant := float64(h & 0x3ff)
	var v float64
	switch exp {
	case 0:
		v = math.Ldexp(mant, -24)
	case 0x1f:
		if mant == 0 {
			v = math.Inf(1)
		} else {
			v = math.NaN()
		}
	default:
		v = math.Ldexp(1+mant/1024, exp-15)
	}
	if h&0x8000 != 0 {
		v = -v
	}
	return v
}

// RoundToStorage rounds p's values to the precision Save stores them in
// (float32 for Store32, binary16 for Store16), so that a model in memory and
// the same model loaded from its file compute exactly the same results.
func (p *Param) RoundToStorage() {
	p.Changed()
	switch {
	case p.Store16:
		for i, v := range p.Value {
			p.Value[i] = float16Value(float16Bits(v))
		}
	case p.Store32:
		for i, v := range p.Value {
			p.Value[i] = float64(float32(v))
		}
	}
}
