package output

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/kpgen/kpgen/internal/safefs"
)

// The file system operations a write uses; tests replace the replacer's
// to fail or to take the fallback path.
var (
	replacer = safefs.Replacer{Hook: func(step string) { hook(step) }}
	syncDir  = safefs.SyncDir
)

func writeSynced(name string, data []byte) error { return safefs.WriteFile(name, data, fileMode) }

func lock(dir string) (func(), error) {
	unlock, err := safefs.Lock(dir)
	if errors.Is(err, safefs.ErrLocked) {
		return nil, fmt.Errorf("another kpgen is writing to %s; run again when it has finished", Display(dir))
	}
	if err != nil {
		return nil, fmt.Errorf("locking %s: %w", Display(dir), err)
	}
	return unlock, nil
}

// writeAll writes the files below dir, a few at a time (fsync waits on the
// disk, not the CPU), and returns the first error in file order.
func writeAll(files []File, dir string, write func(string, []byte) error) error {
	errs := make([]error, len(files))
	sem := make(chan struct{}, max(4, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := write(filepath.Join(dir, filepath.FromSlash(f.Path)), f.Data); err != nil {
				errs[i] = fmt.Errorf("writing %s: %w", f.Path, err)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
