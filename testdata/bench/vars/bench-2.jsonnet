// Another namespace, one Alertmanager.
{
  cluster: { name: 'bench-2', provider: 'aws' },
  namespace: 'observability',
  alertmanager: { replicas: 1 },
}
