// The components the small stand-in leaves out (blackbox exporter,
// kube-state-metrics, prometheus-adapter), with upstream's resource keys,
// kinds and labels. Each is a function of its values, like the others.
local labels(name, version, component) = {
  'app.kubernetes.io/name': name,
  'app.kubernetes.io/version': version,
  'app.kubernetes.io/component': component,
  'app.kubernetes.io/part-of': 'kube-prometheus',
};
local selector(l) = { [k]: l[k] for k in std.objectFields(l) if k != 'app.kubernetes.io/version' };

local rbacProxy(image, port, upstreamPort, name='kube-rbac-proxy') = {
  name: name,
  image: image,
  args: [
    '--secure-listen-address=:%d' % port,
    '--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
    '--upstream=http://127.0.0.1:%d/' % upstreamPort,
  ],
  ports: [{ containerPort: port, name: 'https-' + std.strReplace(name, 'kube-rbac-proxy-', '') }],
  resources: { limits: { cpu: '20m', memory: '40Mi' }, requests: { cpu: '10m', memory: '20Mi' } },
  securityContext: {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    readOnlyRootFilesystem: true,
    runAsGroup: 65532,
    runAsNonRoot: true,
    runAsUser: 65532,
    seccompProfile: { type: 'RuntimeDefault' },
  },
};

local common(c, component) = {
  local x = self,
  _labels:: labels(c.name, c.version, component),
  _metadata:: { name: c.name, namespace: c.namespace, labels: x._labels },
  serviceAccount: {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: x._metadata,
    automountServiceAccountToken: false,
  },
  clusterRoleBinding: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: c.name, labels: x._labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: c.name },
    subjects: [{ kind: 'ServiceAccount', name: c.name, namespace: c.namespace }],
  },
  networkPolicy: {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: x._metadata,
    spec: {
      egress: [{}],
      ingress: [{
        from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
        ports: [{ port: p.port, protocol: 'TCP' } for p in x.service.spec.ports],
      }],
      podSelector: { matchLabels: selector(x._labels) },
      policyTypes: ['Egress', 'Ingress'],
    },
  },
};

local deployment(c, l, containers, volumes=[], annotations={}) = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: c.name, namespace: c.namespace, labels: l },
  spec: {
    replicas: c.replicas,
    selector: { matchLabels: selector(l) },
    template: {
      metadata: { annotations: { 'kubectl.kubernetes.io/default-container': containers[0].name } + annotations, labels: l },
      spec: {
        automountServiceAccountToken: true,
        containers: containers,
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        securityContext: { runAsGroup: 65534, runAsNonRoot: true, runAsUser: 65534, fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
        serviceAccountName: c.name,
        volumes: volumes,
      },
    },
  },
};

local serviceMonitor(c, l, endpoints) = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name: c.name, namespace: c.namespace, labels: l },
  spec: {
    endpoints: endpoints,
    jobLabel: 'app.kubernetes.io/name',
    selector: { matchLabels: selector(l) },
  },
};

local httpsEndpoint(port, extra={}) = {
  port: port,
  scheme: 'https',
  interval: '30s',
  bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
  tlsConfig: { insecureSkipVerify: true },
} + extra;

