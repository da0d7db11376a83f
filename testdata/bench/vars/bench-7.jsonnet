// Remote write, extra labels and namespaces.
{
  cluster: { name: 'bench-7' },
  prometheus: {
    externalLabels: { region: 'eu-west-1' },
    remoteWrite: [{ url: 'https://mimir.example.com/api/v1/push' }],
    extraNamespaces: ['apps'],
  },
}
