// cert-manager: certificates are Ready, renewed on time and far from expiry.
//
// Metrics (cert-manager pkg/metrics), one series per Certificate, built from
// its status, labelled name, namespace, issuer_name, issuer_kind,
// issuer_group:
//   certmanager_certificate_expiration_timestamp_seconds  status.notAfter
//   certmanager_certificate_renewal_timestamp_seconds     status.renewalTime
//     (both 0 while the certificate was never issued)
//   certmanager_certificate_ready_status{condition}  1 for the current status
//     (True, False or Unknown) of the Ready condition, 0 for the others.
// Scraped without honouring labels (as the chart's ServiceMonitor does), the
// certificate's namespace arrives as `exported_namespace`; `namespace` is
// cert-manager's own.
local common = import '../kpgen-common/common.libsonnet';
local t = import '../kpgen-common/types.libsonnet';

{
  _config+:: common.defaults {
    // Namespace cert-manager runs in.
    namespace: 'cert-manager',
    // A certificate alerts when it expires within this many seconds (14 days)
    // and cert-manager is not going to renew it before then.
    certExpirySoonSeconds: 1209600,
    // A certificate alerts when its renewal time passed this many seconds ago
    // (1 day) without a renewal.
    renewalOverdueSeconds: 86400,
    // How long a certificate may stay not Ready.
    certNotReadyFor: '15m',
  },

  // What each setting may be (kpgen's vars schema checks them).
  _configTypes+:: common.defaultTypes {
    namespace: t.namespace,
    certExpirySoonSeconds: t.seconds,
    renewalOverdueSeconds: t.seconds,
    certNotReadyFor: t.duration,
  },

  local c = $._config,
  local cert = 'Certificate {{ $labels.exported_namespace }}/{{ $labels.name }} (issuer {{ $labels.issuer_kind }} {{ $labels.issuer_name }}%s)' % common.inCluster,
  local expiry = 'certmanager_certificate_expiration_timestamp_seconds',
  local renewal = 'certmanager_certificate_renewal_timestamp_seconds',
  local id = 'on (namespace, exported_namespace, name)',

  prometheusAlerts+:: {
    groups+: [{
      name: 'cert-manager',
      rules: [
        common.alert(c, {
          name: 'CertManagerCertExpirySoon',
          severity: 'warning',
          // A never-issued certificate (expiry 0) is not expiring. One whose
          // renewal time is still ahead is renewed before it expires
          // (short-lived certificates always expire "soon").
          expr: |||
            (%(expiry)s != 0) - time() < %(threshold)s
            unless %(id)s
            (%(renewal)s > time())
          ||| % { expiry: expiry, renewal: renewal, id: id, threshold: common.num(c.certExpirySoonSeconds) },
          'for': '1h',
          summary: 'A certificate managed by cert-manager expires soon.',
          description: '%s {{ if ge $value 0.0 }}expires in {{ $value | humanizeDuration }}{{ else }}has expired{{ end }} and cert-manager has not renewed it.' % cert,
        }),
        common.alert(c, {
          name: 'CertManagerCertRenewalOverdue',
          severity: 'warning',
          // Catches a certificate that is still Ready and valid but whose
          // renewal keeps failing (for instance an HTTP-01 challenge broken
          // by an HTTP→HTTPS redirect). Never-issued ones (0) are excluded.
          expr: 'time() - (%s != 0) > %s' % [renewal, common.num(c.renewalOverdueSeconds)],
          'for': '1h',
          summary: 'cert-manager has not renewed a certificate that is due for renewal.',
          description: 'The renewal of %s was due {{ $value | humanizeDuration }} ago and has not happened. The certificate may still be valid and Ready: check its CertificateRequests, Orders and Challenges before it expires.' % cert,
        }),
        common.alert(c, {
          name: 'CertManagerCertNotReady',
          severity: 'critical',
          expr: 'certmanager_certificate_ready_status{condition=~"False|Unknown"} == 1',
          'for': c.certNotReadyFor,
          summary: 'A certificate managed by cert-manager is not Ready.',
          description: '%s {{ if eq $labels.condition "False" }}is not Ready{{ else }}has an unknown Ready status{{ end }}: its Secret may be missing, invalid or out of date.' % cert,
        }),
        common.targetDownAlert(c, {
          name: 'CertManagerTargetDown',
          severity: 'critical',
          job: 'cert-manager',
          whenAbsent: true,
          'for': '15m',
          summary: 'Prometheus cannot scrape cert-manager.',
          description: 'Prometheus has no successful scrape of the cert-manager controller{{ with $labels.pod }} {{ . }}{{ end }} (job {{ $labels.job }}%s). Certificates may not be renewed, and the certificate alerts cannot fire without these metrics.' % common.inCluster,
        }),
      ],
    }],
  },
}
