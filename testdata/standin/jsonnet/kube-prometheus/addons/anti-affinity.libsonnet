// Spreads the replicas of Alertmanager, Prometheus, the blackbox exporter
// and prometheus-adapter over topology domains: 'soft' prefers it, 'hard'
// requires it (values.<component>.podAntiAffinity{,TopologyKey}).
local spread = { podAntiAffinity: 'soft', podAntiAffinityTopologyKey: 'kubernetes.io/hostname' };

{
  values+:: {
    alertmanager+: spread,
    prometheus+: spread,
    blackboxExporter+: spread,
    prometheusAdapter+: spread,
  },

  antiaffinity(labelSelector, namespace, type, topologyKey):: {
    local term = {
      namespaces: [namespace],
      topologyKey: topologyKey,
      labelSelector: { matchLabels: labelSelector },
    },
    affinity: {
      podAntiAffinity:
        if type == 'soft' then { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] }
        else if type == 'hard' then { requiredDuringSchedulingIgnoredDuringExecution: [term] }
        else error 'podAntiAffinity: "soft" or "hard", not ' + type,
    },
  },

  local of(component) = $.antiaffinity(
    $[component]._config.selectorLabels,
    $.values[component].namespace,
    $.values[component].podAntiAffinity,
    $.values[component].podAntiAffinityTopologyKey,
  ),

  alertmanager+: { alertmanager+: { spec+: of('alertmanager') } },
  prometheus+: { prometheus+: { spec+: of('prometheus') } },
  blackboxExporter+: { deployment+: { spec+: { template+: { spec+: of('blackboxExporter') } } } },
  prometheusAdapter+: { deployment+: { spec+: { template+: { spec+: of('prometheusAdapter') } } } },
}
