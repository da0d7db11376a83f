// The cert-manager component (certManager in the stack): its PrometheusRule
// and a ServiceMonitor for the controller's metrics Service the chart creates
// (prometheus.enabled, its default): Service `cert-manager`, labels
// app.kubernetes.io/name=cert-manager, app.kubernetes.io/component=controller,
// port `tcp-prometheus-servicemonitor` (9402).
local common = import '../kpgen-common/common.libsonnet';

function(params)
  local mixin = common.configure('cert-manager', import 'mixin.libsonnet', std.get(params, 'config', {}));
  local c = mixin._config;
  common.component('cert-manager', mixin, params, [c.namespace], {
    serviceMonitor: common.serviceMonitor({
      name: 'cert-manager',
      job: 'cert-manager',
      namespace: params.namespace,
      targetNamespaces: [c.namespace],
      selector: {
        'app.kubernetes.io/name': 'cert-manager',
        'app.kubernetes.io/component': 'controller',
      },
      port: 'tcp-prometheus-servicemonitor',
      // Like the chart's own ServiceMonitor: the target's namespace label
      // wins, so the certificate's namespace arrives as exported_namespace,
      // which is what the rules use.
      honorLabels: false,
    }),
  })
