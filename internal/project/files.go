package project

import (
	"fmt"
	"os"
	"path/filepath"
	"unicode/utf8"

	"github.com/kpgen/kpgen/internal/safefs"
)

// Limits on what kpgen reads. A vars file is a few kilobytes. The largest
// file of kube-prometheus v0.18.0's vendored tree is prometheus-operator's
// prometheuses-crd.json, 853,579 bytes; the next are CRDs of 0.7–0.8 MB.
const (
	MaxVarsBytes   = 1 << 20  // a vars file
	MaxImportBytes = 32 << 20 // any file a Jsonnet import reads (vars, library, vendor)
)

// CheckVars checks that the file at path can be a vars file, cheaply (one
// stat): a regular file (after following symbolic links) of at most
// MaxVarsBytes, named by a path Jsonnet can import. The error says what is
// wrong without naming the file, which the caller names.
func CheckVars(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("vars file: %w", safefs.UnwrapPath(err))
	}
	switch err := safefs.CheckRegular(fi, MaxVarsBytes).(type) {
	case nil:
	case *safefs.TooLargeError:
		return fmt.Errorf("%d bytes, larger than the %s a vars file may have", err.Size, safefs.Bytes(MaxVarsBytes))
	default:
		if target, lerr := os.Readlink(path); lerr == nil {
			return fmt.Errorf("vars file: %v (a link to %s); a vars file must be a regular file", err, Printable(target))
		}
		return fmt.Errorf("vars file: %v; a vars file must be a regular file", err)
	}
	if abs, err := filepath.Abs(path); err == nil && !utf8.ValidString(abs) {
		return fmt.Errorf("vars file: its path is not valid UTF-8, and Jsonnet imports only paths that are (rename it)")
	}
	return nil
}
