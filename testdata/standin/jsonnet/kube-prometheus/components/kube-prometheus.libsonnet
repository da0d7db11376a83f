// Stack-wide rules that belong to no single component.
local defaults = {
  name: 'kube-prometheus',
  namespace: error 'kubePrometheus: namespace is required',
  commonLabels:: {
    'app.kubernetes.io/name': 'kube-prometheus',
    'app.kubernetes.io/component': 'exporter',
    'app.kubernetes.io/part-of': 'kube-prometheus',
  },
  mixin: {
    ruleLabels: {},
    _config: {
      targetDownPercent: 10,
      runbookURLPattern: 'https://runbooks.example.org/kube-prometheus-standin/general/%s',
    },
  },
};

function(params) {
  local kp = self,
  _config:: defaults + params,

  mixin:: {
    _config:: kp._config.mixin._config,
    local cfg = self._config,
    prometheusAlerts:: {
      groups: [{
        name: 'general.rules',
        rules: [
          {
            alert: 'TargetDown',
            expr: '100 * avg by (namespace, job, service) (1 - up) > %(targetDownPercent)d' % cfg,
            'for': '10m',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'Some scrape targets cannot be reached.',
              description: 'About {{ $value | humanize }}% of targets behind {{ $labels.namespace }}/{{ $labels.service }} are failing their scrapes.',
              runbook_url: cfg.runbookURLPattern % 'targetdown',
            },
          },
          {
            alert: 'Watchdog',
            expr: 'vector(1)',
            labels: { severity: 'none' },
            annotations: {
              summary: 'Heartbeat that should always be firing.',
              description: 'This alert fires all the time. If it stops arriving downstream, the alerting path itself is broken.',
              runbook_url: cfg.runbookURLPattern % 'watchdog',
            },
          },
        ],
      }],
    },
    prometheusRules:: {
      groups: [{
        name: 'kube-prometheus-general.rules',
        rules: [{
          record: 'namespace_job:up:avg',
          expr: 'avg by (namespace, job) (up)',
        }],
      }],
    },
  },

  prometheusRule: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      labels: kp._config.commonLabels + kp._config.mixin.ruleLabels,
      name: kp._config.name + '-rules',
      namespace: kp._config.namespace,
    },
    spec: {
      local r = if std.objectHasAll(kp.mixin, 'prometheusRules') then kp.mixin.prometheusRules.groups else [],
      local a = if std.objectHasAll(kp.mixin, 'prometheusAlerts') then kp.mixin.prometheusAlerts.groups else [],
      groups: a + r,
    },
  },
}
