// Package scaffold writes a new config repository: kpgen.json naming the
// platform library, jsonnet/jsonnetfile.json pinning it, one example
// cluster's vars, .gitignore, a README and a CI workflow. It writes files
// only; vendoring and building are the caller's.
package scaffold

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	v1 "github.com/jsonnet-bundler/jsonnet-bundler/spec/v1"
	"github.com/jsonnet-bundler/jsonnet-bundler/spec/v1/deps"

	"github.com/kpgen/kpgen/internal/output"
	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/safefs"
)

// Options say what to scaffold.
type Options struct {
	Dir string // the new repository's directory: absent, empty, or a fresh git checkout
	// Platform is the platform library: a git remote and a version
	// (URL@VERSION, a tag or a commit), or a local directory (a platform
	// checkout, for trying things out: jsonnet-bundler links it, bump does
	// not move it).
	Platform string
	Subdir   string // the package's directory in the platform repository (default "jsonnet")
	Name     string // the import name of the package (default: the repository's or directory's name)
	Cluster  string // the example cluster's name (default "example")
	Kpgen    string // kpgen's version, for the CI workflow's `go install`
}

// Result says what Scaffold wrote.
type Result struct {
	Library string   // the library's import name (kpgen.json)
	Files   []string // relative to Dir, sorted
	Vars    string   // the example cluster's vars file
}

// Scaffold writes the new repository. It refuses a directory that holds
// anything but a .git directory, and writes nothing then.
func Scaffold(o Options) (*Result, error) {
	if o.Subdir == "" {
		o.Subdir = "jsonnet"
	}
	if o.Cluster == "" {
		o.Cluster = "example"
	}
	if err := output.CheckCluster(o.Cluster); err != nil {
		return nil, err
	}
	dep, name, err := dependency(o)
	if err != nil {
		return nil, err
	}
	if err := emptyDir(o.Dir); err != nil {
		return nil, err
	}
	jf := v1.New()
	jf.LegacyImports = true
	jf.Dependencies.Set(dep.Name(), dep)
	jfBytes, err := json.MarshalIndent(jf, "", "  ")
	if err != nil {
		return nil, err
	}
	vars := filepath.Join("vars", o.Cluster+".jsonnet")
	files := map[string]string{
		project.ConfigFile:                           fmt.Sprintf("{\n  \"library\": %q\n}\n", name),
		filepath.Join("jsonnet", "jsonnetfile.json"): string(jfBytes) + "\n",
		vars:         fmt.Sprintf(varsTemplate, o.Cluster),
		".gitignore": gitignore,
		"README.md":  fmt.Sprintf(readme, name, o.Platform, vars, o.Cluster),
		filepath.Join(".github", "workflows", "kpgen.yaml"): fmt.Sprintf(workflow, kpgenVersion(o.Kpgen)),
	}
	res := &Result{Library: name, Vars: vars}
	for p, content := range files {
		path := filepath.Join(o.Dir, p)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := safefs.WriteFile(path, []byte(content), 0o644); err != nil {
			return nil, err
		}
		res.Files = append(res.Files, filepath.ToSlash(p))
	}
	sort.Strings(res.Files)
	return res, nil
}

// dependency is the jsonnetfile entry for the platform, and its import name.
func dependency(o Options) (deps.Dependency, string, error) {
	var (
		d    deps.Dependency
		name = o.Name
	)
	remote, version, ok := o.Platform, "", false
	if i := strings.LastIndex(o.Platform, "@"); i > 0 {
		remote, version, ok = o.Platform[:i], o.Platform[i+1:], true
	}
	if ok && (strings.Contains(remote, "://") || strings.HasPrefix(remote, "git@")) {
		if version == "" {
			return d, "", fmt.Errorf("--platform %s: no version after @ (a tag or a commit)", o.Platform)
		}
		if name == "" {
			name = strings.TrimSuffix(filepath.Base(strings.TrimRight(remote, "/")), ".git")
		}
		g, err := gitSource(remote, o.Subdir)
		if err != nil {
			return d, "", err
		}
		d = deps.Dependency{Source: deps.Source{GitSource: g}, Version: version}
	} else {
		dir, err := filepath.Abs(o.Platform)
		if err != nil {
			return d, "", err
		}
		pkg := filepath.Join(dir, o.Subdir)
		if _, err := os.Stat(filepath.Join(pkg, "lib", "main.jsonnet")); err != nil {
			return d, "", fmt.Errorf("--platform %s: not a git URL@VERSION, nor a platform checkout (no %s)", o.Platform, filepath.Join(o.Subdir, "lib", "main.jsonnet"))
		}
		jsonnetDir, _ := filepath.Abs(filepath.Join(o.Dir, "jsonnet"))
		rel, err := filepath.Rel(jsonnetDir, pkg)
		if err != nil {
			return d, "", err
		}
		if name == "" {
			name = filepath.Base(dir)
		}
		d = deps.Dependency{Source: deps.Source{LocalSource: &deps.Local{Directory: filepath.ToSlash(rel)}}}
	}
	if !importName.MatchString(name) {
		return d, "", fmt.Errorf("%q cannot be an import name (letters, digits, '.', '_' and '-'): give one with --name", name)
	}
	d.LegacyNameCompat = name
	return d, name, nil
}

