// prod-eu-west-1: the production EKS cluster in eu-west-1, with everything
// kpgen adds switched on. Cilium runs chained to the AWS VPC CNI; Velero backs
// up to S3 every night; the payments team runs its PostgreSQL clusters with
// CloudNativePG. See docs/vars.md for every key.
local day = 24 * 3600;

{
  cluster: {
    name: 'prod-eu-west-1',
    provider: 'aws',
    environment: 'production',  // also an external label on every alert
    // kube-prometheus' EKS patch: no scheduler/controller-manager to scrape
    // (managed control plane), aws-node (VPC CNI) monitored instead.
    platform: 'eks',
  },
  namespace: 'monitoring',

  prometheus: {
    replicas: 2,
    retention: '15d',
    retentionSize: '180GB',  // below the volume size, so the TSDB never fills it
    storage: { size: '200Gi', class: 'gp3' },
    resources: {
      requests: { cpu: '2', memory: '8Gi' },
      limits: { memory: '12Gi' },
    },
    // cluster: 'prod-eu-west-1' and environment: 'production' come by default.
    externalLabels: { region: 'eu-west-1' },
    remoteWrite: [{
      name: 'mimir',
      url: 'https://mimir.observability.example.com/api/v1/push',
      headers: { 'X-Scope-OrgID': 'prod' },
      queueConfig: { maxSamplesPerSend: 2000 },
    }],
    // Application namespaces whose own ServiceMonitors Prometheus must read.
    extraNamespaces: ['payments', 'checkout'],
  },

  alertmanager: {
    replicas: 3,
    // No CPU limit (throttling delays notifications); upstream's requests stay.
    resources: { limits: { cpu: null } },
    // Where alerts go (docs/alertmanager.md). Credentials are Secrets of the
    // monitoring namespace, created beside this stack (see sealed secrets).
    config: {
      route: {
        receiver: 'platform-slack',  // whatever no route below takes
        routes: [
          // Pages: PagerDuty, and Slack too (continue).
          { matchers: ['severity = "critical"'], receiver: 'pagerduty', continue: true },
          { matchers: ['team = "payments"'], receiver: 'payments', mute_time_intervals: ['payments-release'] },
        ],
      },
      receivers: {
        'platform-slack': { slack_configs: [{
          api_url: { name: 'alertmanager-slack', key: 'webhook-url' },
          channel: '#platform-alerts',
          send_resolved: true,
          title: '[{{ .CommonLabels.cluster }}] {{ .CommonLabels.alertname }}',
        }] },
        pagerduty: { pagerduty_configs: [{
          routing_key: { name: 'alertmanager-pagerduty', key: 'routing-key' },
          severity: '{{ .CommonLabels.severity }}',
        }] },
        payments: {
          msteams_configs: [{ webhook_url: { name: 'alertmanager-payments', key: 'teams-url' } }],
          email_configs: [{ to: 'payments-oncall@example.com', smarthost: 'smtp.example.com:587', from: 'alertmanager@example.com', auth_username: 'alertmanager', auth_password: { name: 'alertmanager-payments', key: 'smtp-password' } }],
        },
        // A dead man's switch (e.g. healthchecks.io): silence from it pages.
        deadmansswitch: { webhook_configs: [{ url: { name: 'alertmanager-deadmansswitch', key: 'url' }, send_resolved: false }] },
      },
      time_intervals: {
        // The payments team's Thursday release window.
        'payments-release': [{ weekdays: ['thursday'], times: [{ start_time: '14:00', end_time: '15:00' }], location: 'Europe/Dublin' }],
      },
      watchdog: { receiver: 'deadmansswitch' },
    },
  },

  kubelet: {
    probesDuplicateFix: 'metricRelabelings',
    // Node certificates rotate every 30 days here: warn two weeks ahead.
    certExpirationWarningSeconds: 14 * day,
    certExpirationCriticalSeconds: 3 * day,
  },

  mixins: {
    velero: {
      enabled: true,
      backupMaxAgeSeconds: 26 * 3600,  // nightly schedules, plus an hour of slack
      scheduleMaxAgeSeconds: { weekly: 8 * day },
    },
    cnpg: { enabled: true, namespaces: ['payments'] },
    cilium: { enabled: true },
    'cert-manager': { enabled: true },
  },

  rules: {
    // Karpenter packs nodes tightly on purpose.
    disable: ['NodeMemoryHighUtilization'],
    override: {
      TargetDown: { 'for': '15m' },  // spot interruptions take a few minutes to settle
      GrafanaRequestsFailing: { severity: 'info' },
      // The warning and the critical rule share this name: only the critical one pages.
      KubeletClientCertificateExpiration: { bySeverity: { critical: { labels: { page: 'true' } } } },
    },
    // Every alert goes to the platform team's receiver, unless a rule says otherwise.
    alertLabels: { team: 'platform' },
    // The payments team's own alert (see docs/rules.md).
    groups: {
      'payments.rules': {
        rules: [{
          alert: 'PaymentsAPIDown',
          expr: 'up{job="payments-api"} == 0',
          'for': '5m',
          labels: { severity: 'critical', team: 'payments' },
          annotations: {
            summary: 'Prometheus cannot scrape the payments API.',
            description: 'Pod {{ $labels.pod }} of the payments API has not answered a scrape for 5 minutes.',
          },
        }],
      },
    },
  },
}
