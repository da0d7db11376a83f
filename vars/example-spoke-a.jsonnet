// spoke-a: a workload cluster that keeps no Alertmanager and no Grafana of
// its own. Its alerts go to the hub's Alertmanager, its series to the hub's
// Thanos Receive, both labelled cluster: spoke-a (docs/topologies.md).
{
  cluster: { name: 'spoke-a', provider: 'aws', environment: 'production', platform: 'eks' },
  topology: { role: 'spoke' },
  prometheus: {
    replicas: 2,
    retention: '2d',  // the central store keeps the history
    alerting: {
      alertmanagers: [{
        url: 'https://alertmanager.hub.example.com',
        authorization: { credentials: { name: 'hub-alertmanager', key: 'token' } },
        tlsConfig: { ca: { secret: { name: 'hub-ca', key: 'ca.crt' } } },
      }],
    },
    remoteWrite: [{
      name: 'hub',
      url: 'https://receive.hub.example.com/api/v1/receive',
      basicAuth: {
        username: { name: 'hub-remote-write', key: 'username' },
        password: { name: 'hub-remote-write', key: 'password' },
      },
      tlsConfig: { ca: { secret: { name: 'hub-ca', key: 'ca.crt' } } },
      queueConfig: { capacity: 10000, maxShards: 50, maxSamplesPerSend: 2000 },
      writeRelabelConfigs: [
        { action: 'drop', sourceLabels: ['__name__'], regex: 'go_gc_.*|apiserver_request_duration_seconds_bucket' },
      ],
    }],
  },
  grafana: { enabled: false },
}
