package safefs

import "golang.org/x/sys/unix"

// Exchange atomically swaps two directories (renamex_np RENAME_SWAP, on
// APFS; other file systems fail with ENOTSUP).
func Exchange(a, b string) error { return unix.RenamexNp(a, b, unix.RENAME_SWAP) }
