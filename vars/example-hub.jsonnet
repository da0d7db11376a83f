// hub: the central cluster. Its Alertmanager receives every spoke's alerts
// (their per-cluster routes come from vars.alertmanager.config, see
// docs/topologies.md#alertmanager-routes); its Grafana shows every cluster,
// from the central store (Thanos Query in front of Receive) and from each
// spoke's own Prometheus; its Prometheus federates spoke-b's alerts.
{
  cluster: { name: 'hub', provider: 'aws', environment: 'production', platform: 'eks' },
  topology: {
    role: 'hub',
    store: { type: 'thanos', url: 'http://thanos-query.thanos.svc:9090' },
    spokes: [
      { name: 'spoke-a', url: 'https://prometheus.spoke-a.example.com' },
      {
        name: 'spoke-b',
        url: 'https://prometheus.spoke-b.example.com',
        datasource: {
          basicAuth: true,
          basicAuthUser: 'grafana',
          secureJsonData: { basicAuthPassword: { name: 'spoke-b-prometheus', key: 'password' } },
        },
        federate: {
          url: 'https://prometheus.spoke-b.example.com',
          match: ['{__name__="ALERTS"}', '{__name__=~"job:.*"}'],
          interval: '60s',
          basicAuth: {
            username: { name: 'spoke-b-prometheus', key: 'username' },
            password: { name: 'spoke-b-prometheus', key: 'password' },
          },
        },
      },
    ],
  },
  prometheus: { replicas: 2, retention: '15d', storage: { size: '100Gi', class: 'gp3' } },
  // The central Alertmanager: the spokes' alerts carry their cluster label,
  // so each spoke's go to the team that runs it, critical ones page, and the
  // hub's own go to the platform team.
  alertmanager: { config: {
    route: {
      receiver: 'platform',
      routes: [
        { matchers: ['severity = "critical"'], receiver: 'pagerduty', continue: true },
        { matchers: ['cluster = "spoke-a"'], receiver: 'team-a' },
        { matchers: ['cluster = "spoke-b"'], receiver: 'team-b' },
      ],
    },
    receivers: {
      platform: { slack_configs: [{ api_url: { name: 'alertmanager-slack', key: 'platform' }, channel: '#platform-alerts' }] },
      pagerduty: { pagerduty_configs: [{ routing_key: { name: 'alertmanager-pagerduty', key: 'routing-key' } }] },
      'team-a': { slack_configs: [{ api_url: { name: 'alertmanager-slack', key: 'team-a' }, channel: '#team-a-alerts' }] },
      'team-b': { msteams_configs: [{ webhook_url: { name: 'alertmanager-teams', key: 'team-b' } }] },
      deadmansswitch: { webhook_configs: [{ url: { name: 'alertmanager-deadmansswitch', key: 'url' } }] },
    },
    watchdog: { receiver: 'deadmansswitch' },
  } },
}
