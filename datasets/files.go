package datasets

import (
	"context"
	"fmt"
	"io"

	"github.com/nlp-go/nlp/internal/fileutil"
)

// writeFileAtomic writes path with fileutil.WriteAtomic, so that a failed write
// leaves the old file in place. fill's errors, which already say what failed,
// are returned as they are; the file system's get the package's prefix.
func writeFileAtomic(ctx context.Context, path string, fill func(io.Writer) error) error {
	var fillErr error
	err := fileutil.WriteAtomicContext(ctx, path, func(w io.Writer) error {
		fillErr = fill(w)
		return fillErr
	})
	if err != nil && err != fillErr {
		return fmt.Errorf("datasets: write %q: %w", path, err)
	}
	return err
}
