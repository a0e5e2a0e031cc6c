package fetch

import "io"

// Option adds an optional extra to Fetch.
type Option func(*options)

type options struct {
	progress io.Writer
}

// WithProgress draws a progress line per file on w (normally os.Stderr); nil
// means none. A library never prints on its own.
func WithProgress(w io.Writer) Option { return func(o *options) { o.progress = w } }

func collect(opts []Option) options {
	var o options
	for _, f := range opts {
		f(&o)
	}
	return o
}
