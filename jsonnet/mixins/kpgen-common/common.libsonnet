// Helpers shared by kpgen's mixins (velero, cnpg, cilium, cert-manager):
// alert construction, PromQL quoting, scrape monitors and the component
// wrapper that turns a mixin into Kubernetes objects. Mixins must not
// duplicate any of this. The types of settings are in types.libsonnet, the
// checks behind them in checks.libsonnet.
local checks = import 'checks.libsonnet';
local types = import 'types.libsonnet';

{
  // Settings every mixin's _config starts from.
  defaults:: {
    runbookURLPattern: 'https://github.com/kpgen/kpgen/blob/main/docs/runbooks/%s.md',
  },

  // Their types: every mixin's _configTypes starts from these.
  defaultTypes:: {
    runbookURLPattern: types.runbookURLPattern,
  },

  // Appended to descriptions: names the cluster when the series carry a
  // `cluster` label, and says nothing otherwise.
  inCluster:: '{{ with $labels.cluster }} in cluster {{ . }}{{ end }}',

  // A number as PromQL reads it: whole numbers below 10^15 without an
  // exponent, others as %.15g (never the hundreds of digits '%d' prints for
  // a huge number).
  num(n)::
    assert std.isNumber(n) : 'expected a number, got %s' % std.type(n);
    checks.number(n),

  // s as a PromQL string literal, in double quotes: whatever s holds, the
  // expression reads exactly s (a setting spliced into PromQL can neither
  // end the string nor add to the expression). std.escapeStringJson's
  // escapes (\" \\ \b \f \n \r \t \u00XX) are all PromQL escapes too; U+FFFD,
  // which PromQL's lexer rejects as invalid UTF-8 when it appears as such,
  // is written \ufffd.
  promqlString(s)::
    assert std.isString(s) : 'expected a string, got %s' % std.type(s);
    std.strReplace(std.escapeStringJson(s), std.char(65533), '\\ufffd'),

  // A label matcher on an exact value: matcher('schedule', '!=', name) is
  // schedule!="<name>", the value quoted by promqlString (regex matchers
  // would need the value escaped as a regex too: there are none).
  matcher(label, op, value)::
    assert op == '=' || op == '!=' : 'matcher: operator %s is not = or !=' % op;
    label + op + $.promqlString(value),

  // One alerting rule. spec: { name, severity, expr, for, summary,
  // description }; the runbook is docs/runbooks/<name>.md, via
  // config.runbookURLPattern.
  alert(config, spec)::
    assert std.member(['critical', 'warning', 'info'], spec.severity) : '%s: bad severity %s' % [spec.name, spec.severity];
    {
      alert: spec.name,
      expr: spec.expr,
      [if std.objectHas(spec, 'for') then 'for']: spec['for'],
      labels: { severity: spec.severity },
      annotations: {
        summary: spec.summary,
        description: spec.description,
        runbook_url: config.runbookURLPattern % spec.name,
      },
    },

  // "Prometheus cannot scrape <job>": one alert per unreachable target and,
  // with whenAbsent, one more when no target of the job exists at all (the
  // monitor selects nothing: the software is missing or its metrics port is
  // off).
  targetDownAlert(config, spec)::
    local up = 'up{%s}' % $.matcher('job', '=', spec.job);
    $.alert(config, spec {
      expr: if std.get(spec, 'whenAbsent', false)
      then '%s == 0 or absent(%s)' % [up, up]
      else '%s == 0' % up,
    }),

  // Labels on every object the mixins generate.
  labels(name):: {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/component': 'monitoring',
    'app.kubernetes.io/part-of': 'kpgen',
  },

  // Sets the job label to a fixed name, so the rules need not know how the
  // operator would name the job.
  local jobRelabeling(job) = { action: 'replace', targetLabel: 'job', replacement: job },

  // A ServiceMonitor in the monitoring namespace scraping Services in
  // targetNamespaces. spec: { name, job, namespace, targetNamespaces,
  // selector (matchLabels), port, honorLabels (default false), relabelings }.
  serviceMonitor(spec):: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: {
      name: spec.name,
      namespace: spec.namespace,
      labels: $.labels(spec.name),
    },
    spec: {
      namespaceSelector: { matchNames: spec.targetNamespaces },
      selector: { matchLabels: spec.selector },
      endpoints: [{
        port: spec.port,
        honorLabels: std.get(spec, 'honorLabels', false),
        relabelings: [jobRelabeling(spec.job)] + std.get(spec, 'relabelings', []),
      }],
    },
  },

  // A PodMonitor in the monitoring namespace scraping pods in
  // targetNamespaces. spec: { name, job, namespace, targetNamespaces, selector
  // (a LabelSelector), port, relabelings }.
  podMonitor(spec):: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: {
      name: spec.name,
      namespace: spec.namespace,
      labels: $.labels(spec.name),
    },
    spec: {
      namespaceSelector: { matchNames: spec.targetNamespaces },
      selector: spec.selector,
      podMetricsEndpoints: [{
        port: spec.port,
        honorLabels: false,
        relabelings: [jobRelabeling(spec.job)] + std.get(spec, 'relabelings', []),
      }],
    },
  },

  // Applies user settings to a mixin's _config. Settings the mixin does not
  // know are an error (the lib's schema should have caught them first).
  configure(name, mixin, settings)::
    local given = { [k]: settings[k] for k in std.objectFields(settings) if k != 'enabled' };
    local unknown = [k for k in std.objectFields(given) if !std.objectHasAll(mixin._config, k)];
    assert unknown == [] : '%s: unknown setting(s) %s; known: %s' % [name, std.join(', ', unknown), std.join(', ', std.objectFieldsAll(mixin._config))];
    mixin { _config+:: given },

  // The component the lib adds to the kube-prometheus object.
  //   name:     the mixin's name (object names and labels)
  //   mixin:    the mixin object, settings already applied
  //   params:   { namespace: the monitoring namespace, ruleLabels: {...} }
  //   targetNamespaces: where Prometheus must be allowed to discover targets
  //   monitors: { field: ServiceMonitor/PodMonitor }
  // Visible fields are Kubernetes objects; mixin and targetNamespaces are
  // hidden.
  component(name, mixin, params, targetNamespaces, monitors)::
    assert std.isArray(targetNamespaces) && std.length(targetNamespaces) > 0 : '%s: at least one target namespace is required' % name;
    {
      mixin:: mixin,
      targetNamespaces:: targetNamespaces,
      prometheusRule: {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: {
          name: name + '-rules',
          namespace: params.namespace,
          labels: $.labels(name) + std.get(params, 'ruleLabels', {}),
        },
        spec: {
          groups:
            (if std.objectHasAll(mixin, 'prometheusAlerts') then mixin.prometheusAlerts.groups else []) +
            (if std.objectHasAll(mixin, 'prometheusRules') then mixin.prometheusRules.groups else []),
        },
      },
    } + monitors,
}
