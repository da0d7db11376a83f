// Dashboards for single components (control plane, nodes, Prometheus,
// Alertmanager, Grafana), from tables of panels. Each ends with the same
// process row (memory, CPU, goroutines), as most upstream dashboards do.
local c = import 'common.libsonnet';

local quantiles = ['0.99', '0.9', '0.5'];

// [kind, title, unit, [[expr, legend], ...]] → panel; kind is ts, stack or stat.
local panel(p) =
  if p[0] == 'stat' then c.stat(p[1], p[2], p[3][0][0], w=6)
  else c.ts(p[1], p[2], p[3], stack=p[0] == 'stack');

// One target per quantile of a histogram.
local quantileTargets(metric, sel, by, legend) = [
  ['histogram_quantile(%s, sum by (%s, le) (rate(%s_bucket{%s}[$__rate_interval])))' % [q, by, metric, sel], '%s p%s' % [legend, std.strReplace(q, '0.', '')]]
  for q in quantiles
];

local processRow(sel) = [
  'Process',
  [
    c.ts('Memory', 'bytes', [['process_resident_memory_bytes{%s}' % sel, '{{instance}} resident'], ['go_memstats_heap_inuse_bytes{%s}' % sel, '{{instance}} heap in use']], w=8),
    c.ts('CPU usage', 'short', [['rate(process_cpu_seconds_total{%s}[$__rate_interval])' % sel, '{{instance}}']], w=8),
    c.ts('Goroutines', 'short', [['go_goroutines{%s}' % sel, '{{instance}}']], w=8),
  ],
];

local component(uid, title, tags, vars, sel, rows) = c.dashboard(
  'bench-' + uid,
  title,
  tags + ['bench'],
  vars,
  [[r[0], [panel(p) for p in r[1]]] for r in rows] + [processRow(sel)],
);

// Work queues and REST clients: every Kubernetes controller has them.
local queueRows(sel) = [
  ['Work Queue', [
    ['ts', 'Work Queue Add Rate', 'ops', [['sum by (instance, name) (rate(workqueue_adds_total{%s}[$__rate_interval]))' % sel, '{{instance}} {{name}}']]],
    ['ts', 'Work Queue Depth', 'short', [['sum by (instance, name) (rate(workqueue_depth{%s}[$__rate_interval]))' % sel, '{{instance}} {{name}}']]],
    ['ts', 'Work Queue Latency', 's', quantileTargets('workqueue_queue_duration_seconds', sel, 'instance, name', '{{instance}} {{name}}')],
  ]],
  ['Kube API Requests', [
    ['ts', 'Kube API Request Rate', 'ops', [['sum(rate(rest_client_requests_total{%s, code=~"%sxx"}[$__rate_interval]))' % [sel, d], '%sxx' % d] for d in ['2', '3', '4', '5']]],
    ['ts', 'Post Request Latency p99', 's', [['histogram_quantile(0.99, sum by (verb, le) (rate(rest_client_request_duration_seconds_bucket{%s, verb="POST"}[$__rate_interval])))' % sel, '{{verb}}']]],
    ['ts', 'Get Request Latency p99', 's', [['histogram_quantile(0.99, sum by (verb, le) (rate(rest_client_request_duration_seconds_bucket{%s, verb="GET"}[$__rate_interval])))' % sel, '{{verb}}']]],
  ]],
];

