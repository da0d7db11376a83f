package output

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The crash test runs a write in a child process (this test binary) that
// exits abruptly at a chosen step: no deferred cleanup runs, as after a kill.
const crashEnv = "KPGEN_TEST_CRASH"

func TestMain(m *testing.M) {
	if spec := os.Getenv(crashEnv); spec != "" {
		os.Exit(crashChild(spec))
	}
	os.Exit(m.Run())
}

var (
	oldTree = files("kustomization.yaml", "old k", "manifests/a.yaml", "old a", "manifests/gone.yaml", "gone")
	newTree = files("kustomization.yaml", "new k", "manifests/a.yaml", "new a", "manifests/setup/b.yaml", "b")
)

func tree(fs []File) map[string]string {
	m := map[string]string{}
	for _, f := range fs {
		m[f.Path] = string(f.Data)
	}
	return m
}

// crashChild writes newTree into the cluster "c1" of dir and exits with 3
// at the step named, or 0 when the write completes.
func crashChild(spec string) int {
	dir, rest, _ := strings.Cut(spec, "|")
	step, mode, _ := strings.Cut(rest, "|")
	if mode == "fallback" {
		replacer.Exchange = func(a, b string) error { return errors.ErrUnsupported }
	}
	hook = func(s string) {
		if s == step {
			os.Exit(3)
		}
	}
	o, err := Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if _, err := o.Write("c1", newTree); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// After a kill at any step of a write, out/<cluster> is the complete old or
// the complete new tree — or, between the two renames of the fallback (no
// atomic exchange), missing with its complete old tree moved aside — and
// the next run restores or removes whatever the killed one left.
func TestKilledAtEveryStep(t *testing.T) {
	steps := []string{"created", "filled", "recorded", "moved-aside", "swapped", "never"}
	for _, mode := range []string{"exchange", "fallback"} {
		for _, existing := range []bool{true, false} {
			for _, step := range steps {
				name := fmt.Sprintf("%s/existing=%v/%s", mode, existing, step)
				t.Run(name, func(t *testing.T) {
					parent := t.TempDir()
					dir := filepath.Join(parent, "c1")
					if existing {
						o := open(t, parent)
						if _, err := o.Write("c1", oldTree); err != nil {
							t.Fatal(err)
						}
						o.Close()
					}
					cmd := exec.Command(os.Args[0], "-test.run=^$")
					cmd.Env = append(os.Environ(), crashEnv+"="+parent+"|"+step+"|"+mode)
					out, err := cmd.CombinedOutput()
					code := 0
					var ee *exec.ExitError
					if errors.As(err, &ee) {
						code = ee.ExitCode()
					} else if err != nil {
						t.Fatal(err)
					}
					if code != 0 && code != 3 {
						t.Fatalf("child: exit %d\n%s", code, out)
					}
					got := read(t, dir)
					complete := reflect.DeepEqual(got, tree(newTree)) || existing && reflect.DeepEqual(got, tree(oldTree)) || !existing && len(got) == 0
					gap := mode == "fallback" && step == "moved-aside" && existing && len(got) == 0
					if !complete && !gap {
						t.Fatalf("after the kill, %s holds %v: neither the old nor the new tree", dir, got)
					}

					o := open(t, parent)
					got = read(t, dir)
					switch {
					case reflect.DeepEqual(got, tree(newTree)):
						if code == 3 && step != "swapped" {
							t.Errorf("killed at %s, but the new tree is in place", step)
						}
					case existing && reflect.DeepEqual(got, tree(oldTree)):
					case !existing && len(got) == 0:
					default:
						t.Fatalf("after recovery, %s holds %v", dir, got)
					}
					if left := leftoversOf(t, parent); len(left) != 0 {
						t.Errorf("after recovery, left: %v (repaired %v)", left, o.Repaired)
					}
					// And the next write succeeds.
					if _, err := o.Write("c1", newTree); err != nil {
						t.Fatal(err)
					}
					if got := read(t, dir); !reflect.DeepEqual(got, tree(newTree)) {
						t.Errorf("rewrite: %v", got)
					}
				})
			}
		}
	}
}

// Whatever a killed run leaves in out/.kpgen-tmp/ never reaches a commit of
// a repository that commits out/ (a config repository): the directory
// carries its own .gitignore.
func TestLeftoversAreIgnoredByGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	repo := t.TempDir()
	parent := filepath.Join(repo, "out")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashEnv+"="+parent+"|filled|exchange")
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Fatalf("the child was to be killed\n%s", out)
	}
	inv, _ := Scan(parent)
	if len(inv.Leftovers) == 0 {
		t.Fatal("the killed run left nothing to test with")
	}
	git := func(args ...string) string {
		c := exec.Command("git", append([]string{"-C", repo}, args...)...)
		c.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	git("init", "-q")
	if st := git("status", "--porcelain", "--untracked-files=all"); strings.Contains(st, TmpDir) {
		t.Errorf("git sees the leftovers:\n%s", st)
	}
}

// FuzzCheckCluster: a name CheckCluster accepts is one directory right
// below the output directory, and none of kpgen's own.
func FuzzCheckCluster(f *testing.F) {
	for _, s := range []string{"prod", "..", ".", "../victim", "a/b", ".kpgen", "-a", "a-", "UPPER", "x\x00", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if CheckCluster(name) != nil {
			return
		}
		joined := filepath.Join("/out", name)
		if filepath.Dir(joined) != "/out" || filepath.Base(joined) != name || name == RecordDir || name == TmpDir || strings.HasPrefix(name, ".") {
			t.Fatalf("cluster %q would be written at %s", name, joined)
		}
		if len(name) > 63 || strings.ToLower(name) != name {
			t.Fatalf("cluster %q is not a DNS-1123 label", name)
		}
	})
}
