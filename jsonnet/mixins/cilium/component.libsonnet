// The cilium component: its PrometheusRule and the monitors that let
// Prometheus see Cilium even when the Cilium chart's own ServiceMonitors are
// off (its default), all in Cilium's namespace:
//   podMonitorAgent     pods k8s-app=cilium, port `prometheus` (9962)
//   podMonitorOperator  pods io.cilium/app=operator, port `prometheus` (9963)
//   serviceMonitorHubble  Service hubble-metrics (k8s-app=hubble), port
//                         `hubble-metrics` (9965)
// The agent and operator ports exist once the chart's prometheus.enabled and
// operator.prometheus.enabled are set; Hubble's once hubble.metrics.enabled
// lists metrics.
local common = import '../kpgen-common/common.libsonnet';

function(params)
  local mixin = common.configure('cilium', import 'mixin.libsonnet', std.get(params, 'config', {}));
  local c = mixin._config;
  local base = { namespace: params.namespace, targetNamespaces: [c.namespace] };
  // Agents and Hubble run one per node: name the node.
  local node = { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' };
  common.component('cilium', mixin, params, [c.namespace], {
    podMonitorAgent: common.podMonitor(base {
      name: 'cilium-agent',
      job: 'cilium-agent',
      selector: { matchLabels: { 'k8s-app': 'cilium' } },
      port: 'prometheus',
      relabelings: [node],
    }),
    podMonitorOperator: common.podMonitor(base {
      name: 'cilium-operator',
      job: 'cilium-operator',
      selector: { matchLabels: { 'io.cilium/app': 'operator' } },
      port: 'prometheus',
    }),
    serviceMonitorHubble: common.serviceMonitor(base {
      name: 'hubble',
      job: 'hubble',
      selector: { 'k8s-app': 'hubble' },
      port: 'hubble-metrics',
      relabelings: [node],
    }),
  })
