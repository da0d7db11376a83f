//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package safefs

// Directories cannot be synced everywhere (Windows).
func syncUnsupported(err error) bool { return true }

// Lock: no advisory locks here; concurrent kpgen runs on one directory are
// not detected.
func Lock(dir string) (func(), error) { return func() {}, nil }
