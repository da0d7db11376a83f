package cli

import (
	"testing"

	"github.com/kpgen/kpgen/internal/testutil"
)

// TestMain keeps the tests' build cache out of the user's cache directory.
func TestMain(m *testing.M) { testutil.MainWithCache(m) }
