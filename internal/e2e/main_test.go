package e2e

import (
	"os"
	"testing"

	"github.com/kpgen/kpgen/internal/cache"
)

// TestMain keeps the binaries' build cache out of the user's cache directory.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "kpgen-e2e-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv(cache.Env, dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
