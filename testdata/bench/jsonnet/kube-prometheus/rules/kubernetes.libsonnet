// Kubernetes rules, generated from tables: recording rules per container
// metric, per resource and per SLO window; alerts per workload kind and
// resource.
local r = import 'common.libsonnet';

local windows = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];
local verbs = {
  read: 'LIST|GET',
  write: 'POST|PUT|PATCH|DELETE',
};
local quantiles = ['0.99', '0.9', '0.5'];

// Multi-window burn-rate alerts: [severity, long window, short window, factor, for].
local burnRates = [
  ['critical', '1h', '5m', 14.4, '2m'],
  ['critical', '6h', '30m', 6, '15m'],
  ['warning', '1d', '2h', 3, '1h'],
  ['warning', '3d', '6h', 1, '3h'],
];

local podOwner = 'topk by (cluster, namespace, pod) (1, max by (cluster, namespace, pod, node) (kube_pod_info{node!=""}))';

function(cfg) {
  local ksm = cfg.kubeStateMetricsSelector,
  local api = cfg.kubeApiserverSelector,
  local kubelet = cfg.kubeletSelector,

  records: [
    r.group('k8s.rules.container_memory', r.records([
      [
        'node_namespace_pod_container:%s' % m,
        'max by (cluster, namespace, pod, container) (%s{%s, image!=""}) * on (cluster, namespace, pod) group_left (node) %s' % [m, cfg.cadvisorSelector, podOwner],
      ]
      for m in ['container_memory_working_set_bytes', 'container_memory_rss', 'container_memory_cache', 'container_memory_swap']
    ])),
    r.group('k8s.rules.container_cpu_usage_seconds_total', r.records([[
      'node_namespace_pod_container:container_cpu_usage_seconds_total:sum_rate5m',
      'sum by (cluster, namespace, pod, container) (rate(container_cpu_usage_seconds_total{%s, image!=""}[5m])) * on (cluster, namespace, pod) group_left (node) %s' % [cfg.cadvisorSelector, podOwner],
    ]])),
    r.group('k8s.rules.container_resource', r.records(std.flattenArrays([
      [
        [
          'cluster:namespace:pod_%s:active:kube_pod_container_resource_%s' % [res, kind],
          'kube_pod_container_resource_%s{resource="%s", %s} * on (namespace, pod, cluster) group_left () max by (namespace, pod, cluster) ((kube_pod_status_phase{phase=~"Pending|Running"} == 1))' % [kind, res, ksm],
        ],
        [
          'namespace_%s:kube_pod_container_resource_%s:sum' % [res, kind],
          'sum by (namespace, cluster) (sum by (namespace, pod, cluster) (max by (namespace, pod, container, cluster) (kube_pod_container_resource_%s{resource="%s", %s}) * on (namespace, pod, cluster) group_left () max by (namespace, pod, cluster) (kube_pod_status_phase{phase=~"Pending|Running"} == 1)))' % [kind, res, ksm],
        ],
      ]
      for res in ['cpu', 'memory']
      for kind in ['requests', 'limits']
    ]))),
    r.group('k8s.rules.pod_owner', r.records([
      [
        'namespace_workload_pod:kube_pod_owner:relabel',
        'max by (cluster, namespace, workload, pod) (label_replace(kube_pod_owner{%s, owner_kind="%s"}, "workload", "$1", "owner_name", "(.*)"))' % [ksm, kind],
        { workload_type: std.asciiLower(kind) },
      ]
      for kind in ['DaemonSet', 'StatefulSet', 'Job', 'ReplicaSet']
    ])),
    r.group('kube-apiserver-burnrate.rules', r.records([
      [
        'apiserver_request:burnrate' + w,
        '((sum by (cluster) (rate(apiserver_request_sli_duration_seconds_count{%(api)s, verb=~"%(v)s", subresource!~"proxy|attach|log|exec|portforward"}[%(w)s])) - sum by (cluster) (rate(apiserver_request_sli_duration_seconds_bucket{%(api)s, verb=~"%(v)s", subresource!~"proxy|attach|log|exec|portforward", le="1"}[%(w)s]))) + sum by (cluster) (rate(apiserver_request_total{%(api)s, verb=~"%(v)s", code=~"5.."}[%(w)s]))) / sum by (cluster) (rate(apiserver_request_total{%(api)s, verb=~"%(v)s"}[%(w)s]))' % { api: api, v: verbs[v], w: w },
        { verb: v },
      ]
      for v in std.objectFields(verbs)
      for w in windows
    ])),
    r.group('kube-apiserver-histogram.rules', r.records([
      [
        'cluster_quantile:apiserver_request_sli_duration_seconds:histogram_quantile',
        'histogram_quantile(%s, sum by (cluster, le, resource) (rate(apiserver_request_sli_duration_seconds_bucket{%s, verb=~"%s", subresource!~"proxy|attach|log|exec|portforward"}[5m]))) > 0' % [q, api, verbs[v]],
        { quantile: q, verb: v },
      ]
      for v in std.objectFields(verbs)
      for q in quantiles
    ])),
    r.group('kube-apiserver-availability.rules', r.records([
      ['code_verb:apiserver_request_total:increase30d', 'avg_over_time(code_verb:apiserver_request_total:increase1h[30d]) * 24 * 30'],
      ['code:apiserver_request_total:increase30d', 'sum by (cluster, code) (code_verb:apiserver_request_total:increase30d{verb=~"LIST|GET"})', { verb: 'read' }],
      ['code:apiserver_request_total:increase30d', 'sum by (cluster, code) (code_verb:apiserver_request_total:increase30d{verb=~"POST|PUT|PATCH|DELETE"})', { verb: 'write' }],
    ] + [
      [
        'apiserver_request:availability30d',
        '1 - (sum by (cluster) (increase(apiserver_request_sli_duration_seconds_count{%s, verb=~"%s"}[30d])) - sum by (cluster) (increase(apiserver_request_sli_duration_seconds_bucket{%s, verb=~"%s", le="1"}[30d])) + sum by (cluster) (code:apiserver_request_total:increase30d{verb="%s", code=~"5.."} or vector(0))) / scalar(sum(code:apiserver_request_total:increase30d{verb="%s"}))' % [api, verbs[v], api, verbs[v], v, v],
        { verb: v },
      ]
      for v in std.objectFields(verbs)
    ] + [
      ['code_verb:apiserver_request_total:increase1h', 'sum by (cluster, code, verb) (increase(apiserver_request_total{%s, verb="%s", code=~"[2345].."}[1h]))' % [api, v], { verb: v }]
      for v in ['LIST', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE']
    ] + [
      ['code_resource:apiserver_request_total:rate5m', 'sum by (cluster, code, resource) (rate(apiserver_request_total{%s, verb=~"%s"}[5m]))' % [api, verbs[v]], { verb: v }]
      for v in std.objectFields(verbs)
    ])),
    r.group('kube-scheduler.rules', r.records([
      [
        'cluster_quantile:scheduler_%s:histogram_quantile' % m,
        'histogram_quantile(%s, sum by (cluster, le) (rate(scheduler_%s_bucket{%s}[5m])))' % [q, m, cfg.kubeSchedulerSelector],
        { quantile: q },
      ]
      for m in ['e2e_scheduling_duration_seconds', 'scheduling_algorithm_duration_seconds', 'pod_scheduling_sli_duration_seconds']
      for q in quantiles
    ])),
    r.group('kubelet-latency.rules', r.records([
      [
        'node_quantile:kubelet_pleg_relist_duration_seconds:histogram_quantile',
        'histogram_quantile(%s, sum by (cluster, instance, le) (rate(kubelet_pleg_relist_duration_seconds_bucket{%s}[5m])) * on (cluster, instance) group_left (node) max by (cluster, instance, node) (kubelet_node_name{%s}))' % [q, kubelet, kubelet],
        { quantile: q },
      ]
      for q in quantiles
    ])),
    r.group('node.rules', r.records([
      ['node_namespace_pod:kube_pod_info:', 'topk by (cluster, namespace, pod) (1, max by (cluster, node, namespace, pod) (label_replace(kube_pod_info{%s, node!=""}, "pod", "$1", "pod", "(.*)")))' % ksm],
      ['node:node_num_cpu:sum', 'count by (cluster, node) (node_cpu_seconds_total{mode="idle", %s} * on (cluster, namespace, pod) group_left (node) topk by (cluster, namespace, pod) (1, node_namespace_pod:kube_pod_info:))' % cfg.nodeExporterSelector],
      [':node_memory_MemAvailable_bytes:sum', 'sum by (cluster) (node_memory_MemAvailable_bytes{%s} or (node_memory_Buffers_bytes{%s} + node_memory_Cached_bytes{%s} + node_memory_MemFree_bytes{%s} + node_memory_Slab_bytes{%s}))' % [cfg.nodeExporterSelector, cfg.nodeExporterSelector, cfg.nodeExporterSelector, cfg.nodeExporterSelector, cfg.nodeExporterSelector]],
      ['node:node_cpu_utilization:ratio_rate5m', 'avg by (cluster, node) (sum without (mode) (rate(node_cpu_seconds_total{mode!="idle", mode!="iowait", mode!="steal", %s}[5m])))' % cfg.nodeExporterSelector],
      ['cluster:node_cpu:ratio_rate5m', 'avg by (cluster) (node:node_cpu_utilization:ratio_rate5m)'],
    ])),
  ],

  alerts: [
    r.group('kubernetes-apps', r.alerts(cfg, [
      ['KubePodCrashLooping', 'warning', '15m', 'max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", %s}[5m]) >= 1' % ksm, 'A container keeps crashing.', 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} is in CrashLoopBackOff.'],
      ['KubePodNotReady', 'warning', '15m', 'sum by (namespace, pod, cluster) (max by (namespace, pod, cluster) (kube_pod_status_phase{%s, phase=~"Pending|Unknown|Failed"}) * on (namespace, pod, cluster) group_left (owner_kind) topk by (namespace, pod, cluster) (1, max by (namespace, pod, owner_kind, cluster) (kube_pod_owner{owner_kind!="Job"}))) > 0' % ksm, 'A pod has not been ready for a quarter of an hour.', 'Pod {{ $labels.namespace }}/{{ $labels.pod }} is not ready.'],
      ['KubePodPendingTooLong', 'warning', '1h', 'sum by (cluster, namespace, pod) (kube_pod_status_phase{%s, phase="Pending"}) > 0' % ksm, 'A pod has been pending for an hour.', 'Pod {{ $labels.namespace }}/{{ $labels.pod }} cannot be scheduled or started.'],
      ['KubeCronJobSuspendedLong', 'info', '1d', 'kube_cronjob_spec_suspend{%s} > 0' % ksm, 'A CronJob has been suspended for a day.', 'CronJob {{ $labels.namespace }}/{{ $labels.cronjob }} is suspended.'],
      ['KubeContainerWaiting', 'warning', '1h', 'kube_pod_container_status_waiting_reason{reason!="CrashLoopBackOff", %s} > 0' % ksm, 'A container has been waiting for an hour.', 'Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} waits: {{ $labels.reason }}.'],
    ] + std.flattenArrays([
      [
        ['Kube%sGenerationMismatch' % k, 'warning', '15m', 'kube_%s_status_observed_generation{%s} != kube_%s_metadata_generation{%s}' % [std.asciiLower(k), ksm, std.asciiLower(k), ksm], 'A %s has not rolled out its latest generation.' % k, '{{ $labels.namespace }}/{{ $labels.%s }} observes an older generation than it has.' % std.asciiLower(k)],
        ['Kube%sReplicasMismatch' % k, 'warning', '15m', '(kube_%s_spec_replicas{%s} > kube_%s_status_replicas_available{%s}) and (changes(kube_%s_status_replicas_updated{%s}[10m]) == 0)' % [std.asciiLower(k), ksm, std.asciiLower(k), ksm, std.asciiLower(k), ksm], 'A %s lacks available replicas.' % k, '{{ $labels.namespace }}/{{ $labels.%s }} has fewer available replicas than it asks for.' % std.asciiLower(k)],
      ]
      for k in ['Deployment', 'StatefulSet']
    ]) + [
      ['KubeDeploymentRolloutStuck', 'warning', '15m', 'kube_deployment_status_condition{condition="Progressing", status="false", %s} != 0' % ksm, 'A deployment rollout makes no progress.', 'Rollout of {{ $labels.namespace }}/{{ $labels.deployment }} is stuck.'],
      ['KubeStatefulSetUpdateNotRolledOut', 'warning', '15m', '(max by (namespace, statefulset, job, cluster) (kube_statefulset_status_current_revision{%s} unless kube_statefulset_status_update_revision{%s}) * (kube_statefulset_replicas{%s} != kube_statefulset_status_replicas_updated{%s})) and (changes(kube_statefulset_status_replicas_updated{%s}[5m]) == 0)' % [ksm, ksm, ksm, ksm, ksm], 'A StatefulSet update has not been rolled out.', '{{ $labels.namespace }}/{{ $labels.statefulset }} still runs pods of an older revision.'],
      ['KubeDaemonSetRolloutStuck', 'warning', '15m', '((kube_daemonset_status_current_number_scheduled{%s} != kube_daemonset_status_desired_number_scheduled{%s}) or (kube_daemonset_status_number_misscheduled{%s} != 0) or (kube_daemonset_status_updated_number_scheduled{%s} != kube_daemonset_status_desired_number_scheduled{%s}) or (kube_daemonset_status_number_available{%s} != kube_daemonset_status_desired_number_scheduled{%s})) and (changes(kube_daemonset_status_updated_number_scheduled{%s}[5m]) == 0)' % [ksm, ksm, ksm, ksm, ksm, ksm, ksm, ksm], 'A DaemonSet rollout is stuck.', '{{ $labels.namespace }}/{{ $labels.daemonset }} has not finished rolling out.'],
      ['KubeDaemonSetNotScheduled', 'warning', '10m', 'kube_daemonset_status_desired_number_scheduled{%s} - kube_daemonset_status_current_number_scheduled{%s} > 0' % [ksm, ksm], 'DaemonSet pods are not scheduled.', '{{ $value }} pods of {{ $labels.namespace }}/{{ $labels.daemonset }} are not scheduled.'],
      ['KubeDaemonSetMisScheduled', 'warning', '15m', 'kube_daemonset_status_number_misscheduled{%s} > 0' % ksm, 'DaemonSet pods run where they should not.', '{{ $value }} pods of {{ $labels.namespace }}/{{ $labels.daemonset }} run on nodes they should not.'],
      ['KubeJobNotCompleted', 'warning', '', 'time() - max by (namespace, job_name, cluster) (kube_job_status_start_time{%s} and kube_job_status_active{%s} > 0) > 43200' % [ksm, ksm], 'A job runs for too long.', 'Job {{ $labels.namespace }}/{{ $labels.job_name }} has been running for more than 12 hours.'],
      ['KubeJobFailed', 'warning', '15m', 'kube_job_failed{%s} > 0' % ksm, 'A job failed.', 'Job {{ $labels.namespace }}/{{ $labels.job_name }} failed to complete.'],
      ['KubeHpaReplicasMismatch', 'warning', '15m', '(kube_horizontalpodautoscaler_status_desired_replicas{%s} != kube_horizontalpodautoscaler_status_current_replicas{%s}) and (kube_horizontalpodautoscaler_status_current_replicas{%s} > kube_horizontalpodautoscaler_spec_min_replicas{%s}) and (changes(kube_horizontalpodautoscaler_status_current_replicas{%s}[15m]) == 0)' % [ksm, ksm, ksm, ksm, ksm], 'An HPA cannot reach its desired replicas.', 'HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} does not match its desired replicas.'],
      ['KubeHpaMaxedOut', 'warning', '15m', 'kube_horizontalpodautoscaler_status_current_replicas{%s} == kube_horizontalpodautoscaler_spec_max_replicas{%s}' % [ksm, ksm], 'An HPA runs at its maximum.', 'HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} has been at max replicas for a while.'],
      ['KubePdbNotEnoughHealthyPods', 'warning', '15m', '(kube_poddisruptionbudget_status_desired_healthy{%s} - kube_poddisruptionbudget_status_current_healthy{%s}) > 0' % [ksm, ksm], 'A PodDisruptionBudget lacks healthy pods.', 'PDB {{ $labels.namespace }}/{{ $labels.poddisruptionbudget }} expects more healthy pods than there are.'],
    ])),
    r.group('kubernetes-resources', r.alerts(cfg, [
      ['Kube%sOvercommit' % res, 'warning', '10m', 'sum by (cluster) (namespace_%s:kube_pod_container_resource_requests:sum) - (sum by (cluster) (kube_node_status_allocatable{resource="%s", %s}) - max by (cluster) (kube_node_status_allocatable{resource="%s", %s})) > 0 and (sum by (cluster) (kube_node_status_allocatable{resource="%s", %s}) - max by (cluster) (kube_node_status_allocatable{resource="%s", %s})) > 0' % [std.asciiLower(res), std.asciiLower(res), ksm, std.asciiLower(res), ksm, std.asciiLower(res), ksm, std.asciiLower(res), ksm], 'The cluster has overcommitted %s requests.' % std.asciiLower(res), 'Cluster {{ $labels.cluster }} cannot tolerate a node failure with its %s requests.' % std.asciiLower(res)]
      for res in ['CPU', 'Memory']
    ] + [
      ['Kube%sQuotaOvercommit' % res, 'warning', '5m', 'sum by (cluster) (min without (resource) (kube_resourcequota{%s, type="hard", resource=~"(%s|requests.%s)"})) / sum by (cluster) (kube_node_status_allocatable{resource="%s", %s}) > 1.5' % [ksm, std.asciiLower(res), std.asciiLower(res), std.asciiLower(res), ksm], 'Namespaces have overcommitted %s quota.' % std.asciiLower(res), 'Quotas in {{ $labels.cluster }} promise more %s than the nodes have.' % std.asciiLower(res)]
      for res in ['CPU', 'Memory']
    ] + [
      [q[0], q[1], '15m', 'kube_resourcequota{%s, type="used"} / ignoring (instance, job, type) (kube_resourcequota{%s, type="hard"} > 0) %s' % [ksm, ksm, q[2]], 'A namespace quota is %s.' % q[3], 'Namespace {{ $labels.namespace }} is using {{ $value | humanizePercentage }} of its {{ $labels.resource }} quota.']
      for q in [
        ['KubeQuotaAlmostFull', 'info', '> 0.9 < 1', 'almost full'],
        ['KubeQuotaFullyUsed', 'info', '== 1', 'fully used'],
        ['KubeQuotaExceeded', 'warning', '> 1', 'exceeded'],
      ]
    ] + [
      ['CPUThrottlingHigh', 'info', '15m', 'sum by (cluster, container, pod, namespace) (increase(container_cpu_cfs_throttled_periods_total{container!="", %s}[5m])) / on (cluster, container, pod, namespace) sum by (cluster, container, pod, namespace) (increase(container_cpu_cfs_periods_total{%s}[5m])) > (%d / 100)' % [cfg.cadvisorSelector, cfg.cadvisorSelector, cfg.cpuThrottlingPercent], 'A container is throttled.', '{{ $value | humanizePercentage }} of the CPU periods of {{ $labels.container }} in {{ $labels.namespace }}/{{ $labels.pod }} are throttled.'],
    ])),
    r.group('kubernetes-storage', r.alerts(cfg, [
      ['KubePersistentVolume%sFillingUp' % s[0], s[1], s[2], '(kubelet_volume_stats_%s{%s} / kubelet_volume_stats_%s{%s}) < %s and kubelet_volume_stats_%s{%s} > 0%s unless on (cluster, namespace, persistentvolumeclaim) kube_persistentvolumeclaim_access_mode{%s, access_mode="ReadOnlyMany"} == 1' % [s[3], kubelet, s[4], kubelet, s[5], s[6], kubelet, if s[7] != '' then ' and predict_linear(kubelet_volume_stats_%s{%s}[6h], 4 * 24 * 3600) < 0' % [s[3], kubelet] else '', ksm], 'A persistent volume is filling up.', 'Volume {{ $labels.persistentvolumeclaim }} in {{ $labels.namespace }} has {{ $value | humanizePercentage }} left.']
      for s in [
        ['', 'critical', '1m', 'available_bytes', 'capacity_bytes', '0.03', 'used_bytes', ''],
        ['', 'warning', '1h', 'available_bytes', 'capacity_bytes', '0.15', 'used_bytes', 'predict'],
        ['Inodes', 'critical', '1m', 'inodes_free', 'inodes', '0.03', 'inodes_used', ''],
        ['Inodes', 'warning', '1h', 'inodes_free', 'inodes', '0.15', 'inodes_used', 'predict'],
      ]
    ] + [
      ['KubePersistentVolumeErrors', 'critical', '5m', 'kube_persistentvolume_status_phase{phase=~"Failed|Pending", %s} > 0' % ksm, 'A persistent volume has a problem.', 'Volume {{ $labels.persistentvolume }} is in phase {{ $labels.phase }}.'],
    ])),
    r.group('kubernetes-system', r.alerts(cfg, [
      ['KubeVersionMismatch', 'warning', '15m', 'count by (cluster) (count by (git_version, cluster) (label_replace(kubernetes_build_info{job!~"kube-dns|coredns"}, "git_version", "$1", "git_version", "(v[0-9]*.[0-9]*).*"))) > 1', 'Components run different Kubernetes versions.', 'There are {{ $value }} different Kubernetes versions running.'],
      ['KubeClientErrors', 'warning', '15m', '(sum by (cluster, instance, job, namespace) (rate(rest_client_requests_total{code=~"5.."}[5m])) / sum by (cluster, instance, job, namespace) (rate(rest_client_requests_total[5m]))) > 0.01', 'A Kubernetes API client sees errors.', 'Client {{ $labels.job }}/{{ $labels.instance }} sees {{ $value | humanizePercentage }} errors.'],
    ])),
    r.group('kube-apiserver-slos', r.alerts(cfg, [
      [
        'KubeAPIErrorBudgetBurn',
        b[0],
        b[4],
        'sum by (cluster) (apiserver_request:burnrate%s) > (%s * %s) and on (cluster) sum by (cluster) (apiserver_request:burnrate%s) > (%s * %s)' % [b[1], b[3], 1 - cfg.apiserverSLO, b[2], b[3], 1 - cfg.apiserverSLO],
        'The API server is burning its error budget.',
        'The API server burns its error budget %s times too fast over %s.' % [b[3], b[1]],
        { long: b[1], short: b[2] },
      ]
      for b in burnRates
    ])),
    r.group('kubernetes-system-apiserver-health', r.alerts(cfg, [
      ['KubeAggregatedAPIErrors', 'warning', '10m', 'sum by (cluster, instance, name, reason) (increase(aggregator_unavailable_apiservice_total{%s}[1m])) > 0' % api, 'An aggregated API reports errors.', 'Aggregated API {{ $labels.name }} reported {{ $labels.reason }} errors.'],
      ['KubeAggregatedAPIDown', 'warning', '15m', '(1 - max by (name, namespace, cluster) (avg_over_time(aggregator_unavailable_apiservice{%s}[10m]))) * 100 < 85' % api, 'An aggregated API is down.', 'Aggregated API {{ $labels.name }} has been only {{ $value | humanize }}% available.'],
      ['KubeAPIDown', 'critical', '15m', 'absent(up{%s} == 1)' % api, 'The API server is gone from Prometheus.', 'The API server has disappeared from Prometheus target discovery.'],
      ['KubeAPITerminatedRequests', 'warning', '5m', 'sum by (cluster) (rate(apiserver_request_terminations_total{%s}[10m])) / (sum by (cluster) (rate(apiserver_request_total{%s}[10m])) + sum by (cluster) (rate(apiserver_request_terminations_total{%s}[10m]))) > 0.2' % [api, api, api], 'The API server terminates requests.', 'The API server terminated {{ $value | humanizePercentage }} of its incoming requests.'],
    ])),
    r.group('kubernetes-system-nodes', r.alerts(cfg, [
      ['KubeNodeNotReady', 'warning', '15m', 'kube_node_status_condition{%s, condition="Ready", status="true"} == 0 and on (cluster, node) kube_node_spec_unschedulable{%s} == 0' % [ksm, ksm], 'A node is not ready.', '{{ $labels.node }} has been unready for more than 15 minutes.'],
      ['KubeNodeUnreachable', 'warning', '15m', '(kube_node_spec_taint{%s, key="node.kubernetes.io/unreachable", effect="NoSchedule"} unless ignoring (key, value) kube_node_spec_taint{%s, key=~"ToBeDeletedByClusterAutoscaler|cloud.google.com/impending-node-termination|aws-node-termination-handler/spot-itn"}) == 1' % [ksm, ksm], 'A node is unreachable.', '{{ $labels.node }} is unreachable and some workloads may be rescheduled.'],
      ['KubeletTooManyPods', 'info', '15m', 'count by (cluster, node) ((kube_pod_status_phase{%s, phase="Running"} == 1) * on (cluster, namespace, pod) group_left (node) topk by (cluster, namespace, pod) (1, kube_pod_info{%s})) / max by (cluster, node) (kube_node_status_capacity{%s, resource="pods"} != 1) > 0.95' % [ksm, ksm, ksm], 'A kubelet runs close to its pod limit.', 'Kubelet {{ $labels.node }} is running at {{ $value | humanizePercentage }} of its pod capacity.'],
      ['KubeNodeReadinessFlapping', 'warning', '15m', 'sum by (cluster, node) (changes(kube_node_status_condition{%s, status="true", condition="Ready"}[15m])) > 2' % ksm, 'A node keeps changing readiness.', '{{ $labels.node }} changed its readiness {{ $value }} times in 15 minutes.'],
      ['KubeletPlegDurationHigh', 'warning', '5m', 'node_quantile:kubelet_pleg_relist_duration_seconds:histogram_quantile{quantile="0.99"} >= 10', 'The kubelet PLEG relists slowly.', 'The 99th percentile PLEG relist duration on {{ $labels.node }} is {{ $value }} seconds.'],
      ['KubeletPodStartUpLatencyHigh', 'warning', '15m', 'histogram_quantile(0.99, sum by (cluster, instance, le) (rate(kubelet_pod_worker_duration_seconds_bucket{%s}[5m]))) * on (cluster, instance) group_left (node) kubelet_node_name{%s} > 60' % [kubelet, kubelet], 'Pods start slowly.', 'Kubelet pod startup 99th percentile latency is {{ $value }} seconds on {{ $labels.node }}.'],
      ['KubeletDown', 'critical', '15m', 'absent(up{%s} == 1)' % kubelet, 'The kubelets are gone from Prometheus.', 'Kubelet has disappeared from Prometheus target discovery.'],
    ])),
    r.group('kubernetes-system-scheduler', r.alerts(cfg, [
      ['KubeSchedulerDown', 'critical', '15m', 'absent(up{%s} == 1)' % cfg.kubeSchedulerSelector, 'The scheduler is gone from Prometheus.', 'KubeScheduler has disappeared from Prometheus target discovery.'],
    ])),
    r.group('kubernetes-system-controller-manager', r.alerts(cfg, [
      ['KubeControllerManagerDown', 'critical', '15m', 'absent(up{%s} == 1)' % cfg.kubeControllerManagerSelector, 'The controller manager is gone from Prometheus.', 'KubeControllerManager has disappeared from Prometheus target discovery.'],
    ])),
  ],
}
