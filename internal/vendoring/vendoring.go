// Package vendoring installs the Jsonnet dependencies named in
// jsonnet/jsonnetfile.json (and pinned in jsonnetfile.lock.json) into
// jsonnet/vendor, in-process with the jsonnet-bundler library — what `jb
// install` does — but staged: a failed fetch leaves jsonnet/vendor and the
// lock exactly as they were.
package vendoring

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fatih/color"
	"github.com/jsonnet-bundler/jsonnet-bundler/pkg"
	"github.com/jsonnet-bundler/jsonnet-bundler/pkg/jsonnetfile"
	v1 "github.com/jsonnet-bundler/jsonnet-bundler/spec/v1"
	"github.com/jsonnet-bundler/jsonnet-bundler/spec/v1/deps"

	"github.com/kpgen/kpgen/internal/safefs"
)

// Options configure an install.
type Options struct {
	JsonnetDir string    // holds jsonnetfile.json and the lock
	VendorDir  string    // defaults to JsonnetDir/vendor
	Log        io.Writer // jsonnet-bundler's and git's progress; nil discards it
}

// Result says what an install did.
type Result struct {
	Packages    []string // every locked package, in lock order
	LockChanged bool
	UpToDate    bool // nothing needed fetching
}

// Files are the jsonnet-bundler file names.
const (
	File     = jsonnetfile.File
	LockFile = jsonnetfile.LockFile
)

// Install makes VendorDir match the jsonnetfile and its lock, fetching what is
// missing or altered, and writes the lock only when it changed.
func Install(opts Options) (Result, error) {
	if opts.VendorDir == "" {
		opts.VendorDir = filepath.Join(opts.JsonnetDir, "vendor")
	}
	unlock, err := safefs.Lock(opts.JsonnetDir)
	if errors.Is(err, safefs.ErrLocked) {
		return Result{}, fmt.Errorf("another kpgen is vendoring into %s; run again when it has finished", opts.JsonnetDir)
	}
	if err != nil {
		return Result{}, err
	}
	defer unlock()
	recovered, err := Recover(opts.JsonnetDir, opts.VendorDir)
	if err != nil {
		return Result{}, fmt.Errorf("cleaning up after an interrupted run: %w", err)
	}
	if opts.Log != nil {
		for _, r := range recovered {
			fmt.Fprintf(opts.Log, "NOTE: %s\n", r)
		}
	}
	lockPath := filepath.Join(opts.JsonnetDir, LockFile)
	jf, lock, err := load(opts.JsonnetDir)
	if err != nil {
		return Result{}, err
	}
	// Before any git command: nothing here may become a path out of
	// jsonnet/vendor or an option to git (ensure checks what packages bring).
	for _, f := range []struct {
		name string
		set  *deps.Ordered
	}{{File, jf.Dependencies}, {LockFile, lock.Dependencies}} {
		for _, name := range keys(f.set) {
			d, _ := f.set.Get(name)
			if err := checkDependency(d, true); err != nil {
				return Result{}, fmt.Errorf("%s: %w", filepath.Join(opts.JsonnetDir, f.name), err)
			}
		}
	}
	if len(lock.Dependencies.Keys()) > 0 {
		mm, err := Verify(opts.JsonnetDir, opts.VendorDir)
		missing, merr := Missing(opts.JsonnetDir, opts.VendorDir)
		if err == nil && merr == nil && len(mm) == 0 && len(missing) == 0 {
			return Result{Packages: lock.Dependencies.Keys(), UpToDate: true}, nil
		}
	}

	// Local dependencies' directories are the jsonnetfile's, whatever the
	// working directory.
	local, err := toWorkingDir(opts.JsonnetDir, jf.Dependencies, lock.Dependencies)
	if err != nil {
		return Result{}, err
	}

	// A new direct dependency's own dependencies, pinned as its release
	// pins them.
	seedNew(jf, &lock)

	// Name the dependency that cannot be reached, with git's own words,
	// before anything is touched.
	if err := preflight(jf, lock, opts.VendorDir); err != nil {
		return Result{}, err
	}

	stageRoot, err := Stage(opts.JsonnetDir, stagePrefix)
	if err != nil {
		return Result{}, err
	}
	defer os.RemoveAll(stageRoot)
	// The new tree is staged in <stage>/new; the old one is moved aside to
	// <stage>/old if the file system cannot exchange them atomically.
	stage, aside := filepath.Join(stageRoot, "new"), filepath.Join(stageRoot, "old")
	if err := LinkTree(opts.VendorDir, stage); err != nil {
		return Result{}, fmt.Errorf("staging %s: %w", opts.VendorDir, err)
	}
	if err := os.MkdirAll(filepath.Join(stage, ".tmp"), 0o755); err != nil {
		return Result{}, err
	}

	var locked *deps.Ordered
	gitOut, err := captureStderr(opts.Log, func() error {
		var err error
		locked, err = ensure(jf, stage, lock.Dependencies)
		return err
	})
	if err != nil {
		msg := fmt.Sprintf("installing Jsonnet dependencies failed: %v", err)
		if tail := lastLines(gitOut, 12); tail != "" {
			msg += "\ngit said:\n" + tail
		}
		return Result{}, errors.New(msg + "\njsonnet/vendor and the lock are unchanged")
	}
	if err := local.restore(locked, stage, opts.VendorDir); err != nil {
		return Result{}, err
	}
	os.RemoveAll(filepath.Join(stage, ".tmp"))
	if err := safefs.Replace(stage, opts.VendorDir, aside); err != nil {
		return Result{}, err
	}

	res := Result{Packages: locked.Keys()}
	// The lock changed when the bytes jsonnet-bundler would write differ
	// from the file's (its ordered map compares insertion order too).
	b, err := json.MarshalIndent(v1.JsonnetFile{Dependencies: locked}, "", "  ")
	if err != nil {
		return res, err
	}
	b = append(b, '\n')
	if old, err := os.ReadFile(lockPath); err != nil || !bytes.Equal(old, b) {
		if err := writeFileAtomic(lockPath, b); err != nil {
			return res, err
		}
		res.LockChanged = true
	}
	return res, nil
}

