// No resource limits on the components' main containers (their requests
// stay).
local noLimits = { resources+: { limits: {} } };

{
  values+:: {
    alertmanager+: noLimits,
    blackboxExporter+: noLimits,
    grafana+: noLimits,
    kubeStateMetrics+: noLimits,
    nodeExporter+: noLimits,
    prometheusAdapter+: noLimits,
    prometheusOperator+: noLimits,
    prometheus+: noLimits,
  },
}
