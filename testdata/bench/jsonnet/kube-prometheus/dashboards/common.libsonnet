// Panels and dashboards from compact specs, on top of lib/g.libsonnet.
local g = import '../lib/g.libsonnet';

// Template variables by name; each selects on the ones before it.
local variables = {
  cluster: g.variable.query('cluster', 'label_values(up{job="kubelet", metrics_path="/metrics/cadvisor"}, cluster)')
           + g.variable.withHidden(),
  namespace: g.variable.query('namespace', 'label_values(kube_namespace_status_phase{job="kube-state-metrics", cluster="$cluster"}, namespace)'),
  pod: g.variable.query('pod', 'label_values(kube_pod_info{job="kube-state-metrics", cluster="$cluster", namespace="$namespace"}, pod)'),
  node: g.variable.query('node', 'label_values(kube_node_info{cluster="$cluster"}, node)') + g.variable.withMulti(),
  type: g.variable.query('type', 'label_values(namespace_workload_pod:kube_pod_owner:relabel{cluster="$cluster", namespace="$namespace"}, workload_type)')
        + g.variable.withAll(),
  workload: g.variable.query('workload', 'label_values(namespace_workload_pod:kube_pod_owner:relabel{cluster="$cluster", namespace="$namespace", workload_type=~"$type"}, workload)'),
  instance: g.variable.query('instance', 'label_values(up{job=~"$job", cluster="$cluster"}, instance)') + g.variable.withAll(),
  job: g.variable.query('job', 'label_values(up{cluster="$cluster"}, job)') + g.variable.withMulti(),
  interval: g.variable.interval('interval', ['4h', '1m', '5m', '1h', '12h', '1d']),
};

{
  // One target per [expr, legend] pair.
  targets(qs):: [g.query.new(q[0]) + g.query.withLegend(q[1]) for q in qs],

  // A time series: qs is a list of [expr, legend].
  ts(title, unit, qs, w=12, stack=false, desc='')::
    g.panel.timeSeries(title)
    + (if desc != '' then g.panel.withDescription(desc) else {})
    + g.panel.withUnit(unit)
    + g.panel.withWidth(w)
    + g.panel.withTargets(self.targets(qs))
    + (if stack then g.panel.withStacking('normal') + g.panel.withFill(100) + g.panel.withLineWidth(0) else {})
    + (if std.length(qs) > 3 then g.panel.withLegendTable(['mean', 'max', 'lastNotNull']) else {}),

  stat(title, unit, expr, w=4, thresholds=[])::
    g.panel.stat(title)
    + g.panel.withUnit(unit)
    + g.panel.withWidth(w)
    + g.panel.withHeight(4)
    + g.panel.withDecimals(2)
    + g.panel.withThresholds(thresholds)
    + g.panel.withTargets([g.query.new(expr) + g.query.asTable()]),

  gauge(title, expr, w=6)::
    g.panel.gauge(title)
    + g.panel.withUnit('percentunit')
    + g.panel.withWidth(w)
    + g.panel.withThresholds([[0.8, 'orange'], [0.9, 'red']])
    + g.panel.withTargets([g.query.new(expr) + g.query.asTable()]),

  // A table with one instant query per column, merged on the key label.
  // cols: [{ name, expr, unit }]; link: a dashboard to drill down to.
  table(title, key, cols, link=null)::
    local n = std.length(cols);
    local valueCol(i) = 'Value #' + g.util.refId(i);
    g.panel.table(title)
    + g.panel.withWidth(24)
    + g.panel.withHeight(10)
    + g.panel.withTargets([g.query.new(c.expr) + g.query.asTable() for c in cols])
    + g.panel.withSortBy(cols[0].name)
    + g.panel.withTransformations([
      g.transformation.merge(),
      g.transformation.organize(['Time'], { [valueCol(i)]: cols[i].name for i in std.range(0, n - 1) }, [key] + [valueCol(i) for i in std.range(0, n - 1)]),
    ])
    + g.panel.withOverrides(
      [g.override.byName(cols[i].name, { unit: cols[i].unit, decimals: 2 } + std.get(cols[i], 'extra', {})) for i in std.range(0, n - 1)]
      + (if link == null then [] else [g.override.byName(key, {
           links: [{
             title: 'Drill down to ' + key,
             url: '/d/%s?${datasource:queryparam}&var-cluster=${cluster}&var-%s=${__data.fields.%s}' % [link, key, key],
           }],
         })])
    ),

  // A dashboard: rows is a list of [title, [panels]].
  dashboard(uid, title, tags, vars, rows, desc='')::
    g.dashboard.new(title)
    + g.dashboard.withUid(uid)
    + g.dashboard.withTags(tags)
    + g.dashboard.withDescription(if desc != '' then desc else 'Generated for kpgen benchmarks: %s.' % std.asciiLower(title))
    + g.dashboard.withLinks(tags)
    + g.dashboard.withVariables([g.variable.datasource()] + [variables[v] for v in vars])
    + g.dashboard.withPanels(g.util.makeGrid(std.flattenArrays([
      [g.panel.row(r[0])] + [g.util.withRefIds(p) for p in r[1]]
      for r in rows
    ]))),

  // Selector text: label matchers for the given variables.
  sel(vars, extra=''):: std.join(', ', [
    if v == 'node' || v == 'type' || v == 'instance' || v == 'job' then '%s=~"$%s"' % [if v == 'type' then 'workload_type' else v, v] else '%s="$%s"' % [v, v]
    for v in vars
  ] + (if extra != '' then [extra] else [])),
}
