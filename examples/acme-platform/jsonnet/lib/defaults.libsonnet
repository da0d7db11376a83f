// What every ACME cluster starts from; a cluster's vars (and its preset)
// override any of it.
{
  prometheus: {
    retention: '15d',
  },
  mixins: {
    acme: { enabled: true },
  },
  rules: {
    // Every alert of every ACME cluster says whose platform it is, for
    // Alertmanager's routes.
    alertLabels: { platform: 'acme' },
  },
  grafana: {
    dashboards: {
      add: { 'acme-billing.json': import '../dashboards/acme-billing.libsonnet' },
    },
  },
}
