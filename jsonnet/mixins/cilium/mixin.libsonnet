// Cilium: Prometheus sees the agents, the operator and Hubble, and the
// agents are healthy.
//
// Metrics: every agent (port `prometheus`, 9962) exports cilium_*, the
// operator (port `prometheus`, 9963) cilium_operator_*, Hubble (Service
// hubble-metrics, port 9965) hubble_*. Used here:
//   cilium_unreachable_nodes  nodes the agent's health checks cannot reach.
//   cilium_controllers_failing  agent controllers whose last run failed.
//   cilium_bpf_map_pressure{map_name}  fill ratio of a BPF map (1 = full).
local common = import '../kpgen-common/common.libsonnet';
local t = import '../kpgen-common/types.libsonnet';

{
  _config+:: common.defaults {
    // Namespace Cilium runs in.
    namespace: 'kube-system',
    // A BPF map alerts when it is fuller than this ratio.
    bpfMapPressureThreshold: 0.9,
    // How long a Cilium target must be unreachable before it alerts.
    targetDownFor: '15m',
  },

  // What each setting may be (kpgen's vars schema checks them).
  _configTypes+:: common.defaultTypes {
    namespace: t.namespace,
    bpfMapPressureThreshold: t.ratio,
    targetDownFor: t.duration,
  },

  local c = $._config,
  local agent = 'Cilium agent {{ $labels.pod }}%s' % common.inCluster,

  prometheusAlerts+:: {
    groups+: [{
      name: 'cilium',
      rules: [
        common.targetDownAlert(c, {
          name: 'CiliumAgentTargetDown',
          severity: 'warning',
          job: 'cilium-agent',
          whenAbsent: true,
          'for': c.targetDownFor,
          summary: 'Prometheus cannot scrape a Cilium agent.',
          description: 'Prometheus has no successful scrape of Cilium agent{{ with $labels.pod }} {{ . }}{{ end }} (job {{ $labels.job }}%s). Either the agent is down or its metrics are off (Helm value prometheus.enabled).' % common.inCluster,
        }),
        common.targetDownAlert(c, {
          name: 'CiliumOperatorTargetDown',
          severity: 'warning',
          job: 'cilium-operator',
          whenAbsent: true,
          'for': c.targetDownFor,
          summary: 'Prometheus cannot scrape the Cilium operator.',
          description: 'Prometheus has no successful scrape of the Cilium operator{{ with $labels.pod }} {{ . }}{{ end }} (job {{ $labels.job }}%s). Either the operator is down or its metrics are off (Helm value operator.prometheus.enabled).' % common.inCluster,
        }),
        common.targetDownAlert(c, {
          name: 'HubbleMetricsTargetDown',
          severity: 'warning',
          job: 'hubble',
          'for': c.targetDownFor,
          summary: 'Prometheus cannot scrape Hubble metrics.',
          description: 'Prometheus cannot scrape the Hubble metrics of {{ $labels.pod }} (job {{ $labels.job }}%s).' % common.inCluster,
        }),
        common.alert(c, {
          name: 'CiliumUnreachableNodes',
          severity: 'warning',
          expr: 'cilium_unreachable_nodes > 0',
          'for': '15m',
          summary: 'A Cilium agent cannot reach other nodes.',
          description: '%s cannot reach {{ $value }} node(s) in its health checks: pod traffic between these nodes is likely broken.' % agent,
        }),
        common.alert(c, {
          name: 'CiliumControllersFailing',
          severity: 'warning',
          expr: 'cilium_controllers_failing > 0',
          'for': '15m',
          summary: 'Cilium agent controllers are failing.',
          description: '%s has {{ $value }} failing controller(s): part of its state (endpoints, policy, services) is not being reconciled.' % agent,
        }),
        common.alert(c, {
          name: 'CiliumBPFMapPressureHigh',
          severity: 'warning',
          expr: 'cilium_bpf_map_pressure > %s' % common.num(c.bpfMapPressureThreshold),
          'for': '10m',
          summary: 'A Cilium BPF map is nearly full.',
          description: 'BPF map {{ $labels.map_name }} of %s is {{ $value | humanizePercentage }} full. When it fills up, new connections or endpoints fail on that node.' % agent,
        }),
      ],
    }],
  },
}
