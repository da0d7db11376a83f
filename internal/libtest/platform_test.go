package libtest

import (
	"strings"
	"testing"
)

// A platform mixin whose _configTypes holds something other than a type —
// most often a type constructor not called (t.number for t.number()) — is
// named, with its key, instead of failing deep in kpgen's schema code.
func TestPlatformMixinTypeNotAType(t *testing.T) {
	tests := []struct {
		name, types, want string
	}{
		{"a constructor not called", "threshold: t.number", "mixin team: _configTypes.threshold is not a type but function: call it, e.g. t.number() for t.number"},
		{"inside a list", "threshold: t.list(t.number)", "mixin team: _configTypes.threshold.items is not a type but function"},
		{"inside a map", "threshold: t.map(t.string)", "mixin team: _configTypes.threshold.values is not a type but function"},
		{"a string", "threshold: 'number'", "mixin team: _configTypes.threshold is not a type but string (see kpgen-common/types.libsonnet)"},
		{"an unknown kind", "threshold: { kind: 'integer', check: null }", "mixin team: _configTypes.threshold is not a type but object"},
	}
	s := newStack(t, "{ cluster: { name: 'test' }, mixins: { team: { enabled: true, threshold: 2 } } }")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expr := `local t = import 'kpgen-common/types.libsonnet';
local platform = (import 'kpgen.libsonnet').platform({ mixins: { team: {
  key: 'team',
  mixin: { _config:: { threshold: 1 }, _configTypes:: { ` + tt.types + ` } },
  component: function(params) {},
} } });
platform.new(vars).config.mixins.team.threshold`
			var v any
			err := s.eval(expr, &v)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	// A type, called: the value is checked and kept.
	var v any
	s.mustEval(`local t = import 'kpgen-common/types.libsonnet';
(import 'kpgen.libsonnet').platform({ mixins: { team: {
  key: 'team', mixin: { _config:: { threshold: 1 }, _configTypes:: { threshold: t.number() } }, component: function(params) {},
} } }).new(vars).config.mixins.team.threshold`, &v)
	if v != 2.0 {
		t.Errorf("threshold %v, want 2", v)
	}
}

// What only a cluster's vars file may hold — patches, the choice of preset —
// is a problem in a platform's defaults or presets, named with its layer,
// not silently ignored.
func TestPlatformLayersMisplacedKeys(t *testing.T) {
	s := newStack(t, "{ cluster: { name: 'test', environment: 'staging' } }")
	var problems []string
	s.mustEval(`(import 'kpgen.libsonnet').platform({
  defaults: { preset: 'staging' },
  presets: { staging: { patches: [function(stack, cfg) stack] } },
}).new(vars).problems`, &problems)
	want := []string{
		"platform.defaults.preset: only a cluster's vars file chooses its preset (or its cluster.environment does)",
		"platform.presets.staging.patches: only a cluster's vars file holds patches; a platform's go in platform(ext).patches",
	}
	for _, w := range want {
		found := false
		for _, p := range problems {
			found = found || p == w
		}
		if !found {
			t.Errorf("problems %q lack %q", problems, w)
		}
	}
}

// A platform mixin whose key is a component the stack already has (Grafana,
// the cluster's own rules, another mixin) is an error naming it, not a
// component silently replaced.
func TestPlatformMixinKeyTaken(t *testing.T) {
	for _, key := range []string{"grafana", "kpgenCustom", "velero"} {
		t.Run(key, func(t *testing.T) {
			s := newStack(t, "{ cluster: { name: 'test' }, mixins: { team: { enabled: true }, velero: { enabled: true } }, rules: { groups: { mine: { rules: [{ alert: 'Mine', expr: 'vector(1)' }] } } } }")
			var v any
			err := s.eval(`std.length((import 'kpgen.libsonnet').platform({ mixins: { team: {
  key: '`+key+`', mixin: { _config:: {} }, component: function(params) { x: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } },
} } }).new(vars).files)`, &v)
			want := "mixin team: its key '" + key + "' is already a component of the stack"
			if key == "velero" {
				want = "mixins team and velero have the same key velero"
			}
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("got %v, %v; want an error containing %q", v, err, want)
			}
		})
	}
}

// A patch that is no function(stack, cfg), or returns no stack, is named by
// its list and index (it failed deep in kpgen's layout before).
func TestPatchErrorsNameThePatch(t *testing.T) {
	tests := []struct{ patch, want string }{
		{"function(s, c) 42", "vars.patches[1] returned number, not the stack (an object of components)"},
		{"function(s) s", "vars.patches[1]: a patch is a function(stack, cfg), this one takes 1 parameter(s)"},
	}
	for _, tt := range tests {
		s := newStack(t, "{ cluster: { name: 'test' }, patches: [function(s, c) s, "+tt.patch+"] }")
		var v any
		if err := s.eval("std.length(k.files)", &v); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error containing %q", tt.patch, err, tt.want)
		}
	}
	s := newStack(t, minimal)
	var v any
	err := s.eval("std.length((import 'kpgen.libsonnet').platform({ patches: [function(s, c) null] }).new(vars).files)", &v)
	if want := "platform patches[0] returned null, not the stack"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want an error containing %q", err, want)
	}
}

// A rule name that matches nothing is blamed on the layer that set it.
func TestPlatformRuleNamesBlameTheirLayer(t *testing.T) {
	s := newStack(t, "{ cluster: { name: 'test', environment: 'staging' }, rules: { disable: ['Watchdgo'] } }")
	var problems []string
	s.mustEval(`(import 'kpgen.libsonnet').platform({
  defaults: { rules: { disableGroups: ['nope.rules'] } },
  presets: { staging: { rules: { override: { NoSuchRule: { 'for': '1h' } } } } },
}).new(vars).problems`, &problems)
	want := []string{
		`platform.defaults.rules.disableGroups[0]: no group named "nope.rules" in any PrometheusRule`,
		`platform.presets.staging.rules.override.NoSuchRule: no rule named "NoSuchRule" in any PrometheusRule`,
		`vars.rules.disable[0]: no rule named "Watchdgo" in any PrometheusRule (did you mean "Watchdog"?)`,
	}
	for _, w := range want {
		found := false
		for _, p := range problems {
			found = found || strings.HasPrefix(p, w)
		}
		if !found {
			t.Errorf("problems %q lack %q", problems, w)
		}
	}
}
