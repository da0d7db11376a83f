package e2e

import (
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kpgen/kpgen/internal/testutil"
)

// TestKilledBuilds kills `kpgen build` at random moments, again and again,
// as a user's Ctrl-C, an OOM kill or a CI timeout would: every cluster
// directory is always the complete output of one build or the other, and
// the next build finishes the job and leaves nothing behind.
func TestKilledBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	bin := kpgenBinary(t)
	dir := testutil.Project(t, nil)
	clusters := []string{"a", "b", "c"}
	setVars := func(replicas int) {
		for _, c := range clusters {
			testutil.WriteFile(t, filepath.Join(dir, "vars", c+".jsonnet"),
				"{ cluster: { name: '"+c+"' }, prometheus: { replicas: "+strconv.Itoa(replicas)+" } }\n")
		}
	}
	build := func() (*exec.Cmd, *strings.Builder) {
		var out strings.Builder
		cmd := exec.Command(bin, "build", "--root", dir, "--no-cache", "-j", "2")
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd, &out
	}
	// The two complete outputs each cluster may hold.
	complete := map[int]map[string]map[string]string{}
	var took time.Duration
	for _, r := range []int{1, 2} {
		setVars(r)
		start := time.Now()
		cmd, out := build()
		if err := cmd.Wait(); err != nil {
			t.Fatalf("build: %v\n%s", err, out)
		}
		took = max(took, time.Since(start))
		complete[r] = map[string]map[string]string{}
		for _, c := range clusters {
			complete[r][c] = testutil.Snapshot(t, filepath.Join(dir, "out", c))
		}
	}

	rng := rand.New(rand.NewPCG(1, 2)) // the same kill moments on every run
	midWrite := 0
	for i := range 20 {
		setVars(1 + i%2)
		cmd, _ := build()
		time.Sleep(time.Duration(rng.Int64N(int64(took))))
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if _, err := os.Stat(filepath.Join(dir, "out", ".kpgen-tmp")); err == nil {
			midWrite++
		}
		for _, c := range clusters {
			got := testutil.Snapshot(t, filepath.Join(dir, "out", c))
			if !reflect.DeepEqual(got, complete[1][c]) && !reflect.DeepEqual(got, complete[2][c]) {
				t.Fatalf("kill %d: out/%s is neither build's complete output (%d files)", i, c, len(got))
			}
		}
	}
	t.Logf("%d of 20 kills struck while a tree was being written or swapped", midWrite)
	setVars(1)
	cmd, out := build()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the build after the kills: %v\n%s", err, out)
	}
	for _, c := range clusters {
		if got := testutil.Snapshot(t, filepath.Join(dir, "out", c)); !reflect.DeepEqual(got, complete[1][c]) {
			t.Errorf("out/%s after the final build is not its output", c)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "out"))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{".kpgen", "a", "b", "c"}; !reflect.DeepEqual(names, want) {
		t.Errorf("out/ holds %v, want %v", names, want)
	}
	if out, code := sh(t, dir, bin, "build", "--root", dir, "--check"); code != 0 {
		t.Errorf("build --check after the kills: exit %d\n%s", code, out)
	}
}

// kpgenBinary builds kpgen into a temporary directory.
func kpgenBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "kpgen")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/kpgen").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