local nodeRows(os) =
  local sel = 'job="node-exporter", instance="$instance"';
  [
    ['CPU', [
      ['stack', 'CPU Usage', 'percentunit', [['(1 - sum without (mode) (rate(node_cpu_seconds_total{%s, mode=~"idle|iowait|steal"}[$__rate_interval]))) / ignoring (cpu) group_left count without (cpu, mode) (node_cpu_seconds_total{%s, mode="idle"})' % [sel, sel], '{{cpu}}']]],
      ['ts', 'Load Average', 'short', [['node_load%s{%s}' % [m, sel], '%sm load average' % m] for m in ['1', '5', '15']] + [['count(node_cpu_seconds_total{%s, mode="idle"})' % sel, 'logical cores']]],
    ]],
    ['Memory', [
      ['stack', 'Memory Usage', 'bytes', [['node_memory_%s_bytes{%s}' % [m, sel], m] for m in (if os == 'linux' then ['MemTotal', 'MemFree', 'Buffers', 'Cached', 'MemAvailable'] else ['total', 'free', 'wired', 'active'])]],
      ['stat', 'Memory Usage', 'percentunit', [['1 - node_memory_MemAvailable_bytes{%s} / node_memory_MemTotal_bytes{%s}' % [sel, sel], 'used']]],
    ]],
    ['Disk', [
      ['ts', 'Disk I/O', 'Bps', [['rate(node_disk_%s_bytes_total{%s, device!=""}[$__rate_interval])' % [d, sel], '{{device}} %s' % d] for d in ['read', 'written']] + [['rate(node_disk_io_time_seconds_total{%s, device!=""}[$__rate_interval])' % sel, '{{device}} io time']]],
      ['ts', 'Disk Space Usage', 'bytes', [['sum by (mountpoint) (node_filesystem_%s_bytes{%s, fstype!=""})' % [m, sel], '{{mountpoint}} %s' % m] for m in ['size', 'avail']]],
    ]],
    ['Network', [
      ['ts', 'Network %s' % d, 'bps', [['rate(node_network_%s_bytes_total{%s, device!="lo"}[$__rate_interval]) * 8' % [std.asciiLower(d), sel], '{{device}}']]]
      for d in ['Receive', 'Transmit']
    ] + [
      ['ts', 'Network %s Errors' % d, 'pps', [['rate(node_network_%s_errs_total{%s, device!="lo"}[$__rate_interval])' % [std.asciiLower(d), sel], '{{device}}']]]
      for d in ['Receive', 'Transmit']
    ]],
  ];

// USE method: utilisation and saturation per resource, for the cluster or one node.
local use(uid, title, perNode) =
  local sel = if perNode then 'cluster="$cluster", instance="$instance"' else 'cluster="$cluster"';
  local by = if perNode then 'instance' else 'instance';
  local res = [
    ['CPU', 'instance:node_cpu_utilisation:rate5m', 'instance:node_load1_per_cpu:ratio', 'percentunit'],
    ['Memory', 'instance:node_memory_utilisation:ratio', 'instance:node_vmstat_pgmajfault:rate5m', 'percentunit'],
    ['Network', 'instance:node_network_receive_bytes_excluding_lo:rate5m', 'instance:node_network_receive_drop_excluding_lo:rate5m', 'Bps'],
    ['Disk IO', 'instance_device:node_disk_io_time_seconds:rate5m', 'instance_device:node_disk_io_time_weighted_seconds:rate5m', 'percentunit'],
  ];
  c.dashboard(
    'bench-' + uid,
    title,
    ['node-exporter-mixin', 'bench'],
    ['cluster'] + (if perNode then ['instance'] else []),
    [
      [
        r[0],
        [
          c.ts('%s Utilisation' % r[0], r[3], [['sum by (%s) (%s{%s})' % [by, r[1], sel], '{{%s}}' % by]], stack=!perNode),
          c.ts('%s Saturation' % r[0], 'short', [['sum by (%s) (%s{%s})' % [by, r[2], sel], '{{%s}}' % by]], stack=!perNode),
        ],
      ]
      for r in res
    ] + [[
      'Disk Space',
      [c.ts('Disk Space Utilisation', 'percentunit', [['sum by (%s) (1 - node_filesystem_avail_bytes{%s, fstype!=""} / node_filesystem_size_bytes{%s, fstype!=""})' % [by, sel, sel], '{{%s}}' % by]], w=24)],
    ]],
  );

local apiserver = 'job="apiserver", cluster="$cluster", instance=~"$instance"';
local kubelet = 'job="kubelet", metrics_path="/metrics", cluster="$cluster", instance=~"$instance"';
local scheduler = 'job="kube-scheduler", cluster="$cluster", instance=~"$instance"';
local cm = 'job="kube-controller-manager", cluster="$cluster", instance=~"$instance"';
local proxy = 'job="kube-proxy", cluster="$cluster", instance=~"$instance"';
local prom = 'job=~"$job", instance=~"$instance"';
local am = 'job="alertmanager-main", cluster="$cluster"';
local grafana = 'job="grafana", cluster="$cluster"';

