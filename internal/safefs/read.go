package safefs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// NotRegularError is a path that is not a regular file (after following
// symbolic links): kpgen reads nothing else, so that a named pipe cannot
// block it and a device (/dev/zero) cannot fill its memory.
type NotRegularError struct {
	Kind string // "a named pipe (FIFO)", "a directory", …
}

func (e *NotRegularError) Error() string { return e.Kind + ", not a regular file" }

// TooLargeError is a file larger than kpgen reads.
type TooLargeError struct {
	Size, Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%d bytes, larger than the %s kpgen reads", e.Size, Bytes(e.Limit))
}

// Bytes shows a size limit: "1 MiB", "32 MiB", or bytes.
func Bytes(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	if n >= 1<<10 && n%(1<<10) == 0 {
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// CheckRegular checks that fi is a regular file of at most limit bytes.
func CheckRegular(fi fs.FileInfo, limit int64) error {
	m := fi.Mode()
	switch {
	case m.IsRegular():
	case m&fs.ModeNamedPipe != 0:
		return &NotRegularError{"a named pipe (FIFO)"}
	case m&fs.ModeCharDevice != 0:
		return &NotRegularError{"a character device"}
	case m&fs.ModeDevice != 0:
		return &NotRegularError{"a block device"}
	case m&fs.ModeSocket != 0:
		return &NotRegularError{"a socket"}
	case m.IsDir():
		return &NotRegularError{"a directory"}
	default:
		return &NotRegularError{"not a file"}
	}
	if fi.Size() > limit {
		return &TooLargeError{Size: fi.Size(), Limit: limit}
	}
	return nil
}

// ReadRegular reads the file at path, which must be a regular file (after
// following symbolic links) of at most limit bytes: it never blocks on a
// named pipe nor reads a device, and never reads more than limit bytes
// (a file growing meanwhile included). A path that does not exist gives an
// error satisfying errors.Is(err, fs.ErrNotExist); the other errors are
// *NotRegularError, *TooLargeError or the system's, without the path.
func ReadRegular(path string, limit int64) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, UnwrapPath(err)
	}
	if err := CheckRegular(fi, limit); err != nil {
		return nil, err
	}
	f, err := OpenRegular(path, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, UnwrapPath(err)
	}
	if int64(len(b)) > limit {
		return nil, &TooLargeError{Size: int64(len(b)), Limit: limit}
	}
	return b, nil
}

// UnwrapPath drops the path from an *os.PathError, which the caller names.
func UnwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// OpenRegular opens the file at path for reading if it is a regular file of
// at most limit bytes. It never waits: a named pipe is opened without
// waiting for a writer (O_NONBLOCK), then refused. Errors as ReadRegular's.
func OpenRegular(path string, limit int64) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, UnwrapPath(err)
	}
	fi, err := f.Stat()
	if err == nil {
		err = CheckRegular(fi, limit)
	} else {
		err = UnwrapPath(err)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
