// lab-bm-01: a small kubeadm cluster on three bare-metal nodes in the office
// rack, used for staging. One replica of everything, local disks, weekly
// Velero backups to the NAS. See docs/vars.md for every key.
{
  cluster: {
    name: 'lab-bm-01',
    provider: 'baremetal',
    environment: 'staging',
    platform: 'kubeadm',  // scheduler and controller-manager scraped on the control-plane node
  },

  prometheus: {
    replicas: 1,
    retention: '7d',
    storage: { size: '50Gi', class: 'local-path' },
    resources: { requests: { memory: '1Gi' } },
  },

  alertmanager: { replicas: 1 },

  kubelet: {
    // Nobody looks at prober metrics here: stop scraping /metrics/probes.
    probesDuplicateFix: 'dropEndpoint',
  },

  mixins: {
    velero: {
      enabled: true,
      backupMaxAgeSeconds: 8 * 24 * 3600,  // weekly schedule, plus a day
    },
  },
}
