// vars.rules.groups: the cluster's own rule groups, as one PrometheusRule of
// their own, kpgenCustom.prometheusRule (manifests/kpgenCustom-prometheusRule.yaml),
// labelled like every other PrometheusRule of the stack (kube-prometheus'
// ruleLabels), so that Prometheus' ruleSelector picks it (wiring.libsonnet
// checks that it does). The groups are sorted by name; each rule keeps the
// keys it was given.
local common = import '../../mixins/kpgen-common/common.libsonnet';

// The keys of a schema-merged record that are set (not null, not {}).
local setKeys(o) = { [k]: o[k] for k in std.objectFields(o) if o[k] != null && o[k] != {} };

function(groups)
  if std.length(groups) == 0 then {}
  else {
    local root = self,
    kpgenCustom: {
      prometheusRule: {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: {
          name: 'kpgen-custom-rules',
          namespace: root.values.common.namespace,
          labels: common.labels('kpgen-custom') + root.values.common.ruleLabels,
        },
        spec: {
          groups: [
            { name: name } + setKeys(groups[name] { rules: null }) + {
              // A rule with a problem of its own is null (vars problems
              // stop the render; the stack is still built to check names).
              rules: [setKeys(r) for r in groups[name].rules if r != null],
            }
            for name in std.objectFields(groups)
          ],
        },
      },
    },
  }
