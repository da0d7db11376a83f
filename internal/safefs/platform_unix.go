//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package safefs

import (
	"errors"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

func syncUnsupported(err error) bool {
	return errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP)
}

// Lock takes an exclusive lock on the directory dir (flock on the directory
// itself: no lock file is left behind), or fails at once with ErrLocked
// when another process holds it. The kernel drops the lock when the process
// dies. Call the returned function to unlock.
func Lock(dir string) (func(), error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, ErrLocked
		}
		return nil, err
	}
	return func() { f.Close() }, nil
}
