// kube-state-metrics without the series few dashboards or alerts use.
local denylist = std.join(',', [
  '^kube_.+_created$',
  '^kube_.+_metadata_resource_version$',
  '^kube_replicaset_metadata_generation$',
  '^kube_pod_completion_time$',
]);

{
  kubeStateMetrics+: {
    deployment+: {
      spec+: {
        template+: {
          spec+: {
            containers: [
              if c.name == 'kube-state-metrics' then c { args+: ['--metric-denylist=' + denylist] } else c
              for c in super.containers
            ],
          },
        },
      },
    },
  },
}