// preflight checks, with `git ls-remote`, that every package that must be
// fetched can be reached.
func preflight(jf, lock v1.JsonnetFile, vendorDir string) error {
	todo := lock.Dependencies
	if len(todo.Keys()) == 0 {
		todo = jf.Dependencies
	}
	for _, name := range todo.Keys() {
		d, _ := todo.Get(name)
		if d.Source.GitSource == nil || (d.Sum != "" && HashDir(filepath.Join(vendorDir, name)) == d.Sum) {
			continue
		}
		remote := d.Source.GitSource.Remote()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		cmd := exec.CommandContext(ctx, "git", "ls-remote", "--", remote)
		cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		cancel()
		if err != nil {
			msg := strings.TrimSpace(stderr.String())
			if msg == "" {
				msg = err.Error()
			}
			return fmt.Errorf("cannot fetch %s@%s from %s:\n%s\n(offline or air-gapped? point git at a mirror with `git config url.<mirror>.insteadOf %s`; see README)", name, d.Version, remote, indent(msg), remote)
		}
	}
	return nil
}

var stderrMu sync.Mutex

// captureStderr runs f with os.Stdout and os.Stderr (where jsonnet-bundler
// sends git's output) and fatih/color's output (its progress) redirected:
// all of it is copied to log and returned.
func captureStderr(log io.Writer, f func() error) (string, error) {
	stderrMu.Lock()
	defer stderrMu.Unlock()
	if log == nil {
		log = io.Discard
	}
	r, w, err := os.Pipe()
	if err != nil {
		return "", f()
	}
	var buf bytes.Buffer
	done := make(chan struct{})
	go func() {
		io.Copy(io.MultiWriter(&buf, &dropHints{w: log}), r)
		close(done)
	}()
	oldOut, oldErr, oldColor := os.Stdout, os.Stderr, color.Output
	os.Stdout, os.Stderr, color.Output = w, w, w
	pkg.GitQuiet = false
	ferr := f()
	os.Stdout, os.Stderr, color.Output = oldOut, oldErr, oldColor
	w.Close()
	<-done
	r.Close()
	return buf.String(), ferr
}

func lastLines(s string, n int) string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if !strings.HasPrefix(l, "hint:") { // git's advice, not its error
			lines = append(lines, l)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return indent(strings.Join(lines, "\n"))
}

func indent(s string) string {
	if s == "" {
		return ""
	}
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

// dropHints passes output on line by line, leaving out git's "hint:" advice
// (printed for every package jsonnet-bundler clones).
type dropHints struct {
	w       io.Writer
	partial []byte
}

func (d *dropHints) Write(p []byte) (int, error) {
	d.partial = append(d.partial, p...)
	for {
		i := bytes.IndexByte(d.partial, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := d.partial[:i+1]
		if !bytes.HasPrefix(line, []byte("hint:")) {
			if _, err := d.w.Write(line); err != nil {
				return len(p), err
			}
		}
		d.partial = d.partial[i+1:]
	}
}

// keys lists an ordered set's keys, none for a nil set.
func keys(set *deps.Ordered) []string {
	if set == nil {
		return nil
	}
	return set.Keys()
}
