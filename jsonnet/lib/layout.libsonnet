// Lays out a kube-prometheus-style stack (components → objects) as files,
// the way upstream's repository is laid out: Namespaces and CRDs under
// manifests/setup/<key>.yaml, every other object at
// manifests/<component>-<key>.yaml, and a kustomization.yaml listing them all.
local isSetup(o) = o.kind == 'CustomResourceDefinition' || o.kind == 'Namespace';

{
  files(stack)::
    local manifests = {
      [if isSetup(stack[c][k]) then 'setup/' + k else c + '-' + k]: stack[c][k]
      for c in std.objectFields(stack)
      for k in std.objectFields(stack[c])
    };
    local path(name) = 'manifests/' + name + '.yaml';
    {
      [path(name)]: manifests[name]
      for name in std.objectFields(manifests)
    } + {
      'kustomization.yaml': {
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: ['./' + path(name) for name in std.objectFields(manifests)],
      },
    },
}
