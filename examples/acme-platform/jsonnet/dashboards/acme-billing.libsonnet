// ACME billing: requests and errors, per cluster (a plain Grafana
// dashboard, written as Jsonnet; a JSON file works as well:
// std.parseJson(importstr 'acme-billing.json')).
local panel(id, title, expr, y) = {
  id: id,
  type: 'timeseries',
  title: title,
  datasource: { type: 'prometheus', uid: '$datasource' },
  gridPos: { h: 8, w: 24, x: 0, y: y },
  targets: [{ expr: expr, refId: 'A', legendFormat: '{{code}}' }],
};

{
  uid: 'acme-billing',
  title: 'ACME / Billing',
  tags: ['acme'],
  schemaVersion: 39,
  time: { from: 'now-6h', to: 'now' },
  templating: {
    list: [{ name: 'datasource', type: 'datasource', query: 'prometheus' }],
  },
  panels: [
    panel(1, 'Requests by code', 'sum by (code) (rate(http_requests_total{job="acme-billing"}[5m]))', 0),
    panel(2, 'Error ratio', 'sum(rate(http_requests_total{job="acme-billing", code=~"5.."}[5m])) / sum(rate(http_requests_total{job="acme-billing"}[5m]))', 8),
  ],
}
