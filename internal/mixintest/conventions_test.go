package mixintest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/common/model"

	"github.com/kpgen/kpgen/internal/testutil"
	"github.com/kpgen/kpgen/internal/validate"
)

const runbookURLPattern = "https://github.com/kpgen/kpgen/blob/main/docs/runbooks/%s.md"

// runbookSections are the headings every runbook has, in this order.
var runbookSections = []string{"## Meaning", "## Impact", "## Diagnosis", "## Mitigation"}

// TestAlertConventions checks every alert of every rendered mixin: a
// severity, a summary, a description templated from the alert's labels or
// value, a runbook_url to docs/runbooks/<alert>.md that exists with the
// usual sections, and at least one promtool test naming it.
func TestAlertConventions(t *testing.T) {
	stack := renderMixins(t)
	root := testutil.RepoRoot()
	seen := map[string]string{}
	for _, m := range mixins {
		t.Run(m.Name, func(t *testing.T) {
			alerts := alertsOf(t, stack[m.Name].Objects["prometheusRule"])
			if len(alerts) == 0 {
				t.Fatal("no alerts")
			}
			tested := testedAlerts(t, m.Name)
			for _, a := range alerts {
				if prev, dup := seen[a.Alert]; dup {
					t.Errorf("%s: alert name also used by mixin %s", a.Alert, prev)
				}
				seen[a.Alert] = m.Name
				checkAlert(t, root, a)
				if !tested[a.Alert] {
					t.Errorf("%s: no promtool test in jsonnet/mixins/%s/tests evaluates it (alertname: %s)", a.Alert, m.Name, a.Alert)
				}
			}
		})
	}
	// Every runbook belongs to an alert.
	runbooks, err := filepath.Glob(filepath.Join(root, "docs", "runbooks", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, rb := range runbooks {
		name := strings.TrimSuffix(filepath.Base(rb), ".md")
		if _, ok := seen[name]; !ok && name != "README" {
			t.Errorf("docs/runbooks/%s.md: no mixin has an alert %s", name, name)
		}
	}
}

var templated = regexp.MustCompile(`\{\{.*(\$labels|\$value).*\}\}`)

func checkAlert(t *testing.T, root string, a alertRule) {
	t.Helper()
	switch a.Labels["severity"] {
	case "critical", "warning", "info":
	default:
		t.Errorf("%s: labels.severity = %q, want critical, warning or info", a.Alert, a.Labels["severity"])
	}
	if strings.TrimSpace(a.Annotations["summary"]) == "" {
		t.Errorf("%s: no summary", a.Alert)
	}
	if !templated.MatchString(a.Annotations["description"]) {
		t.Errorf("%s: description %q is not templated with $labels or $value", a.Alert, a.Annotations["description"])
	}
	if want := fmt.Sprintf(runbookURLPattern, a.Alert); a.Annotations["runbook_url"] != want {
		t.Errorf("%s: runbook_url = %q, want %q", a.Alert, a.Annotations["runbook_url"], want)
	}
	if a.For != "" {
		if _, err := model.ParseDuration(a.For); err != nil {
			t.Errorf("%s: for: %v", a.Alert, err)
		}
	}
	b, err := os.ReadFile(filepath.Join(root, "docs", "runbooks", a.Alert+".md"))
	if err != nil {
		t.Errorf("%s: no runbook: %v", a.Alert, err)
		return
	}
	text := string(b)
	if !strings.HasPrefix(text, "# "+a.Alert+"\n") {
		t.Errorf("docs/runbooks/%s.md must start with the heading \"# %s\"", a.Alert, a.Alert)
	}
	last := -1
	for _, s := range runbookSections {
		i := strings.Index(text, "\n"+s+"\n")
		if i < 0 || i < last {
			t.Errorf("docs/runbooks/%s.md: missing section %q (sections, in order: %s)", a.Alert, s, strings.Join(runbookSections, ", "))
		}
		last = i
	}
}

var alertnameLine = regexp.MustCompile(`(?m)^\s*alertname:\s*(\S+)\s*$`)

// testedAlerts is the set of alert names the mixin's promtool tests evaluate.
func testedAlerts(t *testing.T, name string) map[string]bool {
	t.Helper()
	tested := map[string]bool{}
	for _, f := range ruleTests(t, name) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range alertnameLine.FindAllStringSubmatch(string(b), -1) {
			tested[m[1]] = true
		}
	}
	return tested
}

// TestRenderedMixinsValidate runs kpgen's validation (well-formed objects,
// rulefmt on every rule, promtool's duplicate lint) on each mixin's files:
// no problems and no warnings.
func TestRenderedMixinsValidate(t *testing.T) {
	stack := renderMixins(t)
	for _, m := range mixins {
		rep := validate.Files(stack[m.Name].Files)
		for _, p := range rep.Problems {
			t.Errorf("%s: %s", m.Name, p)
		}
		for _, p := range rep.Warnings {
			// A mixin rendered alone has no Namespace object of its stack.
			if !strings.HasPrefix(p.Msg, "objects in namespaces the output does not create: ") {
				t.Errorf("%s: %s", m.Name, p)
			}
		}
		if rep.Stats.Alerts == 0 {
			t.Errorf("%s: validation saw no alerts", m.Name)
		}
	}
}

// TestConfigDefaults checks the contract with the library's schema: every
// _config key has a non-null default of its final type, `enabled` is the
// library's, *For settings are Prometheus durations, and the shared
// runbookURLPattern is there.
func TestConfigDefaults(t *testing.T) {
	for _, m := range mixins {
		out, err := evalJsonnet(fmt.Sprintf("(import %q)._config", m.Name+"/mixin.libsonnet"))
		if err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
		var config map[string]any
		if err := json.Unmarshal(out, &config); err != nil {
			t.Fatal(err)
		}
		keys := make([]string, 0, len(config))
		for k := range config {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := config[k]
			switch {
			case v == nil:
				t.Errorf("%s: _config.%s: null default", m.Name, k)
			case k == "enabled":
				t.Errorf("%s: _config.enabled belongs to the library", m.Name)
			case strings.HasSuffix(k, "For"):
				if s, ok := v.(string); !ok {
					t.Errorf("%s: _config.%s: want a duration string, got %T", m.Name, k, v)
				} else if _, err := model.ParseDuration(s); err != nil {
					t.Errorf("%s: _config.%s: %v", m.Name, k, err)
				}
			}
			if obj, ok := v.(map[string]any); ok && len(obj) > 0 {
				t.Errorf("%s: _config.%s: object defaults must be {} (free-form maps)", m.Name, k)
			}
		}
		if config["runbookURLPattern"] != runbookURLPattern {
			t.Errorf("%s: _config.runbookURLPattern = %v", m.Name, config["runbookURLPattern"])
		}
		_, ns := config["namespace"]
		_, nss := config["namespaces"]
		if !ns && !nss {
			t.Errorf("%s: _config has neither namespace nor namespaces", m.Name)
		}
	}
}

// TestConfigTypes: every _config key has a type in _configTypes (the
// library checks vars.mixins.<name>.<key> against it), no type is left
// over, and each default passes its own type's checks.
func TestConfigTypes(t *testing.T) {
	for _, m := range mixins {
		out, err := evalJsonnet(fmt.Sprintf(`
local s = import 'schema.libsonnet';
local m = import %q;
{
  config: std.objectFields(m._config),
  types: std.objectFields(m._configTypes),
  problems: std.flattenArrays([
    s.apply(s.fromType(m._configTypes[k], m._config[k]), m._config[k], null, 'default of ' + k).problems
    for k in std.objectFields(m._config)
    if std.objectHas(m._configTypes, k)
  ]),
}`, m.Name+"/mixin.libsonnet"))
		if err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
		var v struct{ Config, Types, Problems []string }
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatal(err)
		}
		if strings.Join(v.Config, " ") != strings.Join(v.Types, " ") {
			t.Errorf("%s: _config keys %v, _configTypes keys %v: want the same", m.Name, v.Config, v.Types)
		}
		for _, p := range v.Problems {
			t.Errorf("%s: %s", m.Name, p)
		}
	}
}
