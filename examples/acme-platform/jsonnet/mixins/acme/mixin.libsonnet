// ACME billing: the service answers, and few of its requests fail.
//
// Metrics: http_requests_total{job="acme-billing", code} from the service's
// /metrics endpoint.
local common = import 'kpgen/mixins/kpgen-common/common.libsonnet';
local t = import 'kpgen/mixins/kpgen-common/types.libsonnet';

{
  _config+:: common.defaults {
    // ACME's runbooks live in its wiki.
    runbookURLPattern: 'https://wiki.acme.example/runbooks/%s',
    // Namespace the billing service runs in.
    namespace: 'billing',
    // Alert when more than this ratio of requests fail (5xx).
    errorRatioThreshold: 0.05,
    // How long the ratio must stay over the threshold.
    errorRatioFor: '10m',
  },
  _configTypes+:: common.defaultTypes {
    namespace: t.namespace,
    errorRatioThreshold: t.ratio,
    errorRatioFor: t.duration,
  },

  local c = $._config,
  prometheusAlerts+:: {
    groups+: [{
      name: 'acme-billing',
      rules: [
        common.alert(c, {
          name: 'AcmeBillingErrors',
          severity: 'critical',
          expr: |||
            sum(rate(http_requests_total{job="acme-billing", code=~"5.."}[5m]))
            /
            sum(rate(http_requests_total{job="acme-billing"}[5m]))
            > %s
          ||| % common.num(c.errorRatioThreshold),
          'for': c.errorRatioFor,
          summary: 'ACME billing fails too many requests.',
          description: 'ACME billing answers {{ $value | humanizePercentage }} of its requests with an error%s.' % common.inCluster,
        }),
        common.targetDownAlert(c, {
          name: 'AcmeBillingDown',
          severity: 'critical',
          job: 'acme-billing',
          whenAbsent: true,
          'for': '5m',
          summary: 'Prometheus cannot scrape ACME billing.',
          description: 'Prometheus has no successful scrape of ACME billing (job {{ $labels.job }}%s).' % common.inCluster,
        }),
      ],
    }],
  },
}
