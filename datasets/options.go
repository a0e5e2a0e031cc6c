package datasets

import (
	"context"
	"io"
)

// Option adds an optional extra to a long-running call.
type Option func(*options)

type options struct {
	progress io.Writer
	ctx      context.Context
}

// WithContext stops a file write (WriteCorpusFile) when ctx is done: the
// temporary file is removed and the previous file left as it was.
func WithContext(ctx context.Context) Option { return func(o *options) { o.ctx = ctx } }

// WithProgress draws a progress line on w (normally os.Stderr); nil means none.
func WithProgress(w io.Writer) Option { return func(o *options) { o.progress = w } }

func collect(opts []Option) options {
	o := options{ctx: context.Background()}
	for _, f := range opts {
		f(&o)
	}
	if o.ctx == nil {
		o.ctx = context.Background()
	}
	return o
}
