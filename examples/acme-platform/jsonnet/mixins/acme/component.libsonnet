// The acme component: the mixin's PrometheusRule and a ServiceMonitor for
// the billing service's Service (label app.kubernetes.io/name=acme-billing,
// port `metrics`).
local common = import 'kpgen/mixins/kpgen-common/common.libsonnet';

function(params)
  local mixin = common.configure('acme', import 'mixin.libsonnet', std.get(params, 'config', {}));
  local c = mixin._config;
  common.component('acme', mixin, params, [c.namespace], {
    serviceMonitor: common.serviceMonitor({
      name: 'acme-billing',
      job: 'acme-billing',
      namespace: params.namespace,
      targetNamespaces: [c.namespace],
      selector: { 'app.kubernetes.io/name': 'acme-billing' },
      port: 'metrics',
    }),
  })
