// mgmt: a management cluster that scrapes the clusters it manages through
// their API servers (kubelet, cAdvisor, node-exporter), every series
// labelled with the managed cluster's name (docs/topologies.md).
{
  cluster: { name: 'mgmt', provider: 'aws', environment: 'production' },
  topology: {
    role: 'management',
    managedClusters: [
      {
        name: 'wc-alpha',
        apiServer: 'https://api.wc-alpha.example.com:6443',
        tlsConfig: { ca: { secret: { name: 'wc-alpha-kubeconfig', key: 'ca.crt' } } },
        authorization: { credentials: { name: 'wc-alpha-kubeconfig', key: 'token' } },
      },
      {
        name: 'wc-beta',
        apiServer: 'https://api.wc-beta.example.com',
        tlsConfig: {
          ca: { secret: { name: 'wc-beta-kubeconfig', key: 'ca.crt' } },
          cert: { secret: { name: 'wc-beta-kubeconfig', key: 'tls.crt' } },
          keySecret: { name: 'wc-beta-kubeconfig', key: 'tls.key' },
        },
        scrapeInterval: '60s',
        cadvisor: false,
        nodeExporter: { namespace: 'monitoring', port: 9100, scheme: 'https' },
      },
    ],
  },
  prometheus: { replicas: 2, retention: '7d', storage: { size: '100Gi' } },
}
