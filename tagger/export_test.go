package tagger

// SetWindow sets the windows m.Tag cuts long sentences into, for tests and
// benchmarks that measure their effect.
func SetWindow(m *Model, size, context int) { m.window = window{size: size, context: context} }
