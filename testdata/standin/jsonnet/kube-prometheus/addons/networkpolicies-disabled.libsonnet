// No NetworkPolicy objects at all.
local none = { networkPolicy:: {} };

{
  alertmanager+: none,
  blackboxExporter+: none,
  grafana+: none,
  kubeStateMetrics+: none,
  nodeExporter+: none,
  prometheus+: none,
  prometheusAdapter+: none,
  prometheusOperator+: none,
}
