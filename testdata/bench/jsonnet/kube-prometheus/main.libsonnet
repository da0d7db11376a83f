// Heavy stand-in for kube-prometheus' main.libsonnet, for kpgen's
// benchmarks: the small test stand-in (vendored beside it as kpgen-standin)
// plus generated content of kube-prometheus's size and shape: the missing
// components, full-size CRDs, about 230 rules and about 30 dashboards with
// many panels. Same interface: a hidden `values` and one field per component.
local crds = import './components/crds.libsonnet';
local exporters = import './components/exporters.libsonnet';
local dashComponents = import './dashboards/components.libsonnet';
local dashKubernetes = import './dashboards/kubernetes.libsonnet';
local rc = import './rules/common.libsonnet';
local rulesComponents = import './rules/components.libsonnet';
local rulesKubernetes = import './rules/kubernetes.libsonnet';
local standin = import 'kpgen-standin/main.libsonnet';

// Adds generated rules and dashboards to a component's hidden mixin.
// gen(cfg) returns { alerts?: [groups], records?: [groups] }. A generated
// group replaces the small stand-in's group of the same name.
local extend(gen, dashboards={}) = {
  mixin+:: {
    local m = self,
    local generated = gen(rc.defaults + m._config),
    local add(more) = {
      local names = [g.name for g in more],
      groups: [g for g in (if 'groups' in super then super.groups else []) if !std.member(names, g.name)] + more,
    },
    prometheusAlerts+:: add(std.get(generated, 'alerts', [])),
    prometheusRules+:: add(std.get(generated, 'records', [])),
    [if dashboards != {} then 'grafanaDashboards']+:: dashboards,
  },
};

standin {
  values+:: {
    local v = self,
    blackboxExporter: {
      name: 'blackbox-exporter',
      namespace: v.common.namespace,
      version: v.common.versions.blackboxExporter,
      image: v.common.images.blackboxExporter,
      kubeRbacProxyImage: v.common.images.kubeRbacProxy,
      configmapReloaderImage: v.common.images.configmapReload,
      replicas: 1,
      port: 9115,
      internalPort: 19115,
    },
    kubeStateMetrics: {
      name: 'kube-state-metrics',
      namespace: v.common.namespace,
      version: v.common.versions.kubeStateMetrics,
      image: v.common.images.kubeStateMetrics,
      kubeRbacProxyImage: v.common.images.kubeRbacProxy,
      replicas: 1,
      mixin+: {
        ruleLabels: v.common.ruleLabels,
        _config+: { runbookURLPattern: 'https://runbooks.example.org/kube-prometheus-bench/kube-state-metrics/%s' },
      },
    },
    prometheusAdapter: {
      name: 'prometheus-adapter',
      namespace: v.common.namespace,
      version: v.common.versions.prometheusAdapter,
      image: v.common.images.prometheusAdapter,
      replicas: 2,
      rangeInterval: '5m',
      prometheusURL: 'http://prometheus-%s.%s.svc:9090/' % [v.prometheus.name, v.common.namespace],
    },
  },

  alertmanager+: extend(rulesComponents.alertmanager, dashComponents.alertmanager),
  grafana+: extend(function(cfg) {}, dashComponents.grafana),
  kubePrometheus+: extend(rulesComponents.kubePrometheus),
  kubernetesControlPlane+: extend(rulesKubernetes, dashKubernetes + dashComponents.kubernetes)
                           + exporters.controlPlaneMonitors($.values.common.namespace),
  nodeExporter+: extend(rulesComponents.nodeExporter, dashComponents.node),
  prometheus+: extend(rulesComponents.prometheus, dashComponents.prometheus),
  prometheusOperator+: extend(rulesComponents.prometheusOperator) + crds,

  blackboxExporter: exporters.blackboxExporter($.values.blackboxExporter),
  kubeStateMetrics: exporters.kubeStateMetrics($.values.kubeStateMetrics) + extend(rulesComponents.kubeStateMetrics),
  prometheusAdapter: exporters.prometheusAdapter($.values.prometheusAdapter),
}
