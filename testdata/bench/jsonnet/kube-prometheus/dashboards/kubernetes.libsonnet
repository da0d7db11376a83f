// Kubernetes resource dashboards, generated from tables: one dashboard per
// aggregation level and area (compute, network, storage, Windows).
local c = import 'common.libsonnet';

// Aggregation levels: what a dashboard selects on and what it breaks down by.
local levels = {
  cluster: { title: 'Cluster', vars: ['cluster'], by: 'namespace', link: 'bench-k8s-compute-namespace' },
  namespace: { title: 'Namespace (Pods)', vars: ['cluster', 'namespace'], by: 'pod', link: 'bench-k8s-compute-pod' },
  node: { title: 'Node (Pods)', vars: ['cluster', 'node'], by: 'pod', link: 'bench-k8s-compute-pod' },
  pod: { title: 'Pod', vars: ['cluster', 'namespace', 'pod'], by: 'container', link: null },
  workload: { title: 'Workload', vars: ['cluster', 'namespace', 'type', 'workload'], by: 'pod', link: 'bench-k8s-compute-pod' },
  workloads: { title: 'Namespace (Workloads)', vars: ['cluster', 'namespace', 'type'], by: 'workload', link: 'bench-k8s-compute-workload' },
  multicluster: { title: 'Multi-Cluster', vars: [], by: 'cluster', link: 'bench-k8s-compute-cluster' },
};

// Compute resources and the series behind them.
local resources(prefix) = [
  {
    name: 'CPU',
    unit: 'none',
    usage: prefix + 'node_namespace_pod_container:container_cpu_usage_seconds_total:sum_rate5m',
    requests: 'cluster:namespace:pod_cpu:active:kube_pod_container_resource_requests',
    limits: 'cluster:namespace:pod_cpu:active:kube_pod_container_resource_limits',
    extra: [],
  },
  {
    name: 'Memory',
    unit: 'bytes',
    usage: prefix + 'node_namespace_pod_container:container_memory_working_set_bytes',
    requests: 'cluster:namespace:pod_memory:active:kube_pod_container_resource_requests',
    limits: 'cluster:namespace:pod_memory:active:kube_pod_container_resource_limits',
    extra: [
      ['RSS', prefix + 'node_namespace_pod_container:container_memory_rss'],
      ['Cache', prefix + 'node_namespace_pod_container:container_memory_cache'],
      ['Swap', prefix + 'node_namespace_pod_container:container_memory_swap'],
    ],
  },
];

local network = [
  ['Receive Bandwidth', 'container_network_receive_bytes_total', 'Bps'],
  ['Transmit Bandwidth', 'container_network_transmit_bytes_total', 'Bps'],
  ['Received Packets', 'container_network_receive_packets_total', 'pps'],
  ['Transmitted Packets', 'container_network_transmit_packets_total', 'pps'],
  ['Received Packets Dropped', 'container_network_receive_packets_dropped_total', 'pps'],
  ['Transmitted Packets Dropped', 'container_network_transmit_packets_dropped_total', 'pps'],
];

local storage = [
  ['Reads', 'container_fs_reads_total', 'iops'],
  ['Writes', 'container_fs_writes_total', 'iops'],
  ['Read Bytes', 'container_fs_reads_bytes_total', 'Bps'],
  ['Written Bytes', 'container_fs_writes_bytes_total', 'Bps'],
];

local computeRows(level, prefix) =
  local l = levels[level];
  local sel = c.sel(l.vars);
  local by = l.by;
  local headlines =
    if level == 'cluster' || level == 'namespace' || level == 'multicluster' then [[
      'Headlines',
      std.flattenArrays([
        [
          c.stat('%s Utilisation' % r.name, 'percentunit', 'sum(%s{%s}) / sum(kube_node_status_allocatable{resource="%s", %s})' % [r.usage, sel, std.asciiLower(r.name), sel]),
          c.stat('%s Requests Commitment' % r.name, 'percentunit', 'sum(%s{%s}) / sum(kube_node_status_allocatable{resource="%s", %s})' % [r.requests, sel, std.asciiLower(r.name), sel], thresholds=[[0.8, 'orange'], [1, 'red']]),
          c.stat('%s Limits Commitment' % r.name, 'percentunit', 'sum(%s{%s}) / sum(kube_node_status_allocatable{resource="%s", %s})' % [r.limits, sel, std.asciiLower(r.name), sel], thresholds=[[1, 'orange'], [1.5, 'red']]),
        ]
        for r in resources(prefix)
      ]),
    ]] else [];
  local resourceRows = [
    [
      r.name,
      [
        c.ts(
          '%s Usage' % r.name,
          r.unit,
          [['sum by (%s) (%s{%s})' % [by, r.usage, sel], '{{%s}}' % by]]
          + (if level == 'pod' || level == 'workload' then [
               ['sum(%s{%s})' % [r.requests, sel], 'requests'],
               ['sum(%s{%s})' % [r.limits, sel], 'limits'],
             ] else []),
          w=24,
          stack=true,
        ),
        c.table(
          '%s Quota' % r.name,
          by,
          [
            { name: '%s Usage' % r.name, expr: 'sum by (%s) (%s{%s})' % [by, r.usage, sel], unit: r.unit },
            { name: '%s Requests' % r.name, expr: 'sum by (%s) (%s{%s})' % [by, r.requests, sel], unit: r.unit },
            { name: '%s Requests %%' % r.name, expr: 'sum by (%s) (%s{%s}) / sum by (%s) (%s{%s})' % [by, r.usage, sel, by, r.requests, sel], unit: 'percentunit' },
            { name: '%s Limits' % r.name, expr: 'sum by (%s) (%s{%s})' % [by, r.limits, sel], unit: r.unit },
            { name: '%s Limits %%' % r.name, expr: 'sum by (%s) (%s{%s}) / sum by (%s) (%s{%s})' % [by, r.usage, sel, by, r.limits, sel], unit: 'percentunit' },
          ] + [
            { name: '%s Usage (%s)' % [r.name, e[0]], expr: 'sum by (%s) (%s{%s})' % [by, e[1], sel], unit: r.unit }
            for e in r.extra
          ] + (if level == 'cluster' || level == 'multicluster' then [
                 { name: 'Pods', expr: 'sum by (%s) (kube_pod_owner{job="kube-state-metrics", %s})' % [by, sel], unit: 'none', extra: { decimals: 0 } },
                 { name: 'Workloads', expr: 'count by (%s) (avg by (workload, %s) (namespace_workload_pod:kube_pod_owner:relabel{%s}))' % [by, by, sel], unit: 'none', extra: { decimals: 0 } },
               ] else []),
          link=l.link,
        ),
      ],
    ]
    for r in resources(prefix)
  ];
  headlines + resourceRows;

