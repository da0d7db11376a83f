// kubelet-cert-expiry: kube-prometheus already ships KubeletClientCertificate-
// Expiration, KubeletServerCertificateExpiration and their …RenewalErrors
// (kubernetes-mixin, in kubernetesControlPlane's PrometheusRule). We never
// add our own copies; a cluster only moves their thresholds, in the mixin's
// own _config (read by those alerts only). null keeps kubernetes-mixin's
// defaults (7 days warning, 1 day critical).
function(kubelet) {
  kubernetesControlPlane+: {
    mixin+:: {
      _config+:: {
        local w = kubelet.certExpirationWarningSeconds,
        local c = kubelet.certExpirationCriticalSeconds,
        kubeletCertExpirationWarningSeconds: if w != null then w else super.kubeletCertExpirationWarningSeconds,
        kubeletCertExpirationCriticalSeconds: if c != null then c else super.kubeletCertExpirationCriticalSeconds,
      },
    },
  },
}
