package nn

import (
	"bytes"
	"errors"
	"math"
	"testing"
)

// TestFloat16 checks every binary16 encoding round-trips, and rounding against
// values worked out by hand.
func TestFloat16(t *testing.T) {
	for h := 0; h < 1<<16; h++ {
		v := float16Value(uint16(h))
		if math.IsNaN(v) {
			continue
		}
		if got := float16Bits(v); got != uint16(h) {
			t.Fatalf("encoding %#04x decodes to %g, which encodes to %#04x", h, v, got)
		}
	}
	for _, c := range []struct {
		x    float64
		want uint16
	}{
		{1, 0x3c00}, {-2, 0xc000}, {65504, 0x7bff}, {65520, 0x7c00}, {1e6, 0x7c00},
		{math.Ldexp(1, -24), 0x0001}, {math.Ldexp(1, -26), 0x0000}, {math.Ldexp(3, -26), 0x0001},
		{1 + math.Ldexp(1, -11), 0x3c00},   // a tie rounds to even
		{1 + math.Ldexp(3, -11), 0x3c02},   // a tie rounds to even, upwards
		{1 + math.Ldexp(1.1, -11), 0x3c01}, // above the tie rounds up
		{math.Inf(-1), 0xfc00}, {math.Copysign(0, -1), 0x8000},
	} {
		if got := float16Bits(c.x); got != c.want {
			t.Errorf("float16Bits(%g) = %#04x, want %#04x", c.x, got, c.want)
		}
	}
	if !math.IsNaN(float16Value(float16Bits(math.NaN()))) {
		t.Error("NaN does not survive")
	}
}

// TestStore16 saves a table as binary16: a quarter of the bytes, and after
// RoundToStorage the values in memory are exactly those loaded back.
func TestStore16(t *testing.T) {
	w := NewParam("pre.W", 40, 10)
	w.Store16 = true
	for i := range w.Value {
		w.Value[i] = math.Sin(float64(i)) * 3
	}
	w.RoundToStorage()
	path := t.TempDir() + "/m"
	if err := Save(path, []*Param{w}, nil); err != nil {
		t.Fatal(err)
	}
	got := NewParam("pre.W", 40, 10)
	got.Store16 = true
	if _, err := Load(path, []*Param{got}); err != nil {
		t.Fatal(err)
	}
	for i := range w.Value {
		if got.Value[i] != w.Value[i] {
			t.Fatalf("value %d: %g loaded, %g saved", i, got.Value[i], w.Value[i])
		}
		if d := math.Abs(w.Value[i] - math.Sin(float64(i))*3); d > 3*math.Ldexp(1, -11)*2 {
			t.Fatalf("value %d rounded by %g", i, d)
		}
	}
	// Any Param reads an F16 tensor, whatever it would be saved as.
	plain := NewParam("pre.W", 40, 10)
	if _, err := Load(path, []*Param{plain}); err != nil {
		t.Fatal(err)
	}
	for i := range w.Value {
		if plain.Value[i] != w.Value[i] {
			t.Fatalf("value %d: %g into a float64 Param, want %g", i, plain.Value[i], w.Value[i])
		}
	}
}

// TestDecodeModel reads the metadata and the weights from one decoding.
func TestDecodeModel(t *testing.T) {
	w := NewParam("w", 2, 2)
	copy(w.Value, []float64{1, 2, 3, 4})
	var buf bytes.Buffer
	if err := Write(&buf, []*Param{w}, map[string]string{MetaConfig: `{"n":2}`}); err != nil {
		t.Fatal(err)
	}
	f, err := DecodeModel(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if f.Meta()[MetaConfig] != `{"n":2}` {
		t.Fatalf("meta %v", f.Meta())
	}
	got := NewParam("w", 2, 2)
	if err := f.Load([]*Param{got}); err != nil || got.Value[3] != 4 {
		t.Fatalf("load: %v, values %v", err, got.Value)
	}
	if err := f.Load([]*Param{NewParam("w", 3, 2)}); !errors.Is(err, ErrMismatch) {
		t.Fatalf("wrong shape: %v", err)
	}
	if _, err := DecodeModel(buf.Bytes()[:buf.Len()-1]); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("truncated: %v", err)
	}
}
