// kube-prometheus exactly as upstream renders it (examples/kustomize.jsonnet):
// every kpgen addition switched off, so out/upstream-defaults/ must equal
// upstream's committed manifests/ and kustomization.yaml. A check, not a
// cluster to deploy.
{
  cluster: { name: 'upstream-defaults' },
  namespace: 'monitoring',
  // No cluster label (upstream renders externalLabels: {}).
  prometheus: { externalLabels: { cluster: null } },
  // Upstream's kubelet ServiceMonitor, duplicate process_start_time_seconds and all.
  kubelet: { probesDuplicateFix: 'off' },
  grafana: { enabled: true },
  // mixins: all off by default; rules: nothing disabled or overridden.
}
