// kube-prometheus exactly as upstream renders it (examples/kustomize.jsonnet),
// with every kpgen addition switched off: out/upstream-defaults/ must equal
// upstream's committed manifests/ and kustomization.yaml.
{
  cluster: { name: 'upstream-defaults' },
}
