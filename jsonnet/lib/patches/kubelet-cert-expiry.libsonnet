// kubelet-cert-expiry: kube-prometheus already ships KubeletClientCertificate-
// Expiration, KubeletServerCertificateExpiration and their …RenewalErrors
// (kubernetes-mixin, in kubernetesControlPlane's PrometheusRule). We never
// add our own copies; a cluster only moves their thresholds, through the
// mixin's _config. null keeps kubernetes-mixin's defaults (7 days warning,
// 1 day critical).
local u = import '../util.libsonnet';

function(kubelet)
  local config = u.ifSet('kubeletCertExpirationWarningSeconds', kubelet.certExpirationWarningSeconds)
                 + u.ifSet('kubeletCertExpirationCriticalSeconds', kubelet.certExpirationCriticalSeconds);
  if config == {} then {}
  else {
    values+:: {
      kubernetesControlPlane+: { mixin+: { _config+: config } },
    },
  }
