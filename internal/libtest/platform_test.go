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