var importName = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9._-]*$`)

// gitSource parses a remote as jsonnet-bundler does (jb install's
// argument parser), with the package's subdirectory.
func gitSource(remote, subdir string) (*deps.Git, error) {
	d := deps.Parse("", strings.TrimSuffix(remote, "/")+"/"+strings.Trim(subdir, "/"))
	if d == nil || d.Source.GitSource == nil {
		return nil, fmt.Errorf("--platform: %s is not a git remote jsonnet-bundler understands (https://host/owner/repo.git or git@host:owner/repo.git)", remote)
	}
	return d.Source.GitSource, nil
}

// emptyDir checks that dir holds nothing but a .git directory (or does not
// exist).
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() != ".git" {
			return fmt.Errorf("%s is not empty (it holds %s): kpgen init writes a new repository and overwrites nothing", output.Display(dir), e.Name())
		}
	}
	return nil
}

func kpgenVersion(v string) string {
	if v == "" || v == "dev" || strings.Contains(v, "dirty") {
		return "latest"
	}
	return v
}

const varsTemplate = `// The vars of cluster %[1]s: everything not set here comes from the
// platform library's defaults (and its preset for cluster.environment).
// Every key is documented in kpgen's docs/vars.md; ` + "`kpgen vars %[1]s --explain`" + `
// shows the merged result and where each value comes from.
{
  cluster: {
    name: '%[1]s',
    // environment: 'production',
  },
}
`

const gitignore = `# Fetched by kpgen vendor from jsonnet/jsonnetfile.lock.json; never committed.
/jsonnet/vendor/
# kpgen's binary, when built here.
/bin/
`

const readme = `# Monitoring config

The monitoring of this repository's clusters, generated by [kpgen](https://github.com/kpgen/kpgen) from the
platform library ` + "`%[1]s`" + ` (%[2]s), pinned in ` + "`jsonnet/jsonnetfile.json`" + ` and its lock.

- ` + "`vars/<cluster>.jsonnet`" + `: one small file per cluster (see ` + "`%[3]s`" + `);
- ` + "`out/<cluster>/`" + `: what kpgen renders for it, applied by ArgoCD (` + "`kubectl apply --server-side -k out/<cluster>`" + `);
  ` + "`out/.kpgen/`" + ` records which cluster directories kpgen wrote. Never edit ` + "`out/`" + ` by hand.

` + "```sh" + `
kpgen vendor                      # fetch the platform library and kube-prometheus into jsonnet/vendor
kpgen build                       # render every cluster into out/
kpgen diff                        # what a change of the vars or the platform does to out/
kpgen bump %[1]s@<version>   # move to a new platform release, and see what changes
kpgen vars %[4]s --explain    # a cluster's merged vars, and where each value comes from
` + "```" + `

CI (` + "`.github/workflows/kpgen.yaml`" + `) fails a pull request whose ` + "`out/`" + ` is not exactly what the vars
render, and comments what it changes.
`

const workflow = `name: kpgen

on:
  pull_request:

permissions:
  contents: read
  pull-requests: write # to comment

jobs:
  out:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 2 # the merge commit and the base branch it merges into

      - uses: actions/setup-go@v5
        with:
          go-version: "1.26"

      - name: Install kpgen
        run: go install github.com/kpgen/kpgen/cmd/kpgen@%s

      - name: Vendor the platform library and kube-prometheus
        run: kpgen vendor --quiet

      - name: out/ is up to date
        run: kpgen build --check

      - name: Diff against the base branch
        id: diff
        run: |
          base_out="$RUNNER_TEMP/base"
          mkdir -p "$base_out"
          git archive HEAD^1 out | tar -x -C "$base_out" || true
          status=0
          kpgen diff --quiet --out "$base_out/out" --format markdown > "$RUNNER_TEMP/kpgen-diff.md" || status=$?
          echo "status=$status" >> "$GITHUB_OUTPUT"
          cat "$RUNNER_TEMP/kpgen-diff.md" >> "$GITHUB_STEP_SUMMARY"
          [ "$status" -le 1 ]

      - name: Comment on the pull request
        if: always() && (steps.diff.outputs.status == '0' || steps.diff.outputs.status == '1')
        uses: actions/github-script@v7
        env:
          REPORT: ${{ runner.temp }}/kpgen-diff.md
          CHANGED: ${{ steps.diff.outputs.status == '1' }}
        with:
          script: |
            const fs = require('fs');
            const body = fs.readFileSync(process.env.REPORT, 'utf8');
            const marker = '<!-- kpgen-diff -->';
            const { owner, repo } = context.repo;
            const issue_number = context.issue.number;
            const comments = await github.paginate(github.rest.issues.listComments,
              { owner, repo, issue_number, per_page: 100 });
            const mine = comments.find(c => c.user.type === 'Bot' && c.body.startsWith(marker));
            if (mine) {
              if (mine.body !== body) {
                await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
              }
            } else if (process.env.CHANGED === 'true') {
              await github.rest.issues.createComment({ owner, repo, issue_number, body });
            }
`
