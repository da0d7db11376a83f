// spoke-b: an on-premises spoke. Alerts to the hub's Alertmanager with a
// client certificate; series to the hub's Mimir with a bearer token and a
// tenant header. It keeps a Grafana for the local team.
{
  cluster: { name: 'spoke-b', provider: 'baremetal', environment: 'staging', platform: 'kubeadm' },
  topology: { role: 'spoke' },
  prometheus: {
    replicas: 1,
    alerting: {
      alertmanagers: [{
        url: 'https://alertmanager.hub.example.com',
        timeout: '10s',
        tlsConfig: {
          ca: { secret: { name: 'hub-ca', key: 'ca.crt' } },
          cert: { secret: { name: 'spoke-b-client', key: 'tls.crt' } },
          keySecret: { name: 'spoke-b-client', key: 'tls.key' },
        },
      }],
    },
    remoteWrite: [{
      url: 'https://mimir.hub.example.com/api/v1/push',
      headers: { 'X-Scope-OrgID': 'spoke-b' },
      authorization: { credentials: { name: 'hub-mimir', key: 'token' } },
      queueConfig: { maxShards: 10 },
    }],
  },
}