{
  kubernetes: {
    'k8s-apiserver.json': component('k8s-apiserver', 'Kubernetes / API server', ['kubernetes-mixin'], ['cluster', 'instance'], apiserver, [
      ['Availability', [
        ['stat', 'Availability (30d) > 99.000%', 'percentunit', [['apiserver_request:availability30d{verb="%s", cluster="$cluster"}' % v, v]]]
        for v in ['all', 'read', 'write']
      ] + [['stat', 'Error Budget (30d)', 'percentunit', [['100 * (apiserver_request:availability30d{verb="all", cluster="$cluster"} - 0.99)', 'budget']]]]],
    ] + [
      [v + ' requests', [
        ['stack', '%s SLI - Requests' % v, 'reqps', [['sum by (code) (code_resource:apiserver_request_total:rate5m{verb="%s", cluster="$cluster"})' % v, '{{code}}']]],
        ['ts', '%s SLI - Errors' % v, 'percentunit', [['sum by (resource) (code_resource:apiserver_request_total:rate5m{verb="%s", code=~"5..", cluster="$cluster"}) / sum by (resource) (code_resource:apiserver_request_total:rate5m{verb="%s", cluster="$cluster"})' % [v, v], '{{resource}}']]],
        ['ts', '%s SLI - Duration' % v, 's', [['cluster_quantile:apiserver_request_sli_duration_seconds:histogram_quantile{verb="%s", cluster="$cluster"}' % v, '{{resource}}']]],
      ]]
      for v in ['read', 'write']
    ] + [
      ['Queues', [
        ['ts', 'Work Queue Add Rate', 'ops', [['sum by (instance, name) (rate(workqueue_adds_total{%s}[$__rate_interval]))' % apiserver, '{{instance}} {{name}}']]],
        ['ts', 'Work Queue Depth', 'short', [['sum by (instance, name) (rate(workqueue_depth{%s}[$__rate_interval]))' % apiserver, '{{instance}} {{name}}']]],
        ['ts', 'Work Queue Latency', 's', quantileTargets('workqueue_queue_duration_seconds', apiserver, 'instance, name', '{{instance}} {{name}}')],
        ['ts', 'Request Latency by Verb', 's', quantileTargets('apiserver_request_duration_seconds', apiserver, 'verb', '{{verb}}')],
      ]],
    ]),
    'k8s-kubelet.json': component('k8s-kubelet', 'Kubernetes / Kubelet', ['kubernetes-mixin'], ['cluster', 'instance'], kubelet, [
      ['Overview', [
        ['stat', s[0], 'none', [['sum(%s{%s})' % [s[1], kubelet], s[0]]]]
        for s in [['Running Kubelets', 'kubelet_node_name'], ['Running Pods', 'kubelet_running_pods'], ['Running Containers', 'kubelet_running_containers'], ['Actual Volume Count', 'volume_manager_total_volumes']]
      ]],
      ['Operations', [
        ['ts', 'Operation Rate', 'ops', [['sum by (operation_type, instance) (rate(kubelet_runtime_operations_total{%s}[$__rate_interval]))' % kubelet, '{{instance}} {{operation_type}}']]],
        ['ts', 'Operation Error Rate', 'ops', [['sum by (instance, operation_type) (rate(kubelet_runtime_operations_errors_total{%s}[$__rate_interval]))' % kubelet, '{{instance}} {{operation_type}}']]],
        ['ts', 'Operation Duration p99', 's', quantileTargets('kubelet_runtime_operations_duration_seconds', kubelet, 'instance, operation_type', '{{instance}} {{operation_type}}')],
        ['ts', 'Pod Start Rate', 'ops', [['sum by (instance) (rate(kubelet_pod_start_duration_seconds_count{%s}[$__rate_interval]))' % kubelet, '{{instance}} pod'], ['sum by (instance) (rate(kubelet_pod_worker_duration_seconds_count{%s}[$__rate_interval]))' % kubelet, '{{instance}} worker']]],
        ['ts', 'Pod Start Duration', 's', quantileTargets('kubelet_pod_start_duration_seconds', kubelet, 'instance', '{{instance}} pod')],
        ['ts', 'Storage Operation Rate', 'ops', [['sum by (instance, operation_name, volume_plugin) (rate(storage_operation_duration_seconds_count{%s}[$__rate_interval]))' % kubelet, '{{instance}} {{operation_name}} {{volume_plugin}}']]],
        ['ts', 'Storage Operation Duration', 's', quantileTargets('storage_operation_duration_seconds', kubelet, 'instance, operation_name, volume_plugin', '{{instance}} {{operation_name}}')],
        ['ts', 'Cgroup manager operation rate', 'ops', [['sum by (instance, operation_type) (rate(kubelet_cgroup_manager_duration_seconds_count{%s}[$__rate_interval]))' % kubelet, '{{operation_type}}']]],
        ['ts', 'PLEG relist rate', 'ops', [['sum by (instance) (rate(kubelet_pleg_relist_duration_seconds_count{%s}[$__rate_interval]))' % kubelet, '{{instance}}']]],
        ['ts', 'PLEG relist duration', 's', quantileTargets('kubelet_pleg_relist_duration_seconds', kubelet, 'instance', '{{instance}}')],
      ]],
    ] + queueRows(kubelet)),
    'k8s-scheduler.json': component('k8s-scheduler', 'Kubernetes / Scheduler', ['kubernetes-mixin'], ['cluster', 'instance'], scheduler, [
      ['Scheduling', [
        ['stat', 'Up', 'none', [['sum(up{%s})' % scheduler, 'up']]],
        ['ts', 'Scheduling Rate', 'ops', [['sum by (instance) (rate(scheduler_%s_count{%s}[$__rate_interval]))' % [m, scheduler], '{{instance}} %s' % m] for m in ['e2e_scheduling_duration_seconds', 'scheduling_algorithm_duration_seconds', 'pod_scheduling_sli_duration_seconds']]],
        ['ts', 'Scheduling latency p99', 's', std.flattenArrays([quantileTargets('scheduler_' + m, scheduler, 'instance', '{{instance}} ' + m) for m in ['e2e_scheduling_duration_seconds', 'scheduling_algorithm_duration_seconds']])],
      ]],
    ] + queueRows(scheduler)),
    'k8s-controller-manager.json': component('k8s-controller-manager', 'Kubernetes / Controller Manager', ['kubernetes-mixin'], ['cluster', 'instance'], cm, [
      ['Overview', [['stat', 'Up', 'none', [['sum(up{%s})' % cm, 'up']]]]],
    ] + queueRows(cm)),
    'k8s-proxy.json': component('k8s-proxy', 'Kubernetes / Proxy', ['kubernetes-mixin'], ['cluster', 'instance'], proxy, [
      ['Rules', [
        ['stat', 'Up', 'none', [['sum(up{%s})' % proxy, 'up']]],
        ['ts', 'Rules Sync Rate', 'ops', [['sum(rate(kubeproxy_sync_proxy_rules_duration_seconds_count{%s}[$__rate_interval]))' % proxy, 'rate']]],
        ['ts', 'Rule Sync Latency p99', 's', quantileTargets('kubeproxy_sync_proxy_rules_duration_seconds', proxy, 'instance', '{{instance}}')],
        ['ts', 'Network Programming Rate', 'ops', [['sum(rate(kubeproxy_network_programming_duration_seconds_count{%s}[$__rate_interval]))' % proxy, 'rate']]],
        ['ts', 'Network Programming Latency p99', 's', quantileTargets('kubeproxy_network_programming_duration_seconds', proxy, 'instance', '{{instance}}')],
      ]],
    ] + queueRows(proxy)),
    'k8s-persistentvolumes.json': component('k8s-persistentvolumes', 'Kubernetes / Persistent Volumes', ['kubernetes-mixin'], ['cluster', 'namespace'], 'job="kubelet", cluster="$cluster", namespace="$namespace"', [
      ['Volume Space', [
        ['stack', 'Volume Space Usage', 'bytes', [['sum by (persistentvolumeclaim) (kubelet_volume_stats_%s_bytes{job="kubelet", cluster="$cluster", namespace="$namespace"})' % m, '{{persistentvolumeclaim}} %s' % m] for m in ['used', 'available']]],
        ['stat', 'Volume Space Usage', 'percentunit', [['max without (instance, node) (kubelet_volume_stats_used_bytes{cluster="$cluster", namespace="$namespace"} / kubelet_volume_stats_capacity_bytes{cluster="$cluster", namespace="$namespace"})', 'used']]],
        ['stack', 'Volume inodes Usage', 'none', [['sum by (persistentvolumeclaim) (kubelet_volume_stats_inodes_%s{job="kubelet", cluster="$cluster", namespace="$namespace"})' % m, '{{persistentvolumeclaim}} %s' % m] for m in ['used', 'free']]],
        ['stat', 'Volume inodes Usage', 'percentunit', [['max without (instance, node) (kubelet_volume_stats_inodes_used{cluster="$cluster", namespace="$namespace"} / kubelet_volume_stats_inodes{cluster="$cluster", namespace="$namespace"})', 'used']]],
      ]],
    ]),
  },
  node: {
    'node-use-cluster.json': use('node-use-cluster', 'Node Exporter / USE Method / Cluster', false),
    'node-use-node.json': use('node-use-node', 'Node Exporter / USE Method / Node', true),
    'k8s-windows-use-cluster.json': use('k8s-windows-use-cluster', 'Kubernetes / USE Method / Cluster (Windows)', false),
    'k8s-windows-use-node.json': use('k8s-windows-use-node', 'Kubernetes / USE Method / Node (Windows)', true),
    'nodes-linux.json': component('nodes-linux', 'Node Exporter / Nodes', ['node-exporter-mixin'], ['instance'], 'job="node-exporter", instance="$instance"', nodeRows('linux')),
    'nodes-darwin.json': component('nodes-darwin', 'Node Exporter / MacOS', ['node-exporter-mixin'], ['instance'], 'job="node-exporter", instance="$instance"', nodeRows('darwin')),
    'nodes-aix.json': component('nodes-aix', 'Node Exporter / AIX', ['node-exporter-mixin'], ['instance'], 'job="node-exporter", instance="$instance"', nodeRows('aix')),
  },
  prometheus: {
    'prometheus-overview.json': component('prometheus-overview', 'Prometheus / Overview', ['prometheus-mixin'], ['job', 'instance'], prom, [
      ['Prometheus Stats', [['stat', s[0], 'short', [[s[1] % prom, s[0]]]] for s in [
        ['Targets', 'sum(prometheus_sd_discovered_targets{%s})'],
        ['Head Series', 'sum(prometheus_tsdb_head_series{%s})'],
        ['Head Chunks', 'sum(prometheus_tsdb_head_chunks{%s})'],
        ['Rule Groups', 'sum(prometheus_rule_group_rules{%s})'],
      ]]],
      ['Discovery', [
        ['ts', 'Target Sync', 'ms', [['sum by (job, scrape_job, instance) (rate(prometheus_target_sync_length_seconds_sum{%s}[$__rate_interval]))' % prom, '{{job}}:{{instance}}:{{scrape_job}}']]],
        ['ts', 'Targets', 'short', [['sum by (job, instance) (prometheus_sd_discovered_targets{%s})' % prom, '{{job}}:{{instance}}']]],
      ]],
      ['Retrieval', [
        ['ts', 'Average Scrape Interval Duration', 'ms', [['rate(prometheus_target_interval_length_seconds_sum{%s}[$__rate_interval]) / rate(prometheus_target_interval_length_seconds_count{%s}[$__rate_interval]) * 1e3' % [prom, prom], '{{job}}:{{instance}} {{interval}}']]],
        ['ts', 'Scrape failures', 'ops', [['sum by (job, instance) (rate(prometheus_target_scrapes_%s_total{%s}[$__rate_interval]))' % [f, prom], '%s: {{job}}:{{instance}}' % f] for f in ['exceeded_body_size_limit', 'exceeded_sample_limit', 'sample_duplicate_timestamp', 'sample_out_of_bounds', 'sample_out_of_order']]],
        ['ts', 'Appended Samples', 'ops', [['rate(prometheus_tsdb_head_samples_appended_total{%s}[$__rate_interval])' % prom, '{{job}}:{{instance}}']]],
      ]],
      ['Storage', [
        ['ts', 'Head Series', 'short', [['prometheus_tsdb_head_series{%s}' % prom, '{{job}}:{{instance}} head series']]],
        ['ts', 'Head Chunks', 'short', [['prometheus_tsdb_head_chunks{%s}' % prom, '{{job}}:{{instance}} head chunks']]],
      ]],
      ['Query', [
        ['ts', 'Query Rate', 'ops', [['rate(prometheus_engine_query_duration_seconds_count{%s, slice="inner_eval"}[$__rate_interval])' % prom, '{{job}}:{{instance}}']]],
        ['stack', 'Stage Duration', 'ms', [['max by (slice) (prometheus_engine_query_duration_seconds{quantile="0.9", %s}) * 1e3' % prom, '{{slice}}']]],
      ]],
    ]),
    'prometheus-remote-write.json': component('prometheus-remote-write', 'Prometheus / Remote Write', ['prometheus-mixin'], ['cluster', 'instance'], prom, [
      ['Timestamps', [
        ['ts', 'Highest Timestamp In vs. Highest Timestamp Sent', 's', [['(prometheus_remote_storage_highest_timestamp_in_seconds{%s} - ignoring (remote_name, url) group_right (instance) (prometheus_remote_storage_queue_highest_sent_timestamp_seconds{%s} != 0))' % [prom, prom], '{{cluster}}:{{instance}} {{remote_name}}:{{url}}']]],
        ['ts', 'Rate[5m]', 's', [['clamp_min(rate(prometheus_remote_storage_highest_timestamp_in_seconds{%s}[5m]) - ignoring (remote_name, url) group_right (instance) rate(prometheus_remote_storage_queue_highest_sent_timestamp_seconds{%s}[5m]), 0)' % [prom, prom], '{{cluster}}:{{instance}} {{remote_name}}:{{url}}']]],
      ]],
      ['Samples', [
        ['ts', 'Rate, in vs. succeeded or dropped [5m]', 'short', [['rate(prometheus_remote_storage_samples_in_total{%s}[5m]) - ignoring (remote_name, url) group_right (instance) (rate(prometheus_remote_storage_succeeded_samples_total{%s}[5m]) or rate(prometheus_remote_storage_samples_total{%s}[5m])) - (rate(prometheus_remote_storage_dropped_samples_total{%s}[5m]) or rate(prometheus_remote_storage_samples_dropped_total{%s}[5m]))' % [prom, prom, prom, prom, prom], '{{cluster}}:{{instance}} {{remote_name}}:{{url}}']]],
      ]],
      ['Shards', [
        ['ts', 'Current Shards', 'none', [['prometheus_remote_storage_shards{%s}' % prom, '{{cluster}}:{{instance}} {{remote_name}}:{{url}}']]],
        ['ts', 'Max Shards', 'none', [['prometheus_remote_storage_shards_max{%s}' % prom, '{{cluster}}:{{instance}} {{remote_name}}:{{url}}']]],
        ['ts', 'Min Shards', 'none', [['prometheus_remote_storage_shards_min{%s}' % prom, '{{cluster}}:{{instance}} {{remote_name}}:{{url}}']]],
        ['ts', 'Desired Shards', 'none', [['prometheus_remote_storage_shards_desired{%s}' % prom, '{{cluster}}:{{instance}} {{remote_name}}:{{url}}']]],
        ['ts', 'Shard Capacity', 'none', [['prometheus_remote_storage_shard_capacity{%s}' % prom, '{{cluster}}:{{instance}} {{remote_name}}:{{url}}']]],
        ['ts', 'Pending Samples', 'none', [['prometheus_remote_storage_pending_samples{%s} or prometheus_remote_storage_samples_pending{%s}' % [prom, prom], '{{cluster}}:{{instance}} {{remote_name}}:{{url}}']]],
      ]],
      ['Segments', [
        ['ts', 'TSDB Current Segment', 'none', [['prometheus_tsdb_wal_segment_current{%s}' % prom, '{{cluster}}:{{instance}}']]],
        ['ts', 'Remote Write Current Segment', 'none', [['prometheus_wal_watcher_current_segment{%s}' % prom, '{{cluster}}:{{instance}} {{consumer}}']]],
      ]],
      ['Misc. Rates', [
        ['ts', 'Dropped Samples', 'none', [['rate(prometheus_remote_storage_dropped_samples_total{%s}[5m])' % prom, '{{cluster}}:{{instance}} {{remote_name}}:{{url}}']]],
        ['ts', 'Failed Samples', 'none', [['rate(prometheus_remote_storage_failed_samples_total{%s}[5m])' % prom, '{{cluster}}:{{instance}} {{remote_name}}:{{url}}']]],
        ['ts', 'Retried Samples', 'none', [['rate(prometheus_remote_storage_retried_samples_total{%s}[5m])' % prom, '{{cluster}}:{{instance}} {{remote_name}}:{{url}}']]],
        ['ts', 'Enqueue Retries', 'none', [['rate(prometheus_remote_storage_enqueue_retries_total{%s}[5m])' % prom, '{{cluster}}:{{instance}} {{remote_name}}:{{url}}']]],
      ]],
    ]),
  },
  alertmanager: {
    'alertmanager-overview.json': component('alertmanager-overview', 'Alertmanager / Overview', ['alertmanager-mixin'], ['cluster'], am, [
      ['Alerts', [
        ['stack', 'Alerts', 'none', [['sum by (instance) (alertmanager_alerts{%s})' % am, '{{instance}}']]],
        ['stack', 'Alerts receive rate', 'ops', [['sum by (instance) (rate(alertmanager_alerts_received_total{%s}[$__rate_interval]))' % am, '{{instance}} Received'], ['sum by (instance) (rate(alertmanager_alerts_invalid_total{%s}[$__rate_interval]))' % am, '{{instance}} Invalid']]],
      ]],
    ] + [
      [i, [
        ['stack', '%s: Notifications Send Rate' % i, 'ops', [['sum by (integration, instance) (rate(alertmanager_notifications_total{integration="%s", %s}[$__rate_interval]))' % [std.asciiLower(i), am], 'Total {{instance}}'], ['sum by (integration, instance) (rate(alertmanager_notifications_failed_total{integration="%s", %s}[$__rate_interval]))' % [std.asciiLower(i), am], 'Failed {{instance}}']]],
        ['ts', '%s: Notification Duration' % i, 's', quantileTargets('alertmanager_notification_latency_seconds', 'integration="%s", %s' % [std.asciiLower(i), am], 'instance', '{{instance}}')],
      ]]
      for i in ['Email', 'PagerDuty', 'Slack', 'Webhook', 'OpsGenie', 'Telegram']
    ]),
  },
  grafana: {
    'grafana-overview.json': component('grafana-overview', 'Grafana Overview', ['grafana-mixin'], ['cluster'], grafana, [
      ['Overview', [['stat', s[0], 'none', [[s[1] % grafana, s[0]]]] for s in [
        ['Firing Alerts', 'sum(grafana_alerting_result_total{%s, state="alerting"})'],
        ['Dashboards', 'grafana_stat_totals_dashboard{%s}'],
        ['Users', 'grafana_stat_total_users{%s}'],
        ['Playlists', 'grafana_stat_total_playlists{%s}'],
      ]]],
      ['Requests', [
        ['stack', 'RPS', 'reqps', [['sum by (status_code) (irate(grafana_http_request_duration_seconds_count{%s}[1m]))' % grafana, '{{status_code}}']]],
        ['ts', 'Request Latency', 'ms', quantileTargets('grafana_http_request_duration_seconds', grafana, 'handler', '{{handler}}')],
      ]],
    ]),
  },
}
