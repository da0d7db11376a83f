// dc1-core: an on-premises cluster without access to the internet. Every
// image comes from the internal registry; the monitoring stack runs on its
// own tainted nodes; credentials come from Secrets created by the secret
// manager, never from this file. See docs/vars.md for every key.
{
  cluster: {
    name: 'dc1-core',
    provider: 'baremetal',
    environment: 'production',
    platform: 'kubeadm',
  },

  // Mirrored with their paths: registry.internal:5000/prometheus/prometheus:v…
  images: { registry: 'registry.internal:5000' },

  // The monitoring nodes: labelled, tainted, spread over three racks.
  allComponents: {
    nodeSelector: { 'node-role.kubernetes.io/monitoring': 'true' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'monitoring', effect: 'NoSchedule' }],
    priorityClassName: 'monitoring',
  },
  // node-exporter runs everywhere, and must not be evicted first.
  nodeExporter: { priorityClassName: 'system-node-critical' },

  addons: {
    antiAffinity: { enabled: true, topologyKey: 'topology.kubernetes.io/zone' },  // one rack each
    userFacingRoles: true,
  },

  prometheus: {
    replicas: 2,
    retention: '30d',
    storage: { size: '500Gi', class: 'local-ssd' },
    resources: { requests: { cpu: '4', memory: '16Gi' }, limits: { memory: '24Gi' } },
    externalUrl: 'https://prometheus.dc1.example.internal',
    enableFeatures: ['exemplar-storage'],
    // The SNMP and IPMI exporters' jobs, with their credentials.
    additionalScrapeConfigs: { name: 'prometheus-extra-scrape-configs', key: 'scrape-configs.yaml' },
  },

  alertmanager: {
    // No CPU limit: throttling delays notifications.
    resources: { limits: { cpu: null } },
  },

  grafana: {
    adminSecret: { name: 'grafana-admin' },
    datasources: [{
      name: 'Loki',
      type: 'loki',
      url: 'http://loki-gateway.logging.svc',
      basicAuth: true,
      basicAuthUser: 'grafana',
      jsonData: { maxLines: 5000 },
      secureJsonData: { basicAuthPassword: { name: 'loki-credentials', key: 'password' } },
    }],
  },

  upstream: {
    // Batch nodes run hot on purpose.
    kubernetesMixin: { cpuThrottlingPercent: 50 },
    // The local SSDs fill up fast: page earlier.
    nodeMixin: { fsSpaceFillingUpCriticalThreshold: 20 },
  },

  kubelet: { probesDuplicateFix: 'metricRelabelings' },
}
