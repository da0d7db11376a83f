// Lays out a kube-prometheus-style stack (components → objects) as files,
// the way upstream's repository is laid out: Namespaces and CRDs under
// manifests/setup/<key>.yaml, every other object at
// manifests/<component>-<key>.yaml, and a kustomization.yaml listing them all.
local isSetup(o) = o.kind == 'CustomResourceDefinition' || o.kind == 'Namespace';

// { name: [component, key] }, name being the file's name without directory
// and extension.
local names(stack) = {
  [if isSetup(stack[c][k]) then 'setup/' + k else c + '-' + k]: [c, k]
  for c in std.objectFields(stack)
  for k in std.objectFields(stack[c])
};
local path(name) = 'manifests/' + name + '.yaml';

{
  // index(stack): { 'manifests/…yaml': [component, key] } for each object's
  // file: files(stack)[p] is stack[c][k]. kpgen reads a file's object this
  // way when it evaluates a few files at a time (computing the file names
  // alone reads every object's kind).
  index(stack)::
    local n = names(stack);
    { [path(name)]: n[name] for name in std.objectFields(n) },

  files(stack)::
    local n = names(stack);
    {
      [path(name)]: stack[n[name][0]][n[name][1]]
      for name in std.objectFields(n)
    } + {
      'kustomization.yaml': {
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: ['./' + path(name) for name in std.objectFields(n)],
      },
    },
}