{
  blackboxExporter(c):: common(c, 'exporter') {
    local x = self,
    local modules = {
      [m[0]]: { prober: m[1], timeout: '5s' } + m[2]
      for m in [
        ['http_2xx', 'http', { http: { preferred_ip_protocol: 'ip4' } }],
        ['http_post_2xx', 'http', { http: { method: 'POST', preferred_ip_protocol: 'ip4' } }],
        ['irc_banner', 'tcp', { tcp: { preferred_ip_protocol: 'ip4', query_response: [{ send: 'NICK prober' }, { send: 'USER prober prober prober :prober' }, { expect: 'PING :([^ ]+)', send: 'PONG ${1}' }, { expect: '^:[^ ]+ 001' }] } }],
        ['pop3s_banner', 'tcp', { tcp: { preferred_ip_protocol: 'ip4', query_response: [{ expect: '^+OK' }], tls: true, tls_config: { insecure_skip_verify: false } } }],
        ['ssh_banner', 'tcp', { tcp: { preferred_ip_protocol: 'ip4', query_response: [{ expect: '^SSH-2.0-' }] } }],
        ['tcp_connect', 'tcp', { tcp: { preferred_ip_protocol: 'ip4' } }],
      ]
    },
    clusterRole: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: c.name },
      rules: [
        { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
        { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
      ],
    },
    configuration: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: x._metadata { name: c.name + '-configuration' },
      data: { 'config.yml': std.manifestYamlDoc({ modules: modules }) },
    },
    deployment: deployment(c, x._labels, [
      {
        name: 'blackbox-exporter',
        image: c.image,
        args: ['--config.file=/etc/blackbox_exporter/config.yml', '--web.listen-address=:%d' % c.internalPort],
        ports: [{ containerPort: c.internalPort, name: 'http' }],
        resources: { limits: { cpu: '20m', memory: '40Mi' }, requests: { cpu: '10m', memory: '20Mi' } },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_RAW'] }, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 65534 },
        volumeMounts: [{ mountPath: '/etc/blackbox_exporter/', name: 'config', readOnly: true }],
      },
      {
        name: 'module-configmap-reloader',
        image: c.configmapReloaderImage,
        args: ['--webhook-url=http://localhost:%d/-/reload' % c.internalPort, '--volume-dir=/etc/blackbox_exporter/'],
        resources: { limits: { cpu: '20m', memory: '40Mi' }, requests: { cpu: '10m', memory: '20Mi' } },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 65534 },
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'FallbackToLogsOnError',
        volumeMounts: [{ mountPath: '/etc/blackbox_exporter/', name: 'config', readOnly: true }],
      },
      rbacProxy(c.kubeRbacProxyImage, c.port, c.internalPort),
    ], [{ configMap: { name: c.name + '-configuration' }, name: 'config' }], { 'checksum/config': std.md5(std.toString(modules)) }),
    service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: x._metadata,
      spec: {
        ports: [{ name: 'https', port: c.port, targetPort: 'https' }, { name: 'probe', port: c.internalPort, targetPort: 'http' }],
        selector: selector(x._labels),
      },
    },
    serviceMonitor: serviceMonitor(c, x._labels, [httpsEndpoint('https')]),
  },

  kubeStateMetrics(c):: common(c, 'exporter') {
    local x = self,
    local resources = [
      ['', ['configmaps', 'secrets', 'nodes', 'pods', 'services', 'serviceaccounts', 'resourcequotas', 'replicationcontrollers', 'limitranges', 'persistentvolumeclaims', 'persistentvolumes', 'namespaces', 'endpoints']],
      ['apps', ['statefulsets', 'daemonsets', 'deployments', 'replicasets']],
      ['batch', ['cronjobs', 'jobs']],
      ['autoscaling', ['horizontalpodautoscalers']],
      ['authentication.k8s.io', ['tokenreviews']],
      ['authorization.k8s.io', ['subjectaccessreviews']],
      ['policy', ['poddisruptionbudgets']],
      ['certificates.k8s.io', ['certificatesigningrequests']],
      ['discovery.k8s.io', ['endpointslices']],
      ['storage.k8s.io', ['storageclasses', 'volumeattachments']],
      ['admissionregistration.k8s.io', ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations']],
      ['networking.k8s.io', ['networkpolicies', 'ingressclasses', 'ingresses']],
      ['coordination.k8s.io', ['leases']],
      ['rbac.authorization.k8s.io', ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles']],
    ],
    clusterRole: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: c.name, labels: x._labels },
      rules: [
        {
          apiGroups: [r[0]],
          resources: r[1],
          verbs: if r[0] == 'authentication.k8s.io' || r[0] == 'authorization.k8s.io' then ['create'] else ['list', 'watch'],
        }
        for r in resources
      ],
    },
    deployment: deployment(c, x._labels, [
      {
        name: 'kube-state-metrics',
        image: c.image,
        args: ['--host=127.0.0.1', '--port=8081', '--telemetry-host=127.0.0.1', '--telemetry-port=8082'],
        resources: { limits: { cpu: '100m', memory: '250Mi' }, requests: { cpu: '10m', memory: '190Mi' } },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
      },
      rbacProxy(c.kubeRbacProxyImage, 8443, 8081, 'kube-rbac-proxy-main'),
      rbacProxy(c.kubeRbacProxyImage, 9443, 8082, 'kube-rbac-proxy-self'),
    ]),
    service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: x._metadata,
      spec: {
        clusterIP: 'None',
        ports: [{ name: 'https-main', port: 8443, targetPort: 'https-main' }, { name: 'https-self', port: 9443, targetPort: 'https-self' }],
        selector: selector(x._labels),
      },
    },
    serviceMonitor: serviceMonitor(c, x._labels, [
      httpsEndpoint('https-main', {
        honorLabels: true,
        scrapeTimeout: '30s',
        metricRelabelings: [{ action: 'drop', regex: 'kube_endpoint_address_not_ready|kube_endpoint_address_available', sourceLabels: ['__name__'] }],
        relabelings: [{ action: 'labeldrop', regex: '(pod|service|endpoint|namespace)' }],
      }),
      httpsEndpoint('https-self'),
    ]),
    mixin:: { _config:: c.mixin._config },
    prometheusRule: {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: x._metadata { name: c.name + '-rules', labels+: c.mixin.ruleLabels },
      spec: {
        local r = if std.objectHasAll(x.mixin, 'prometheusRules') then x.mixin.prometheusRules.groups else [],
        local a = if std.objectHasAll(x.mixin, 'prometheusAlerts') then x.mixin.prometheusAlerts.groups else [],
        groups: a + r,
      },
    },
  },

  prometheusAdapter(c):: common(c, 'metrics-adapter') {
    local x = self,
    local resourceRules = {
      cpu: {
        containerLabel: 'container',
        containerQuery: 'sum by (<<.GroupBy>>) (irate (container_cpu_usage_seconds_total{<<.LabelMatchers>>,container!="",pod!=""}[%s]))' % c.rangeInterval,
        nodeQuery: 'sum by (<<.GroupBy>>) (1 - irate(node_cpu_seconds_total{mode="idle"}[%s]) * on(namespace, pod) group_left(node) node_namespace_pod:kube_pod_info:{<<.LabelMatchers>>})' % c.rangeInterval,
        resources: { overrides: { namespace: { resource: 'namespace' }, node: { resource: 'node' }, pod: { resource: 'pod' } } },
      },
      memory: {
        containerLabel: 'container',
        containerQuery: 'sum by (<<.GroupBy>>) (container_memory_working_set_bytes{<<.LabelMatchers>>,container!="",pod!=""})',
        nodeQuery: 'sum by (<<.GroupBy>>) (node_memory_MemTotal_bytes{job="node-exporter",<<.LabelMatchers>>} - node_memory_MemAvailable_bytes{job="node-exporter",<<.LabelMatchers>>})',
        resources: { overrides: { instance: { resource: 'node' }, namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
      },
      window: c.rangeInterval,
    },
    apiService: {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1beta1.metrics.k8s.io', labels: x._labels },
      spec: {
        group: 'metrics.k8s.io',
        groupPriorityMinimum: 100,
        insecureSkipTLSVerify: true,
        service: { name: c.name, namespace: c.namespace },
        version: 'v1beta1',
        versionPriority: 100,
      },
    },
    clusterRole: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: c.name, labels: x._labels },
      rules: [{ apiGroups: [''], resources: ['nodes', 'namespaces', 'pods', 'services'], verbs: ['get', 'list', 'watch'] }],
    },
    clusterRoleAggregatedMetricsReader: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: {
        name: 'system:aggregated-metrics-reader',
        labels: x._labels {
          'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
          'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
          'rbac.authorization.k8s.io/aggregate-to-view': 'true',
        },
      },
      rules: [{ apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] }],
    },
    clusterRoleBindingDelegator: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'resource-metrics:system:auth-delegator', labels: x._labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' },
      subjects: [{ kind: 'ServiceAccount', name: c.name, namespace: c.namespace }],
    },
    clusterRoleServerResources: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'resource-metrics-server-resources', labels: x._labels },
      rules: [{ apiGroups: ['metrics.k8s.io'], resources: ['*'], verbs: ['*'] }],
    },
    configMap: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: x._metadata { name: 'adapter-config' },
      data: { 'config.yaml': std.manifestYamlDoc({ resourceRules: resourceRules }) },
    },
    deployment: deployment(c, x._labels, [{
      name: c.name,
      image: c.image,
      args: [
        '--cert-dir=/var/run/serving-cert',
        '--config=/etc/adapter/config.yaml',
        '--metrics-relist-interval=1m',
        '--prometheus-url=' + c.prometheusURL,
        '--secure-port=6443',
        '--tls-cipher-suites=TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
      ],
      livenessProbe: { failureThreshold: 5, httpGet: { path: '/livez', port: 'https', scheme: 'HTTPS' }, initialDelaySeconds: 30, periodSeconds: 5 },
      readinessProbe: { failureThreshold: 5, httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' }, initialDelaySeconds: 30, periodSeconds: 5 },
      ports: [{ containerPort: 6443, name: 'https' }],
      resources: { limits: { cpu: '250m', memory: '180Mi' }, requests: { cpu: '102m', memory: '180Mi' } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, seccompProfile: { type: 'RuntimeDefault' } },
      volumeMounts: [
        { mountPath: '/tmp', name: 'tmpfs', readOnly: false },
        { mountPath: '/var/run/serving-cert', name: 'volume-serving-cert', readOnly: false },
        { mountPath: '/etc/adapter', name: 'config', readOnly: false },
      ],
    }], [
      { emptyDir: {}, name: 'tmpfs' },
      { emptyDir: {}, name: 'volume-serving-cert' },
      { configMap: { name: 'adapter-config' }, name: 'config' },
    ], { 'checksum.config/md5': std.md5(std.toString(resourceRules)) }),
    podDisruptionBudget: {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: x._metadata,
      spec: { minAvailable: 1, selector: { matchLabels: selector(x._labels) } },
    },
    roleBindingAuthReader: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'resource-metrics-auth-reader', namespace: 'kube-system', labels: x._labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'extension-apiserver-authentication-reader' },
      subjects: [{ kind: 'ServiceAccount', name: c.name, namespace: c.namespace }],
    },
    service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: x._metadata,
      spec: { ports: [{ name: 'https', port: 443, targetPort: 6443 }], selector: selector(x._labels) },
    },
    serviceMonitor: serviceMonitor(c, x._labels, [httpsEndpoint('https', {
      metricRelabelings: [{ action: 'drop', regex: '(apiserver_client_certificate_.*|apiserver_envelope_.*|apiserver_flowcontrol_.*|apiserver_storage_.*|apiserver_webhooks_.*|workqueue_.*)', sourceLabels: ['__name__'] }],
    })]),
  },

  // Control-plane ServiceMonitors the stand-in leaves out.
  controlPlaneMonitors(namespace):: {
    local m(name, port, selectorLabels, ns='kube-system', extra={}) = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: {
        name: name,
        namespace: namespace,
        labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'kube-prometheus' },
      },
      spec: {
        endpoints: [httpsEndpoint(port, extra)],
        jobLabel: 'app.kubernetes.io/name',
        namespaceSelector: { matchNames: [ns] },
        selector: { matchLabels: selectorLabels },
      },
    },
    serviceMonitorCoreDNS: m('coredns', 'metrics', { 'k8s-app': 'kube-dns' }, extra={ scheme: 'http', interval: '15s', tlsConfig: {} }),
    serviceMonitorKubeControllerManager: m('kube-controller-manager', 'https-metrics', { 'app.kubernetes.io/name': 'kube-controller-manager' }, extra={
      metricRelabelings: [
        { action: 'drop', regex: 'kubelet_(pod_worker_latency_microseconds|pod_start_latency_microseconds|cgroup_manager_latency_microseconds|pod_worker_start_latency_microseconds|pleg_relist_latency_microseconds|pleg_relist_interval_microseconds|runtime_operations|runtime_operations_latency_microseconds|runtime_operations_errors|eviction_stats_age_microseconds|device_plugin_registration_count|device_plugin_alloc_latency_microseconds|network_plugin_operations_latency_microseconds)', sourceLabels: ['__name__'] },
        { action: 'drop', regex: 'scheduler_(e2e_scheduling_latency_microseconds|scheduling_algorithm_predicate_evaluation|scheduling_algorithm_priority_evaluation|scheduling_algorithm_preemption_evaluation|scheduling_algorithm_latency_microseconds|binding_latency_microseconds|scheduling_latency_seconds)', sourceLabels: ['__name__'] },
        { action: 'drop', regex: 'apiserver_(request_count|request_latencies|request_latencies_summary|dropped_requests|storage_data_key_generation_latencies_microseconds|storage_transformation_failures_total|storage_transformation_latencies_microseconds|proxy_tunnel_sync_latency_secs|longrunning_gauge|registered_watchers)', sourceLabels: ['__name__'] },
        { action: 'drop', regex: 'etcd_(debugging|disk|request|server).*', sourceLabels: ['__name__'] },
      ],
    }),
    serviceMonitorKubeScheduler: m('kube-scheduler', 'https-metrics', { 'app.kubernetes.io/name': 'kube-scheduler' }),
  },
}
