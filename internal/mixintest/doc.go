// Package mixintest tests kpgen's own mixins (jsonnet/mixins) as they are
// rendered: the promtool rule tests under jsonnet/mixins/<name>/tests run
// against the PrometheusRule each mixin renders to, every alert follows the
// conventions (severity, summary, templated description, a runbook under
// docs/runbooks) and the monitors scrape what the projects really expose.
//
// The promtool tests need promtool (Debian/Ubuntu: apt-get install
// prometheus); without it they fail rather than skip.
package mixintest
