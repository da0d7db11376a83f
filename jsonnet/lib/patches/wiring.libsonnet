// The wiring that lets Prometheus see what our mixin components monitor.
//
// - Each enabled mixin's component joins the kube-prometheus object under its
//   key (velero, cnpg, cilium, certManager), so its objects are laid out as
//   manifests/<key>-<resource>.yaml and Grafana collects its dashboards.
// - RBAC: the components' targetNamespaces, and vars.prometheus.extraNamespaces,
//   are appended (deduplicated, after upstream's own) to
//   values.prometheus.namespaces; upstream renders a Role and a RoleBinding
//   for each in prometheus-roleSpecificNamespaces /
//   roleBindingSpecificNamespaces. Without them Prometheus discovers nothing
//   there, and says nothing.
// - Selection: the Prometheus object asserts that its monitor and rule
//   selectors pick every monitor and rule the components render, the
//   cluster's own rules (kpgenCustom, see custom-rules.libsonnet) included
//   (upstream's are {} = everything, in every namespace).
// - NetworkPolicy: nothing to add. Upstream's Prometheus NetworkPolicy allows
//   all egress (egress: [{}]), and we never render ingress policies for pods
//   in namespaces we don't own (see docs/vars.md).
local u = import '../util.libsonnet';

// Does a LabelSelector select an object with these labels? Only {} and
// matchLabels are understood; anything else is reported as not selecting.
local selects(selector, labels) =
  std.objectFields(selector) == []
  || (std.objectFields(selector) == ['matchLabels']
      && std.all([std.get(labels, k) == selector.matchLabels[k] for k in std.objectFields(selector.matchLabels)]));

local selectorFor = {
  ServiceMonitor: ['serviceMonitorSelector', 'serviceMonitorNamespaceSelector'],
  PodMonitor: ['podMonitorSelector', 'podMonitorNamespaceSelector'],
  Probe: ['probeSelector', 'probeNamespaceSelector'],
  ScrapeConfig: ['scrapeConfigSelector', 'scrapeConfigNamespaceSelector'],
  PrometheusRule: ['ruleSelector', 'ruleNamespaceSelector'],
};

// A message for each object the Prometheus spec does not select. A missing
// selector selects nothing; a namespace selector matches labels of
// namespaces we can't see, so only {} (every namespace) is known to select.
local unselected(spec, objects) = [
  local sel = selectorFor[o.kind];
  '%s %s/%s is not selected by the Prometheus (%s: %s, %s: %s; kpgen knows {} and matchLabels selectors, and {} namespace selectors)' % [
    o.kind,
    o.metadata.namespace,
    o.metadata.name,
    sel[0],
    std.manifestJsonMinified(std.get(spec, sel[0], null)),
    sel[1],
    std.manifestJsonMinified(std.get(spec, sel[1], null)),
  ]
  for o in objects
  if std.objectHas(selectorFor, o.kind)
  && !(std.objectHas(spec, selectorFor[o.kind][0])
       && selects(spec[selectorFor[o.kind][0]], std.get(o.metadata, 'labels', {}))
       && std.get(spec, selectorFor[o.kind][1]) == {})
];

// cfg: the merged vars; names: the enabled mixins' vars names; mixins: the
// platform's mixins (lib/mixins.libsonnet and a platform's own).
function(cfg, names, mixins)
  local keys = [mixins[n].key for n in names];
  local shared = [k for k in std.set(keys) if std.count(keys, k) > 1];
  assert shared == [] : 'mixins %s have the same key %s: each names a component of its own' % [
    std.join(' and ', [n for n in names if mixins[n].key == shared[0]]),
    shared[0],
  ];
  local settings(n) = { [k]: cfg.mixins[n][k] for k in std.objectFields(cfg.mixins[n]) if k != 'enabled' };
  local components = std.foldl(function(acc, n) acc {
    local root = self,
    // A mixin's key names a component of its own: one the stack (or an
    // earlier mixin) has already would be replaced whole.
    [mixins[n].key]:
      if mixins[n].key in super then
        error "mixin %s: its key '%s' is already a component of the stack (kube-prometheus' or kpgen's): give it a key of its own" % [n, mixins[n].key]
      else mixins[n].component({
        namespace: root.values.common.namespace,
        ruleLabels: root.values.common.ruleLabels,
        config: settings(n),
      }),
  }, names, {});
  local addNamespaces = keys != [] || cfg.prometheus.extraNamespaces != [];
  // Components whose objects Prometheus must select.
  local selected = keys + (if std.length(cfg.rules.groups) > 0 then ['kpgenCustom'] else [])
                   + (if cfg.topology.spokes != [] || cfg.topology.managedClusters != [] then ['kpgenTopology'] else []);
  components {
    local root = self,

    [if addNamespaces then 'values']+:: {
      prometheus+: {
        local extra = std.flattenArrays([root[k].targetNamespaces for k in keys]) + cfg.prometheus.extraNamespaces,
        namespaces: u.appendNew(if 'namespaces' in super then super.namespaces else [], extra),
      },
    },

    // On the spec, not the object: an object's asserts run on any access to
    // it (even its kind, which laying out the files reads), a spec's only
    // when the Prometheus object is manifested.
    [if selected != [] then 'prometheus']+: {
      prometheus+: {
        spec+: {
          local missed = unselected(self, std.flattenArrays([
            [root[k][f] for f in std.objectFields(root[k])]
            for k in selected
            if std.objectHas(root, k)
          ])),
          assert missed == [] : 'kpgen wiring: ' + std.join('; ', missed),
        },
      },
    },
  }
