// kpgen's mixins (jsonnet/mixins/<name>/), keyed by their vars name
// (vars.mixins.<name>). key is the component's field in the kube-prometheus
// object, hence the prefix of its files (manifests/<key>-<resource>.yaml).
// Imports are lazy: a mixin no vars file mentions is never loaded.
{
  velero: {
    key: 'velero',
    mixin: import '../mixins/velero/mixin.libsonnet',
    component: import '../mixins/velero/component.libsonnet',
  },
  cnpg: {
    key: 'cnpg',
    mixin: import '../mixins/cnpg/mixin.libsonnet',
    component: import '../mixins/cnpg/component.libsonnet',
  },
  cilium: {
    key: 'cilium',
    mixin: import '../mixins/cilium/mixin.libsonnet',
    component: import '../mixins/cilium/component.libsonnet',
  },
  'cert-manager': {
    key: 'certManager',
    mixin: import '../mixins/cert-manager/mixin.libsonnet',
    component: import '../mixins/cert-manager/component.libsonnet',
  },
}
