//go:build !linux && !darwin

package safefs

import "errors"

// Exchange: no atomic exchange of directories here; callers fall back to
// two renames.
func Exchange(a, b string) error { return errors.ErrUnsupported }
