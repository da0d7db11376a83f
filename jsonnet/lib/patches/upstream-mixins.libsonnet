// vars.upstream: thresholds and selectors of kube-prometheus' mixins,
// merged into values.<component>.mixin._config as kube-prometheus exposes
// them (kubernetes-mixin's _config through values.kubernetesControlPlane,
// …). Only the keys a vars file sets are merged; the others keep
// upstream's value, null included. Each setting is read only by the
// component whose mixin has it (its rules, and the dashboards Grafana
// collects from it).
local upstream = import '../upstream.libsonnet';
local u = import '../util.libsonnet';

function(settings)
  local given = [n for n in std.objectFields(settings) if std.length(settings[n]) > 0];
  if given == [] then {}
  else {
    values+:: std.foldl(
      function(acc, name) acc {
        [upstream.mixins[name]]+: { mixin+: { _config+: u.deepSet(settings[name]) } },
      },
      given,
      {},
    ),
  }
