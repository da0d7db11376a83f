// kube-prometheus' own knobs that vars reach: the mixins whose _config
// vars.upstream.<name> sets, the types kpgen knows for some of their keys,
// and the keys another vars key sets. vars.libsonnet builds the schema
// from this; patches/upstream-mixins.libsonnet applies it.
local checks = import '../mixins/kpgen-common/checks.libsonnet';
local t = import '../mixins/kpgen-common/types.libsonnet';

{
  // vars.upstream.<name> → the component (kube-prometheus' values.<component>)
  // whose mixin._config it changes.
  mixins: {
    alertmanagerMixin: 'alertmanager',
    grafanaMixin: 'grafana',
    kubePrometheusMixin: 'kubePrometheus',
    kubeStateMetricsMixin: 'kubeStateMetrics',
    kubernetesMixin: 'kubernetesControlPlane',
    nodeMixin: 'nodeExporter',
    prometheusMixin: 'prometheus',
    prometheusOperatorMixin: 'prometheusOperator',
  },

  // Types of well-known keys, checked like kpgen's own mixins' settings. A
  // key the mixin lacks is ignored here; a key not listed gets the type of
  // its default.
  local percent = t.number(checks.percent),
  local common = { runbookURLPattern: t.runbookURLPattern },
  types: {
    alertmanagerMixin: common,
    grafanaMixin: common { grafanaRequestsFailingThresholdPercent: percent },
    kubePrometheusMixin: common,
    kubeStateMetricsMixin: common,
    kubernetesMixin: common {
      cpuThrottlingPercent: percent,
      certExpirationWarningSeconds: t.seconds,
      certExpirationCriticalSeconds: t.seconds,
      kubeJobTimeoutDuration: t.seconds,
      kubeDaemonSetRolloutStuckFor: t.duration,
      kubePdbNotEnoughHealthyPodsFor: t.duration,
      volumeFullPredictionSampleTime: t.duration,
    },
    nodeMixin: common {
      cpuHighUsageThreshold: percent,
      fsSpaceAvailableCriticalThreshold: percent,
      fsSpaceAvailableWarningThreshold: percent,
      fsSpaceFillingUpCriticalThreshold: percent,
      fsSpaceFillingUpWarningThreshold: percent,
      memoryHighUtilizationThreshold: percent,
      fsSpaceFillingUpPredictionWindow: t.duration,
      rateInterval: t.duration,
      nodeCriticalSeverity: t.string(checks.alertLabelValue),
    },
    prometheusMixin: common,
    prometheusOperatorMixin: common,
  },

  // Keys another vars key sets: one place for each setting.
  setElsewhere: {
    kubernetesMixin: {
      kubeletCertExpirationWarningSeconds: 'vars.kubelet.certExpirationWarningSeconds',
      kubeletCertExpirationCriticalSeconds: 'vars.kubelet.certExpirationCriticalSeconds',
    },
  },

}
