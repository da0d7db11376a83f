// Where each component's pods run, and their resources: nodeSelector,
// tolerations, affinity and priorityClassName on each component's pod spec
// (the Prometheus and Alertmanager custom resources' spec, the pod template
// of the others), resources through kube-prometheus' values.<component>.
// resources. vars.allComponents applies to every component but
// nodeExporter, which runs on every node whatever the others do; a
// component's own setting comes after it:
//   nodeSelector  upstream's, then allComponents', then the component's,
//                 merged entry by entry (null deletes an entry)
//   tolerations   the component's list, else allComponents'; appended to
//                 upstream's (node-exporter's tolerates everything)
//   affinity      upstream's (the anti-affinity addon's), then
//                 allComponents', then the component's, merged key by key;
//                 lists replace, null deletes
//   priorityClassName  the component's, else allComponents'
//   resources     upstream's, then allComponents', then the component's,
//                 merged like prometheus.resources
// Every field is set only when a vars file sets it, and is read only by
// that component's pods.
local u = import '../util.libsonnet';

// v without its null values, at any depth: in a list's items, a null key
// means "not set".
local dropNulls(v) =
  if std.isArray(v) then [dropNulls(x) for x in v if x != null]
  else if std.isObject(v) then { [k]: dropNulls(v[k]) for k in std.objectFields(v) if v[k] != null }
  else v;

// v with its lists' nulls dropped; its objects keep theirs, for deepPatch to
// delete upstream's keys with.
local listsWithoutNulls(v) =
  if std.isArray(v) then dropNulls(v)
  else if std.isObject(v) then { [k]: listsWithoutNulls(v[k]) for k in std.objectFields(v) }
  else v;

// The pod spec patch of one component: own, its vars section; all,
// vars.allComponents or null.
local podSpec(own, all) =
  local layers = if all == null then [own] else [all, own];
  local nodeSelectors = [l.nodeSelector for l in layers if std.length(l.nodeSelector) > 0];
  local tolerations = if own.tolerations != null || all == null then own.tolerations else all.tolerations;
  local affinities = [l.affinity for l in layers if l.affinity != null];
  local priorityClassName = if own.priorityClassName != null || all == null then own.priorityClassName else all.priorityClassName;
  {
    [if nodeSelectors != [] then 'nodeSelector']+: std.foldl(function(acc, m) acc + u.deepPatch(m), nodeSelectors, {}),
    [if tolerations != null && std.length(tolerations) > 0 then 'tolerations']:
      (if 'tolerations' in super then super.tolerations else []) + dropNulls(tolerations),
    [if affinities != [] then 'affinity']+: std.foldl(function(acc, a) acc + u.deepPatch(listsWithoutNulls(a)), affinities, {}),
    [if priorityClassName != null then 'priorityClassName']: priorityClassName,
  };

local template(patch) = { spec+: { template+: { spec+: patch } } };

function(cfg)
  local all = cfg.allComponents;
  local resources(c, withAll) = {
    resources+: std.foldl(
      function(acc, r) acc + (if r == null then {} else u.deepPatch(r)),
      (if withAll then [all.resources] else []) + [cfg[c].resources],
      {},
    ),
  };
  {
    values+:: {
      alertmanager+: resources('alertmanager', true),
      blackboxExporter+: resources('blackboxExporter', true),
      grafana+: resources('grafana', true),
      kubeStateMetrics+: resources('kubeStateMetrics', true),
      nodeExporter+: resources('nodeExporter', false),
      prometheus+: resources('prometheus', true),
      prometheusAdapter+: resources('prometheusAdapter', true),
      prometheusOperator+: resources('prometheusOperator', true),
    },
    alertmanager+: { alertmanager+: { spec+: podSpec(cfg.alertmanager, all) } },
    blackboxExporter+: { deployment+: template(podSpec(cfg.blackboxExporter, all)) },
    grafana+: { deployment+: template(podSpec(cfg.grafana, all)) },
    kubeStateMetrics+: { deployment+: template(podSpec(cfg.kubeStateMetrics, all)) },
    nodeExporter+: { daemonset+: template(podSpec(cfg.nodeExporter, null)) },
    prometheus+: { prometheus+: { spec+: podSpec(cfg.prometheus, all) } },
    prometheusAdapter+: { deployment+: template(podSpec(cfg.prometheusAdapter, all)) },
    prometheusOperator+: { deployment+: template(podSpec(cfg.prometheusOperator, all)) },
  }
