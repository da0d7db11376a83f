// The velero component: its PrometheusRule and a ServiceMonitor for the
// Service the Velero Helm chart creates when metrics are enabled (its
// default): Service `velero`, labels app.kubernetes.io/name=velero, port
// `http-monitoring` (8085).
local common = import '../kpgen-common/common.libsonnet';

function(params)
  local mixin = common.configure('velero', import 'mixin.libsonnet', std.get(params, 'config', {}));
  local c = mixin._config;
  common.component('velero', mixin, params, [c.namespace], {
    serviceMonitor: common.serviceMonitor({
      name: 'velero',
      job: 'velero',
      namespace: params.namespace,
      targetNamespaces: [c.namespace],
      selector: { 'app.kubernetes.io/name': 'velero' },
      port: 'http-monitoring',
    }),
  })
