package datasets

import "io"

// Option adds an optional extra to a long-running call.
type Option func(*options)

type options struct {
	progress io.Writer
}

// WithProgress draws a progress line on w (normally os.Stderr); nil means none.
func WithProgress(w io.Writer) Option { return func(o *options) { o.progress = w } }

func collect(opts []Option) options {
	var o options
	for _, f := range opts {
		f(&o)
	}
	return o
}
