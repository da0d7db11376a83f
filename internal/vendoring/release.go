package vendoring

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/jsonnet-bundler/jsonnet-bundler/pkg/jsonnetfile"
	v1 "github.com/jsonnet-bundler/jsonnet-bundler/spec/v1"

	"github.com/kpgen/kpgen/internal/safefs"
)

// ReleaseLock reads the jsonnetfile.lock.json of the dependency's
// repository at version: the set of transitive pins its maintainers tested
// that release with — at the repository's root (kube-prometheus commits
// one there), else in the package's directory (a platform repository keeps
// it beside its jsonnetfile, in jsonnet/). It returns ok=false when the
// repository has none; errors are git's.
func ReleaseLock(remote, version, subdir string) (lock v1.JsonnetFile, ok bool, err error) {
	if err := gitArg(remote); err != nil {
		return lock, false, fmt.Errorf("remote %w", err)
	}
	if err := gitArg(version); err != nil {
		return lock, false, fmt.Errorf("version %w", err)
	}
	if relPath(strings.Trim(subdir, "/")) != nil && strings.Trim(subdir, "/") != "" {
		return lock, false, fmt.Errorf("subdir %q: not a relative path inside the repository", subdir)
	}
	tmp, err := os.MkdirTemp("", "kpgen-release-lock-")
	if err != nil {
		return lock, false, err
	}
	defer os.RemoveAll(tmp)
	git := func(args ...string) ([]byte, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "git", append([]string{"-C", tmp}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("git %s: %v: %s", args[0], err, strings.TrimSpace(stderr.String()))
		}
		return stdout.Bytes(), nil
	}
	if _, err := git("init", "-q", "--bare"); err != nil {
		return lock, false, err
	}
	if _, err := git("fetch", "-q", "--depth", "1", "--", remote, version); err != nil {
		return lock, false, err
	}
	b, err := git("show", "FETCH_HEAD:"+LockFileName)
	if err != nil && strings.Trim(subdir, "/") != "" {
		b, err = git("show", "FETCH_HEAD:"+strings.Trim(subdir, "/")+"/"+LockFileName)
	}
	if err != nil {
		return lock, false, nil // the release commits no lock
	}
	lock, err = jsonnetfile.Unmarshal(b)
	if err != nil {
		return lock, false, fmt.Errorf("%s of %s@%s: %w", LockFileName, remote, version, err)
	}
	return lock, true, nil
}

// localLock reads the lock beside a local dependency's jsonnetfile (dir is
// as jsonnet-bundler is given it); ok=false when it has none.
func localLock(dir string) (lock v1.JsonnetFile, ok bool, err error) {
	b, err := safefs.ReadRegular(filepath.Join(dir, LockFileName), maxJsonnetfile)
	if err != nil {
		return lock, false, nil
	}
	if lock, err = jsonnetfile.Unmarshal(b); err != nil {
		return lock, false, fmt.Errorf("%s: %w", filepath.Join(dir, LockFileName), err)
	}
	return lock, true, nil
}

// LockFileName is jsonnet-bundler's lock file name.
const LockFileName = jsonnetfile.LockFile

// seedNew pins what each new direct dependency (one the lock does not
// hold yet) pulls in as that dependency's release pins it, when the
// release commits a lock: a config repository's first install gets the
// kpgen library and kube-prometheus its platform was tested with, not
// whatever their branches point at today (jsonnet-bundler itself reads only
// the root lock). It returns the names it pinned.
func seedNew(jf v1.JsonnetFile, lock *v1.JsonnetFile) []string {
	if lock.Dependencies == nil {
		*lock = v1.New()
	}
	var seeded []string
	for _, name := range jf.Dependencies.Keys() {
		if _, locked := lock.Dependencies.Get(name); locked {
			continue
		}
		d, _ := jf.Dependencies.Get(name)
		var (
			rel v1.JsonnetFile
			ok  bool
			err error
		)
		switch {
		case d.Source.GitSource != nil:
			g := d.Source.GitSource
			rel, ok, err = ReleaseLock(g.Remote(), d.Version, g.Subdir)
		case d.Source.LocalSource != nil:
			// A checkout linked as it is: its own lock, beside its jsonnetfile
			// (the directory is relative to the working directory here).
			rel, ok, err = localLock(d.Source.LocalSource.Directory)
		}
		if err != nil || !ok {
			continue // unreachable: the preflight that follows says so, in git's words
		}
		for _, k := range rel.Dependencies.Keys() {
			_, direct := jf.Dependencies.Get(k)
			_, locked := lock.Dependencies.Get(k)
			if direct || locked {
				continue
			}
			p, _ := rel.Dependencies.Get(k)
			lock.Dependencies.Set(k, p)
			seeded = append(seeded, k)
		}
	}
	return seeded
}
