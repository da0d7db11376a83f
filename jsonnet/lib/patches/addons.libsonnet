// vars.addons: kube-prometheus' own addons (jsonnet/kube-prometheus/addons),
// each applied as upstream's file, unchanged, when switched on. An addon
// changes which objects exist (all-namespaces drops the per-namespace
// Roles, user-facing-roles adds ClusterRoles, …), so its switch is read
// wherever the stack is built: clusters that differ in an addon share
// no rendering work (see docs/performance.md).
local files = {
  allNamespaces: import 'kube-prometheus/addons/all-namespaces.libsonnet',
  antiAffinity: import 'kube-prometheus/addons/anti-affinity.libsonnet',
  ksmLite: import 'kube-prometheus/addons/ksm-lite.libsonnet',
  managedCluster: import 'kube-prometheus/addons/managed-cluster.libsonnet',
  networkPoliciesDisabled: import 'kube-prometheus/addons/networkpolicies-disabled.libsonnet',
  nodePorts: import 'kube-prometheus/addons/node-ports.libsonnet',
  stripLimits: import 'kube-prometheus/addons/strip-limits.libsonnet',
  userFacingRoles: import 'kube-prometheus/addons/user-facing-roles.libsonnet',
};

// anti-affinity's own values: the type and topology key of each component
// it spreads, read only by that component's pods.
local antiAffinity(aa) = {
  local spread = { podAntiAffinity: aa.type, podAntiAffinityTopologyKey: aa.topologyKey },
  values+:: {
    alertmanager+: spread,
    blackboxExporter+: spread,
    prometheus+: spread,
    prometheusAdapter+: spread,
  },
};

function(addons)
  std.foldl(
    function(acc, name)
      local on = addons[name];
      if name == 'antiAffinity' then
        (if on.enabled then acc + files[name] + antiAffinity(on) else acc)
      else if on then acc + files[name]
      else acc,
    std.objectFields(files),
    {},
  )