local networkRows(level) =
  local l = levels[level];
  local sel = c.sel(l.vars);
  local by = l.by;
  [
    [
      'Network',
      [
        c.ts(n[0], n[2], [['sum by (%s) (rate(%s{%s}[$__rate_interval]))' % [by, n[1], sel], '{{%s}}' % by]])
        for n in network
      ] + [
        c.table('Current Network Usage', by, [
          { name: 'Current ' + n[0], expr: 'sum by (%s) (rate(%s{%s}[$__rate_interval]))' % [by, n[1], sel], unit: n[2] }
          for n in network
        ], link=l.link),
      ],
    ],
  ];

local storageRows(level) =
  local l = levels[level];
  local sel = c.sel(l.vars, 'container!=""');
  local by = l.by;
  [
    [
      'Storage IO',
      [
        c.ts('IOPS (Reads+Writes)', 'iops', [['ceil(sum by (%s) (rate(container_fs_reads_total{%s}[$__rate_interval]) + rate(container_fs_writes_total{%s}[$__rate_interval])))' % [by, sel, sel], '{{%s}}' % by]]),
        c.ts('ThroughPut (Read+Write)', 'Bps', [['sum by (%s) (rate(container_fs_reads_bytes_total{%s}[$__rate_interval]) + rate(container_fs_writes_bytes_total{%s}[$__rate_interval]))' % [by, sel, sel], '{{%s}}' % by]]),
        c.table('Current Storage IO', by, [
          { name: s[0], expr: 'sum by (%s) (rate(%s{%s}[$__rate_interval]))' % [by, s[1], sel], unit: s[2] }
          for s in storage
        ], link=l.link),
      ],
    ],
  ];

local compute(level, prefix='', area='compute', titlePrefix='Kubernetes / Compute Resources') =
  local l = levels[level];
  c.dashboard(
    'bench-k8s-%s-%s' % [area, level],
    '%s / %s' % [titlePrefix, l.title],
    ['kubernetes-mixin', 'bench'],
    l.vars,
    computeRows(level, prefix)
    + (if level != 'multicluster' && prefix == '' then networkRows(level) else [])
    + (if level != 'multicluster' && level != 'node' && prefix == '' then storageRows(level) else []),
  );

// Network-only dashboards: current rates as gauges, then history.
local networking(level, name) =
  local l = levels[level];
  local sel = c.sel(l.vars);
  c.dashboard(
    'bench-k8s-network-%s' % name,
    'Kubernetes / Networking / %s' % l.title,
    ['kubernetes-mixin', 'bench'],
    l.vars + ['interval'],
    [
      ['Current Rates', [c.gauge('Current Rate of %s' % n[0], 'sum(rate(%s{%s}[$interval:$__rate_interval]))' % [n[1], sel]) for n in network]],
      ['Bandwidth', [c.ts(n[0], n[2], [['sum by (%s) (rate(%s{%s}[$interval:$__rate_interval]))' % [l.by, n[1], sel], '{{%s}}' % l.by]]) for n in network[0:2]]],
      ['Packets', [c.ts('Rate of ' + n[0], n[2], [['sum by (%s) (rate(%s{%s}[$interval:$__rate_interval]))' % [l.by, n[1], sel], '{{%s}}' % l.by]]) for n in network[2:6]]],
      ['Errors', [c.ts('Rate of %s Errors' % d, 'pps', [['sum by (%s) (rate(container_network_%s_errors_total{%s}[$interval:$__rate_interval]))' % [l.by, d, sel], '{{%s}}' % l.by]]) for d in ['receive', 'transmit']]],
    ],
  );

{
  'k8s-compute-cluster.json': compute('cluster'),
  'k8s-compute-namespace.json': compute('namespace'),
  'k8s-compute-node.json': compute('node'),
  'k8s-compute-pod.json': compute('pod'),
  'k8s-compute-workload.json': compute('workload'),
  'k8s-compute-workloads.json': compute('workloads'),
  'k8s-compute-multicluster.json': compute('multicluster'),
  'k8s-windows-cluster.json': compute('cluster', 'windows_', 'windows', 'Kubernetes / Compute Resources / Windows'),
  'k8s-windows-namespace.json': compute('namespace', 'windows_', 'windows', 'Kubernetes / Compute Resources / Windows'),
  'k8s-windows-pod.json': compute('pod', 'windows_', 'windows', 'Kubernetes / Compute Resources / Windows'),
  'k8s-network-cluster.json': networking('cluster', 'cluster'),
  'k8s-network-namespace.json': networking('namespace', 'namespace'),
  'k8s-network-workloads.json': networking('workloads', 'workloads'),
  'k8s-network-pod.json': networking('pod', 'pod'),
  'k8s-network-workload.json': networking('workload', 'workload'),
}
