// Persistent storage for Prometheus; Velero's mixin.
{
  cluster: { name: 'bench-3', provider: 'baremetal' },
  prometheus: { storage: { size: '100Gi', class: 'local-path' }, retentionSize: '90GB' },
  mixins: { velero: { enabled: true } },
}
