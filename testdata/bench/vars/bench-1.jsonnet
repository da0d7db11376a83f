// A production cluster: more Prometheus replicas, longer retention.
{
  cluster: { name: 'bench-1', environment: 'production' },
  prometheus: { replicas: 3, retention: '30d' },
}
