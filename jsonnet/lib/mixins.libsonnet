// kpgen's mixins (jsonnet/mixins/<name>/), keyed by their vars name
// (vars.mixins.<name>). key is the component's field in the kube-prometheus
// object, hence the prefix of its files (manifests/<key>-<resource>.yaml).
// Imports are lazy: a mixin no vars file mentions is never loaded.
{
  velero: {
    key: 'velero',
    mixin: import 'velero/mixin.libsonnet',
    component: import 'velero/component.libsonnet',
  },
  cnpg: {
    key: 'cnpg',
    mixin: import 'cnpg/mixin.libsonnet',
    component: import 'cnpg/component.libsonnet',
  },
  cilium: {
    key: 'cilium',
    mixin: import 'cilium/mixin.libsonnet',
    component: import 'cilium/component.libsonnet',
  },
  'cert-manager': {
    key: 'certManager',
    mixin: import 'cert-manager/mixin.libsonnet',
    component: import 'cert-manager/component.libsonnet',
  },
}
