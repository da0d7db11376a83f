// vars → stack. new(vars) returns what kpgen needs from one cluster:
//   cluster:  the cluster's name (out/<cluster>/)
//   problems: everything wrong with the vars, as messages (empty when valid)
//   files:    { 'relative/path.yaml': object }
local layout = import 'layout.libsonnet';

{
  new(vars):: {
    local cluster = std.get(std.get(vars, 'cluster', {}), 'name', null),
    cluster: cluster,
    problems: if cluster == null then ['vars.cluster.name: required (a DNS-1123 label naming the cluster)'] else [],

    local kp = (import 'kube-prometheus/main.libsonnet') + {
      values+:: {
        common+: { namespace: 'monitoring' },
      },
    },
    stack:: kp,
    files: layout.files(kp),
  },
}
