package vendoring

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/kpgen/kpgen/internal/safefs"
)

// Missing lists, by their short (legacy import) names in lock order, the
// locked packages that vendorDir does not hold: the package's directory, and
// its legacy import name when the jsonnetfile asks for legacy imports. It
// runs before every build, so it must cost next to nothing (an unchanged
// cluster's rebuild takes milliseconds): a stat per package and name, no
// hashing (Verify checks the contents), and the lock read without
// jsonnet-bundler's parser, which compiles regular expressions for each
// entry (5 ms for kube-prometheus's lock). Without a lock nothing is
// missing.
func Missing(jsonnetDir, vendorDir string) ([]string, error) {
	pkgs, legacy, err := lockedPackages(jsonnetDir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range pkgs {
		paths := []string{p.name}
		if legacy && p.legacy != p.name {
			paths = append(paths, p.legacy)
		}
		for _, path := range paths {
			if _, err := os.Stat(filepath.Join(vendorDir, path)); err != nil {
				out = append(out, p.legacy)
				break
			}
		}
	}
	return out, nil
}

// lockedPackage is where jsonnet-bundler puts a locked package: vendor/<name>,
// linked as vendor/<legacy> with legacy imports.
type lockedPackage struct{ name, legacy string }

// lockedPackages reads the lock's packages, in order, and whether the
// jsonnetfile asks for legacy imports, as jsonnet-bundler reads them: its v1
// format directly (TestLockedPackagesAsJsonnetBundler), anything else through
// jsonnet-bundler itself.
func lockedPackages(jsonnetDir string) ([]lockedPackage, bool, error) {
	jfData, err := safefs.ReadRegular(filepath.Join(jsonnetDir, File), maxJsonnetfile)
	if err != nil {
		return nil, false, err
	}
	lockData, err := safefs.ReadRegular(filepath.Join(jsonnetDir, LockFile), maxJsonnetfile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	var jf struct {
		Version       uint  `json:"version"`
		LegacyImports *bool `json:"legacyImports"`
	}
	var lock struct {
		Version      uint `json:"version"`
		Dependencies []struct {
			Source struct {
				Git *struct {
					Remote string `json:"remote"`
					Subdir string `json:"subdir"`
				} `json:"git"`
				Local *struct {
					Directory string `json:"directory"`
				} `json:"local"`
			} `json:"source"`
			Name string `json:"name"` // older locks: the legacy name
		} `json:"dependencies"`
	}
	fast := json.Unmarshal(jfData, &jf) == nil && jf.Version == 1 && json.Unmarshal(lockData, &lock) == nil && lock.Version == 1
	var pkgs []lockedPackage
	at := map[string]int{}
	for _, d := range lock.Dependencies {
		if !fast {
			break
		}
		var p lockedPackage
		switch src := d.Source; {
		case src.Git != nil:
			name, repo, ok := remoteName(src.Git.Remote)
			if !ok {
				fast = false
				continue
			}
			subdir := ""
			if src.Git.Subdir != "" {
				subdir = "/" + strings.TrimPrefix(src.Git.Subdir, "/")
			}
			p = lockedPackage{name: name + subdir, legacy: filepath.Base(repo + subdir)}
		case src.Local != nil:
			abs, err := filepath.Abs(src.Local.Directory)
			if err != nil {
				fast = false
				continue
			}
			p = lockedPackage{name: filepath.Base(abs), legacy: filepath.Base(abs)}
		default:
			p = lockedPackage{}
		}
		if d.Name != "" {
			p.legacy = d.Name
		}
		// Keyed by name, as jsonnet-bundler's ordered map: a repeated name
		// keeps its first place and its last entry.
		if i, ok := at[p.name]; ok {
			pkgs[i] = p
			continue
		}
		at[p.name] = len(pkgs)
		pkgs = append(pkgs, p)
	}
	if fast {
		return pkgs, jf.LegacyImports == nil || *jf.LegacyImports, nil
	}
	// Another format, or a remote this reading does not know: as
	// jsonnet-bundler reads it.
	f, l, err := load(jsonnetDir)
	if err != nil {
		return nil, false, err
	}
	pkgs = pkgs[:0]
	for _, name := range l.Dependencies.Keys() {
		d, _ := l.Dependencies.Get(name)
		pkgs = append(pkgs, lockedPackage{name: name, legacy: d.LegacyName()})
	}
	return pkgs, f.LegacyImports, nil
}

// The patterns jsonnet-bundler v0.6.0 reads a git remote with
// (spec/v1/deps/git.go), tried in this order; each first with a subdirectory
// and version, a subdirectory, a version, then alone.
var remotePatterns = []string{
	`ssh://git@(?P<host>.+)/(?P<user>.+)/(?P<repo>.+).git`,
	`^git@(?P<host>.+):(?P<user>.+)/(?P<repo>.+).git`,
	`(?P<host>[a-zA-Z0-9][a-zA-Z0-9-\.]{1,61}[a-zA-Z0-9]\.[a-zA-Z]{2,})/(?P<user>[-_~a-zA-Z0-9/\.]+)/(?P<repo>[-_a-zA-Z0-9\.]+)\.git`,
	`(?P<host>[a-zA-Z0-9][a-zA-Z0-9-\.]{1,61}[a-zA-Z0-9]\.[a-zA-Z]{2,})/(?P<user>[-_~a-zA-Z0-9\.]+)/(?P<repo>[-_a-zA-Z0-9\.]+)`,
}

var remoteSuffixes = []string{`/(?P<subdir>.*)@(?P<version>.*)`, `/(?P<subdir>.*)`, `@(?P<version>.*)`, ``}

var (
	regexpsMu sync.Mutex
	regexps   = map[string]*regexp.Regexp{}
)

// compiled compiles each pattern once, when first needed.
func compiled(expr string) *regexp.Regexp {
	regexpsMu.Lock()
	defer regexpsMu.Unlock()
	re := regexps[expr]
	if re == nil {
		re = regexp.MustCompile(expr)
		regexps[expr] = re
	}
	return re
}

// remoteName is how jsonnet-bundler names the package of a git remote,
// without its subdirectory: host/user/repo (".git" trimmed), and its
// repository (for the legacy name). The remotes jsonnet-bundler writes into
// a lock (https://host/user/repo.git) are read directly; others with
// jsonnet-bundler's patterns (FuzzRemoteName compares the two).
func remoteName(remote string) (name, repo string, ok bool) {
	if name, repo, ok := httpsRemote(remote); ok {
		return name, repo, true
	}
	host, user, repo, ok := parseRemote(remote)
	if !ok {
		return "", "", false
	}
	repo = strings.TrimSuffix(repo, ".git")
	return host + "/" + user + "/" + repo, repo, true
}

// httpsRemote reads https://<host>/<user>/<repo>.git as jsonnet-bundler's
// third pattern does, when that pattern matches the whole remote and no
// other pattern comes first: host as
// [a-zA-Z0-9][a-zA-Z0-9-.]{1,61}[a-zA-Z0-9]\.[a-zA-Z]{2,}, user as
// [-_~a-zA-Z0-9/.]+, repo as [-_a-zA-Z0-9.]+, no ".git/" before the end.
func httpsRemote(remote string) (name, repo string, ok bool) {
	rest, ok := strings.CutPrefix(remote, "https://")
	if !ok || !strings.HasSuffix(rest, ".git") || strings.Contains(rest, ".git/") || strings.Contains(rest, "ssh://git@") {
		return "", "", false
	}
	rest = rest[:len(rest)-len(".git")]
	slash, last := strings.IndexByte(rest, '/'), strings.LastIndexByte(rest, '/')
	if slash < 0 || last == slash {
		return "", "", false
	}
	host, user, repo := rest[:slash], rest[slash+1:last], rest[last+1:]
	dot := strings.LastIndexByte(host, '.')
	if dot < 0 || !hostPart(host[:dot]) || !allIn(host[dot+1:], letters) || len(host)-dot-1 < 2 ||
		user == "" || !allIn(user, "-_~/."+letters+digits) || repo == "" || !allIn(repo, "-_."+letters+digits) {
		return "", "", false
	}
	return host + "/" + user + "/" + strings.TrimSuffix(repo, ".git"), strings.TrimSuffix(repo, ".git"), true
}

const (
	letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	digits  = "0123456789"
)

// hostPart: [a-zA-Z0-9][a-zA-Z0-9-.]{1,61}[a-zA-Z0-9], the host before
// its last dot.
func hostPart(s string) bool {
	alnum := letters + digits
	return len(s) >= 3 && len(s) <= 63 && strings.IndexByte(alnum, s[0]) >= 0 && strings.IndexByte(alnum, s[len(s)-1]) >= 0 && allIn(s, "-."+alnum)
}

func allIn(s, set string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(set, s[i]) < 0 {
			return false
		}
	}
	return true
}

// parseRemote reads a git remote's host, user and repository as
// jsonnet-bundler does.
func parseRemote(remote string) (host, user, repo string, ok bool) {
	for _, pat := range remotePatterns {
		if !compiled(pat).MatchString(remote) {
			continue
		}
		for _, suffix := range remoteSuffixes {
			re := compiled(pat + suffix)
			m := re.FindStringSubmatch(remote)
			if m == nil {
				continue
			}
			get := func(name string) string { return m[re.SubexpIndex(name)] }
			return get("host"), get("user"), get("repo"), true
		}
		return "", "", "", false
	}
	return "", "", "", false
}
