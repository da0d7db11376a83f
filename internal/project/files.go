package project

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"unicode/utf8"
)

// Limits on what kpgen reads. A vars file is a few kilobytes. The largest
// file of kube-prometheus v0.18.0's vendored tree is prometheus-operator's
// prometheuses-crd.json, 853,579 bytes; the next are CRDs of 0.7–0.8 MB.
const (
	MaxVarsBytes   = 1 << 20  // a vars file
	MaxImportBytes = 32 << 20 // any file a Jsonnet import reads (vars, library, vendor)
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

// regular checks that fi is a regular file of at most limit bytes.
func regular(fi fs.FileInfo, limit int64) error {
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
		return nil, unwrapPath(err)
	}
	if err := regular(fi, limit); err != nil {
		return nil, err
	}
	// O_NONBLOCK: should the file have been replaced by a named pipe since,
	// opening it does not wait for a writer (and the check below refuses it).
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, unwrapPath(err)
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, unwrapPath(err)
	}
	if err := regular(fi, limit); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, unwrapPath(err)
	}
	if int64(len(b)) > limit {
		return nil, &TooLargeError{Size: int64(len(b)), Limit: limit}
	}
	return b, nil
}

// CheckVars checks that the file at path can be a vars file, cheaply (one
// stat): a regular file (after following symbolic links) of at most
// MaxVarsBytes, named by a path Jsonnet can import. The error says what is
// wrong without naming the file, which the caller names.
func CheckVars(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("vars file: %w", unwrapPath(err))
	}
	switch err := regular(fi, MaxVarsBytes).(type) {
	case nil:
	case *TooLargeError:
		return fmt.Errorf("%d bytes, larger than the %s a vars file may have", err.Size, Bytes(MaxVarsBytes))
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

// unwrapPath drops the path from an *os.PathError, which the caller names.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
