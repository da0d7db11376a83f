package safefs

import "golang.org/x/sys/unix"

// Exchange atomically swaps two directories (renameat2 RENAME_EXCHANGE; file
// systems without it, such as NFS and many FUSE ones, fail with EINVAL).
func Exchange(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}
