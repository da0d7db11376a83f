package render

import (
	"errors"
	"os"
	"path/filepath"
)

func absPath(p string) (string, error) { return filepath.Abs(p) }

// unwrapPathError drops the path from an *os.PathError, which the caller names.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
