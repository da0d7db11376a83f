// The cnpg component: its PrometheusRule and one PodMonitor for the
// PostgreSQL instances of every CloudNativePG Cluster in the configured
// namespaces (pods labelled cnpg.io/podRole=instance and cnpg.io/cluster,
// port `metrics`), the selection CloudNativePG's own PodMonitor makes per
// Cluster.
local common = import '../kpgen-common/common.libsonnet';

function(params)
  local mixin = common.configure('cnpg', import 'mixin.libsonnet', std.get(params, 'config', {}));
  local c = mixin._config;
  common.component('cnpg', mixin, params, c.namespaces, {
    podMonitor: common.podMonitor({
      name: 'cnpg',
      job: 'cnpg',
      namespace: params.namespace,
      targetNamespaces: c.namespaces,
      selector: {
        matchLabels: { 'cnpg.io/podRole': 'instance' },
        matchExpressions: [{ key: 'cnpg.io/cluster', operator: 'Exists' }],
      },
      port: 'metrics',
      relabelings: [{
        action: 'replace',
        sourceLabels: ['__meta_kubernetes_pod_label_cnpg_io_cluster'],
        targetLabel: 'cnpg_cluster',
      }],
    }),
  })
