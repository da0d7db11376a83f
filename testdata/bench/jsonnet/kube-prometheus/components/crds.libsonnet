// The monitoring.coreos.com CustomResourceDefinitions at roughly the size
// of prometheus-operator's: large OpenAPI schemas built from shared types
// (containers, volumes, affinity, HTTP client settings, …) that each CRD
// embeds with its own documentation. The field names follow Kubernetes and
// prometheus-operator; the schemas are generated and the text is filler.
local o = import '../lib/openapi.libsonnet';
local S = o.S, B = o.B, I = o.I, I64 = o.I64, N = o.N, D = o.D, Q = o.Q, IS = o.IS, E = o.E, A = o.A, M = o.M, O = o.O, Free = o.Free;

// Kubernetes core types.
local keyRef = O({ key: S, name: S, optional: B }, ['key'], atomic=true);
local localRef = O({ name: S }, atomic=true);
local selectorRequirement = O({ key: S, operator: S, values: A(S, 'atomic') }, ['key', 'operator']);
local labelSelector = O({ matchExpressions: A(selectorRequirement, 'atomic'), matchLabels: M(S) }, atomic=true);
local nodeSelectorTerm = O({ matchExpressions: A(selectorRequirement, 'atomic'), matchFields: A(selectorRequirement, 'atomic') }, atomic=true);
local podAffinityTerm = O({
  labelSelector: labelSelector,
  matchLabelKeys: A(S, 'atomic'),
  mismatchLabelKeys: A(S, 'atomic'),
  namespaceSelector: labelSelector,
  namespaces: A(S, 'atomic'),
  topologyKey: S,
}, ['topologyKey']);
local weighted(term, key) = O({ [key]: term, weight: I }, [key, 'weight']);
local affinity = O({
  nodeAffinity: O({
    preferredDuringSchedulingIgnoredDuringExecution: A(weighted(nodeSelectorTerm, 'preference'), 'atomic'),
    requiredDuringSchedulingIgnoredDuringExecution: O({ nodeSelectorTerms: A(nodeSelectorTerm, 'atomic') }, ['nodeSelectorTerms'], atomic=true),
  }),
  podAffinity: O({
    preferredDuringSchedulingIgnoredDuringExecution: A(weighted(podAffinityTerm, 'podAffinityTerm'), 'atomic'),
    requiredDuringSchedulingIgnoredDuringExecution: A(podAffinityTerm, 'atomic'),
  }),
  podAntiAffinity: O({
    preferredDuringSchedulingIgnoredDuringExecution: A(weighted(podAffinityTerm, 'podAffinityTerm'), 'atomic'),
    requiredDuringSchedulingIgnoredDuringExecution: A(podAffinityTerm, 'atomic'),
  }),
});
local resources = O({
  claims: A(O({ name: S, request: S }, ['name']), 'map'),
  limits: M(Q),
  requests: M(Q),
});
local httpGet = O({
  host: S,
  httpHeaders: A(O({ name: S, value: S }, ['name', 'value']), 'atomic'),
  path: S,
  port: IS,
  scheme: S,
}, ['port']);
local handler = {
  exec: O({ command: A(S, 'atomic') }),
  httpGet: httpGet,
  tcpSocket: O({ host: S, port: IS }, ['port']),
};
local probe = O(handler {
  failureThreshold: I,
  grpc: O({ port: I, service: S }, ['port']),
  initialDelaySeconds: I,
  periodSeconds: I,
  successThreshold: I,
  terminationGracePeriodSeconds: I64,
  timeoutSeconds: I,
});
local seLinux = O({ level: S, role: S, type: S, user: S });
local seccomp = O({ localhostProfile: S, type: S }, ['type']);
local securityContext = O({
  allowPrivilegeEscalation: B,
  appArmorProfile: O({ localhostProfile: S, type: S }, ['type']),
  capabilities: O({ add: A(S, 'atomic'), drop: A(S, 'atomic') }),
  privileged: B,
  procMount: S,
  readOnlyRootFilesystem: B,
  runAsGroup: I64,
  runAsNonRoot: B,
  runAsUser: I64,
  seLinuxOptions: seLinux,
  seccompProfile: seccomp,
  windowsOptions: O({ gmsaCredentialSpec: S, gmsaCredentialSpecName: S, hostProcess: B, runAsUserName: S }),
});
local envVar = O({
  name: S,
  value: S,
  valueFrom: O({
    configMapKeyRef: keyRef,
    fieldRef: O({ apiVersion: S, fieldPath: S }, ['fieldPath'], atomic=true),
    resourceFieldRef: O({ containerName: S, divisor: Q, resource: S }, ['resource'], atomic=true),
    secretKeyRef: keyRef,
  }),
}, ['name']);
local volumeMount = O({ mountPath: S, mountPropagation: S, name: S, readOnly: B, recursiveReadOnly: S, subPath: S, subPathExpr: S }, ['mountPath', 'name']);
local container = O({
  args: A(S, 'atomic'),
  command: A(S, 'atomic'),
  env: A(envVar, 'map'),
  envFrom: A(O({ configMapRef: localRef, prefix: S, secretRef: localRef }), 'atomic'),
  image: S,
  imagePullPolicy: S,
  lifecycle: O({ postStart: O(handler { sleep: O({ seconds: I64 }, ['seconds']) }), preStop: O(handler { sleep: O({ seconds: I64 }, ['seconds']) }), stopSignal: S }),
  livenessProbe: probe,
  name: S,
  ports: A(O({ containerPort: I, hostIP: S, hostPort: I, name: S, protocol: S }, ['containerPort']), 'map'),
  readinessProbe: probe,
  resizePolicy: A(O({ resourceName: S, restartPolicy: S }, ['resourceName', 'restartPolicy']), 'atomic'),
  resources: resources,
  restartPolicy: S,
  securityContext: securityContext,
  startupProbe: probe,
  stdin: B,
  stdinOnce: B,
  terminationMessagePath: S,
  terminationMessagePolicy: S,
  tty: B,
  volumeDevices: A(O({ devicePath: S, name: S }, ['devicePath', 'name']), 'map'),
  volumeMounts: A(volumeMount, 'map'),
  workingDir: S,
}, ['name']);
local keyToPath = A(O({ key: S, mode: I, path: S }, ['key', 'path']), 'atomic');
local pvcSpec = O({
  accessModes: A(S, 'atomic'),
  dataSource: O({ apiGroup: S, kind: S, name: S }, ['kind', 'name'], atomic=true),
  dataSourceRef: O({ apiGroup: S, kind: S, name: S, namespace: S }, ['kind', 'name']),
  resources: O({ limits: M(Q), requests: M(Q) }),
  selector: labelSelector,
  storageClassName: S,
  volumeAttributesClassName: S,
  volumeMode: S,
  volumeName: S,
});
local embeddedMeta = O({ annotations: M(S), labels: M(S), name: S });
local volume = O({
  name: S,
  awsElasticBlockStore: O({ fsType: S, partition: I, readOnly: B, volumeID: S }, ['volumeID']),
  azureDisk: O({ cachingMode: S, diskName: S, diskURI: S, fsType: S, kind: S, readOnly: B }, ['diskName', 'diskURI']),
  azureFile: O({ readOnly: B, secretName: S, shareName: S }, ['secretName', 'shareName']),
  cephfs: O({ monitors: A(S, 'atomic'), path: S, readOnly: B, secretFile: S, secretRef: localRef, user: S }, ['monitors']),
  cinder: O({ fsType: S, readOnly: B, secretRef: localRef, volumeID: S }, ['volumeID']),
  configMap: O({ defaultMode: I, items: keyToPath, name: S, optional: B }, atomic=true),
  csi: O({ driver: S, fsType: S, nodePublishSecretRef: localRef, readOnly: B, volumeAttributes: M(S) }, ['driver']),
  downwardAPI: O({ defaultMode: I, items: A(O({ fieldRef: O({ apiVersion: S, fieldPath: S }, ['fieldPath']), mode: I, path: S }, ['path']), 'atomic') }),
  emptyDir: O({ medium: S, sizeLimit: Q }),
  ephemeral: O({ volumeClaimTemplate: O({ metadata: Free, spec: pvcSpec }, ['spec']) }),
  fc: O({ fsType: S, lun: I, readOnly: B, targetWWNs: A(S, 'atomic'), wwids: A(S, 'atomic') }),
  flexVolume: O({ driver: S, fsType: S, options: M(S), readOnly: B, secretRef: localRef }, ['driver']),
  flocker: O({ datasetName: S, datasetUUID: S }),
  gcePersistentDisk: O({ fsType: S, partition: I, pdName: S, readOnly: B }, ['pdName']),
  gitRepo: O({ directory: S, repository: S, revision: S }, ['repository']),
  glusterfs: O({ endpoints: S, path: S, readOnly: B }, ['endpoints', 'path']),
  hostPath: O({ path: S, type: S }, ['path']),
  image: O({ pullPolicy: S, reference: S }),
  iscsi: O({ chapAuthDiscovery: B, chapAuthSession: B, fsType: S, initiatorName: S, iqn: S, iscsiInterface: S, lun: I, portals: A(S, 'atomic'), readOnly: B, secretRef: localRef, targetPortal: S }, ['iqn', 'lun', 'targetPortal']),
  nfs: O({ path: S, readOnly: B, server: S }, ['path', 'server']),
  persistentVolumeClaim: O({ claimName: S, readOnly: B }, ['claimName']),
  photonPersistentDisk: O({ fsType: S, pdID: S }, ['pdID']),
  portworxVolume: O({ fsType: S, readOnly: B, volumeID: S }, ['volumeID']),
  projected: O({
    defaultMode: I,
    sources: A(O({
      clusterTrustBundle: O({ labelSelector: labelSelector, name: S, optional: B, path: S, signerName: S }, ['path']),
      configMap: O({ items: keyToPath, name: S, optional: B }, atomic=true),
      secret: O({ items: keyToPath, name: S, optional: B }, atomic=true),
      serviceAccountToken: O({ audience: S, expirationSeconds: I64, path: S }, ['path']),
    }), 'atomic'),
  }),
  quobyte: O({ group: S, readOnly: B, registry: S, tenant: S, user: S, volume: S }, ['registry', 'volume']),
  rbd: O({ fsType: S, image: S, keyring: S, monitors: A(S, 'atomic'), pool: S, readOnly: B, secretRef: localRef, user: S }, ['image', 'monitors']),
  scaleIO: O({ fsType: S, gateway: S, protectionDomain: S, readOnly: B, secretRef: localRef, sslEnabled: B, storageMode: S, storagePool: S, system: S, volumeName: S }, ['gateway', 'secretRef', 'system']),
  secret: O({ defaultMode: I, items: keyToPath, optional: B, secretName: S }),
  storageos: O({ fsType: S, readOnly: B, secretRef: localRef, volumeName: S, volumeNamespace: S }),
  vsphereVolume: O({ fsType: S, storagePolicyID: S, storagePolicyName: S, volumePath: S }, ['volumePath']),
}, ['name']);
local toleration = O({ effect: S, key: S, operator: S, tolerationSeconds: I64, value: S });
local topologySpread = O({
  labelSelector: labelSelector,
  matchLabelKeys: A(S, 'atomic'),
  maxSkew: I,
  minDomains: I,
  nodeAffinityPolicy: S,
  nodeTaintsPolicy: S,
  topologyKey: S,
  whenUnsatisfiable: S,
}, ['maxSkew', 'topologyKey', 'whenUnsatisfiable']);
local podSecurityContext = O({
  appArmorProfile: O({ localhostProfile: S, type: S }, ['type']),
  fsGroup: I64,
  fsGroupChangePolicy: S,
  runAsGroup: I64,
  runAsNonRoot: B,
  runAsUser: I64,
  seLinuxChangePolicy: S,
  seLinuxOptions: seLinux,
  seccompProfile: seccomp,
  supplementalGroups: A(I64, 'atomic'),
  supplementalGroupsPolicy: S,
  sysctls: A(O({ name: S, value: S }, ['name', 'value']), 'atomic'),
  windowsOptions: O({ gmsaCredentialSpec: S, gmsaCredentialSpecName: S, hostProcess: B, runAsUserName: S }),
});
local storageSpec = O({
  disableMountSubPath: B,
  emptyDir: O({ medium: S, sizeLimit: Q }),
  ephemeral: O({ volumeClaimTemplate: O({ metadata: Free, spec: pvcSpec }, ['spec']) }),
  volumeClaimTemplate: O({ apiVersion: S, kind: S, metadata: embeddedMeta, spec: pvcSpec, status: O({ accessModes: A(S, 'atomic'), capacity: M(Q), phase: S }) }),
});

// HTTP client settings, shared by every scrape and notification config.
local safeTLS = O({
  ca: O({ configMap: keyRef, secret: keyRef }),
  cert: O({ configMap: keyRef, secret: keyRef }),
  insecureSkipVerify: B,
  keySecret: keyRef,
  maxVersion: E(['TLS10', 'TLS11', 'TLS12', 'TLS13']),
  minVersion: E(['TLS10', 'TLS11', 'TLS12', 'TLS13']),
  serverName: S,
});
local tlsConfig = O({
  ca: O({ configMap: keyRef, secret: keyRef }),
  caFile: S,
  cert: O({ configMap: keyRef, secret: keyRef }),
  certFile: S,
  insecureSkipVerify: B,
  keyFile: S,
  keySecret: keyRef,
  maxVersion: E(['TLS10', 'TLS11', 'TLS12', 'TLS13']),
  minVersion: E(['TLS10', 'TLS11', 'TLS12', 'TLS13']),
  serverName: S,
});
local proxy = {
  noProxy: S,
  proxyConnectHeader: M(A(keyRef)),
  proxyFromEnvironment: B,
  proxyUrl: S,
};
local oauth2 = O(proxy {
  clientId: O({ configMap: keyRef, secret: keyRef }),
  clientSecret: keyRef,
  endpointParams: M(S),
  scopes: A(S),
  tlsConfig: safeTLS,
  tokenUrl: S,
}, ['clientId', 'clientSecret', 'tokenUrl']);
local basicAuth = O({ password: keyRef, username: keyRef });
local authorization = O({ credentials: keyRef, credentialsFile: S, type: S });
local httpClient = proxy {
  authorization: authorization,
  basicAuth: basicAuth,
  bearerTokenSecret: keyRef,
  enableHttp2: B,
  followRedirects: B,
  oauth2: oauth2,
  tlsConfig: safeTLS,
};
local relabel = O({
  action: E(['replace', 'Replace', 'keep', 'Keep', 'drop', 'Drop', 'hashmod', 'HashMod', 'labelmap', 'LabelMap', 'labeldrop', 'LabelDrop', 'labelkeep', 'LabelKeep', 'lowercase', 'Lowercase', 'uppercase', 'Uppercase', 'keepequal', 'KeepEqual', 'dropequal', 'DropEqual']),
  modulus: I64,
  regex: S,
  replacement: S,
  separator: S,
  sourceLabels: A(S),
  targetLabel: S,
});
local scrapeLimits = {
  keepDroppedTargets: I64,
  labelLimit: I64,
  labelNameLengthLimit: I64,
  labelValueLengthLimit: I64,
  nativeHistogramBucketLimit: I64,
  nativeHistogramMinBucketFactor: Q,
  sampleLimit: I64,
  scrapeClassicHistograms: B,
  scrapeProtocols: A(E(['PrometheusProto', 'OpenMetricsText0.0.1', 'OpenMetricsText1.0.0', 'PrometheusText0.0.4', 'PrometheusText1.0.0']), 'set'),
  targetLimit: I64,
};
local endpoint(pathKey) = O(httpClient {
  honorLabels: B,
  honorTimestamps: B,
  interval: D,
  metricRelabelings: A(relabel),
  params: M(A(S)),
  [pathKey]: S,
  port: S,
  relabelings: A(relabel),
  scheme: E(['http', 'https', 'HTTP', 'HTTPS']),
  scrapeTimeout: D,
  targetPort: IS,
  trackTimestampsStaleness: B,
  filterRunning: B,
});
local remoteWrite = O(httpClient {
  azureAd: O({ cloud: E(['AzureChina', 'AzureGovernment', 'AzurePublic']), managedIdentity: O({ clientId: S }), oauth: O({ clientId: S, clientSecret: keyRef, tenantId: S }), sdk: O({ tenantId: S }) }),
  headers: M(S),
  messageVersion: E(['V1.0', 'V2.0']),
  metadataConfig: O({ maxSamplesPerSend: I, send: B, sendInterval: D }),
  name: S,
  queueConfig: O({ batchSendDeadline: D, capacity: I, maxBackoff: D, maxRetries: I, maxSamplesPerSend: I, maxShards: I, minBackoff: D, minShards: I, retryOnRateLimit: B, sampleAgeLimit: D }),
  remoteTimeout: D,
  roundRobinDNS: B,
  sendExemplars: B,
  sendNativeHistograms: B,
  sigv4: O({ accessKey: keyRef, profile: S, region: S, roleArn: S, secretKey: keyRef, useFIPSSTSEndpoint: B }),
  url: S,
  writeRelabelConfigs: A(relabel),
}, ['url']);
local remoteRead = O(httpClient {
  filterExternalLabels: B,
  headers: M(S),
  name: S,
  readRecent: B,
  remoteTimeout: D,
  requiredMatchers: M(S),
  url: S,
}, ['url']);

// The fields every operator-managed StatefulSet has.
local podFields = {
  affinity: affinity,
  automountServiceAccountToken: B,
  containers: A(container),
  dnsConfig: O({ nameservers: A(S, 'set'), options: A(O({ name: S, value: S }, ['name']), 'map'), searches: A(S, 'set') }),
  dnsPolicy: E(['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']),
  enableServiceLinks: B,
  hostAliases: A(O({ hostnames: A(S), ip: S }, ['hostnames', 'ip']), 'map'),
  hostNetwork: B,
  hostUsers: B,
  image: S,
  imagePullPolicy: E(['', 'Always', 'Never', 'IfNotPresent']),
  imagePullSecrets: A(localRef),
  initContainers: A(container),
  minReadySeconds: I,
  nodeSelector: M(S),
  paused: B,
  podMetadata: embeddedMeta,
  portName: S,
  priorityClassName: S,
  replicas: I,
  resources: resources,
  securityContext: podSecurityContext,
  serviceAccountName: S,
  serviceName: S,
  storage: storageSpec,
  terminationGracePeriodSeconds: I64,
  tolerations: A(toleration),
  topologySpreadConstraints: A(topologySpread),
  version: S,
  volumeMounts: A(volumeMount),
  volumes: A(volume),
  web: O({
    httpConfig: O({ headers: O({ contentSecurityPolicy: S, strictTransportSecurity: S, xContentTypeOptions: E(['', 'NoSniff']), xFrameOptions: E(['', 'Deny', 'SameOrigin']), xXSSProtection: S }), http2: B }),
    tlsConfig: O({
      cert: O({ configMap: keyRef, secret: keyRef }),
      certFile: S,
      cipherSuites: A(S),
      clientAuthType: S,
      clientCAFile: S,
      client_ca: O({ configMap: keyRef, secret: keyRef }),
      curvePreferences: A(S),
      keyFile: S,
      keySecret: keyRef,
      maxVersion: S,
      minVersion: S,
      preferServerCipherSuites: B,
    }),
  }),
};

local status = O({
  availableReplicas: I,
  conditions: A(O({ lastTransitionTime: S, message: S, observedGeneration: I64, reason: S, status: S, type: S }, ['lastTransitionTime', 'status', 'type']), 'map'),
  paused: B,
  replicas: I,
  selector: S,
  shardStatuses: A(O({ availableReplicas: I, replicas: I, shardID: S, unavailableReplicas: I, updatedReplicas: I }, ['availableReplicas', 'replicas', 'shardID', 'unavailableReplicas', 'updatedReplicas']), 'map'),
  shards: I,
  unavailableReplicas: I,
  updatedReplicas: I,
});

local monitorSelectors = {
  [k + 'Selector']: labelSelector
  for k in ['serviceMonitor', 'serviceMonitorNamespace', 'podMonitor', 'podMonitorNamespace', 'probe', 'probeNamespace', 'scrapeConfig', 'scrapeConfigNamespace']
};

local commonPrometheus = podFields + monitorSelectors + scrapeLimits {
  additionalArgs: A(O({ name: S, value: S }, ['name'])),
  additionalScrapeConfigs: keyRef,
  apiserverConfig: O(httpClient { authorization: authorization, bearerToken: S, bearerTokenFile: S, host: S }, ['host']),
  arbitraryFSAccessThroughSMs: O({ deny: B }),
  bodySizeLimit: S,
  configMaps: A(S),
  enableFeatures: A(S, 'set'),
  enableRemoteWriteReceiver: B,
  enforcedBodySizeLimit: S,
  enforcedLabelLimit: I64,
  enforcedNamespaceLabel: S,
  enforcedSampleLimit: I64,
  enforcedTargetLimit: I64,
  evaluationInterval: D,
  externalLabels: M(S),
  externalUrl: S,
  ignoreNamespaceSelectors: B,
  listenLocal: B,
  logFormat: E(['', 'logfmt', 'json']),
  logLevel: E(['', 'debug', 'info', 'warn', 'error']),
  otlp: O({ convertHistogramsToNHCB: B, ignoreResourceAttributes: A(S, 'set'), keepIdentifyingResourceAttributes: B, promoteAllResourceAttributes: B, promoteResourceAttributes: A(S, 'set'), translationStrategy: E(['NoUTF8EscapingWithSuffixes', 'UnderscoreEscapingWithSuffixes', 'NoTranslation']) }),
  prometheusExternalLabelName: S,
  remoteWrite: A(remoteWrite),
  remoteWriteReceiverMessageVersions: A(E(['V1.0', 'V2.0']), 'set'),
  replicaExternalLabelName: S,
  scrapeClasses: A(O({ attachMetadata: O({ node: B }), default: B, metricRelabelings: A(relabel), name: S, relabelings: A(relabel), tlsConfig: tlsConfig, authorization: authorization }, ['name']), 'map'),
  scrapeInterval: D,
  scrapeTimeout: D,
  secrets: A(S),
  shards: I,
  tsdb: O({ outOfOrderTimeWindow: D }),
  walCompression: B,
};

local crd(kind, plural, short, spec, specRequired=[], printer=[]) = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: {
    annotations: { 'controller-gen.kubebuilder.io/version': 'v0.18.0', 'operator.prometheus.io/version': '0.92.0' },
    name: plural + '.monitoring.coreos.com',
  },
  spec: {
    group: 'monitoring.coreos.com',
    names: {
      categories: ['prometheus-operator'],
      kind: kind,
      listKind: kind + 'List',
      plural: plural,
      shortNames: [short],
      singular: std.asciiLower(kind),
    },
    scope: 'Namespaced',
    versions: [{
      additionalPrinterColumns: [{ description: 'Age of the object', jsonPath: '.metadata.creationTimestamp', name: 'Age', type: 'date' }] + printer,
      name: 'v1',
      schema: {
        openAPIV3Schema: {
          local ctx = o.seed(1, kind),
          description: o.desc(ctx, 'kind'),
          properties: {
            apiVersion: S(ctx, 'apiVersion'),
            kind: S(ctx, 'kind'),
            metadata: { type: 'object' },
            spec: O(spec, specRequired)(ctx, 'spec'),
          } + (if kind != 'ServiceMonitor' && kind != 'PodMonitor' && kind != 'Probe' && kind != 'PrometheusRule' then { status: status(ctx, 'status') } else {}),
          required: ['spec'],
          type: 'object',
        },
      },
      served: true,
      storage: true,
      subresources: { status: {} },
    }],
  },
};

// Alertmanager notification integrations, each with its HTTP client.
local receiverConfigs = {
  [r[0] + 'Configs']: A(O(r[1] { httpConfig: O(httpClient), sendResolved: B }))
  for r in [
    ['email', { authIdentity: S, authPassword: keyRef, authSecret: keyRef, authUsername: S, from: S, headers: A(O({ key: S, value: S }, ['key', 'value'])), hello: S, html: S, requireTLS: B, smarthost: S, text: S, tlsConfig: safeTLS, to: S }],
    ['msteams', { summary: S, text: S, title: S, webhookUrl: keyRef }],
    ['opsgenie', { actions: S, apiKey: keyRef, apiURL: S, description: S, details: A(O({ key: S, value: S })), entity: S, message: S, note: S, priority: S, responders: A(O({ id: S, name: S, type: S, username: S })), source: S, tags: S, updateAlerts: B }],
    ['pagerduty', { class: S, client: S, clientURL: S, component: S, description: S, details: A(O({ key: S, value: S })), group: S, pagerDutyImageConfigs: A(O({ alt: S, href: S, src: S })), pagerDutyLinkConfigs: A(O({ alt: S, href: S })), routingKey: keyRef, serviceKey: keyRef, severity: S, source: S, url: S }],
    ['pushover', { device: S, expire: S, html: B, priority: S, retry: S, sound: S, title: S, token: keyRef, tokenFile: S, ttl: D, url: S, urlTitle: S, userKey: keyRef, userKeyFile: S }],
    ['slack', { actions: A(O({ confirm: O({ dismissText: S, okText: S, text: S, title: S }), name: S, style: S, text: S, type: S, url: S, value: S })), apiURL: keyRef, callbackId: S, channel: S, color: S, fallback: S, fields: A(O({ short: B, title: S, value: S })), footer: S, iconEmoji: S, iconURL: S, imageURL: S, linkNames: B, mrkdwnIn: A(S), pretext: S, shortFields: B, text: S, thumbURL: S, title: S, titleLink: S, username: S }],
    ['sns', { apiURL: S, attributes: M(S), message: S, phoneNumber: S, sigv4: O({ accessKey: keyRef, profile: S, region: S, roleArn: S, secretKey: keyRef }), subject: S, targetARN: S, topicARN: S }],
    ['telegram', { apiURL: S, botToken: keyRef, botTokenFile: S, chatID: I64, disableNotifications: B, message: S, messageThreadID: I64, parseMode: S }],
    ['victorops', { apiKey: keyRef, apiUrl: S, customFields: A(O({ key: S, value: S })), entityDisplayName: S, messageType: S, monitoringTool: S, routingKey: S, stateMessage: S }],
    ['webhook', { maxAlerts: I, timeout: D, url: S, urlSecret: keyRef }],
    ['wechat', { agentID: S, apiSecret: keyRef, apiURL: S, corpID: S, message: S, messageType: S, toParty: S, toTag: S, toUser: S }],
  ]
};

// Service discovery mechanisms of ScrapeConfig, each with its HTTP client.
local sdConfigs = {
  [sd[0] + 'SDConfigs']: A(O(httpClient + sd[1] { refreshInterval: D }))
  for sd in [
    ['azure', { authenticationMethod: S, clientID: S, clientSecret: keyRef, environment: S, port: I, resourceGroup: S, subscriptionID: S, tenantID: S }],
    ['consul', { allowStale: B, datacenter: S, filter: S, namespace: S, nodeMeta: M(S), partition: S, pathPrefix: S, scheme: S, server: S, services: A(S), tagSeparator: S, tags: A(S), tokenRef: keyRef }],
    ['digitalOcean', { port: I }],
    ['dns', { names: A(S), port: I, type: S }],
    ['docker', { filters: A(O({ name: S, values: A(S) })), host: S, hostNetworkingHost: S, matchFirstNetwork: B, port: I }],
    ['dockerSwarm', { filters: A(O({ name: S, values: A(S) })), host: S, port: I, role: S }],
    ['ec2', { accessKey: keyRef, filters: A(O({ name: S, values: A(S) })), port: I, region: S, roleARN: S, secretKey: keyRef }],
    ['gce', { filter: S, port: I, project: S, tagSeparator: S, zone: S }],
    ['http', { url: S }],
    ['kubernetes', { apiServer: S, attachMetadata: O({ node: B }), namespaces: O({ names: A(S), ownNamespace: B }), role: S, selectors: A(O({ field: S, label: S, role: S })) }],
    ['openstack', { allTenants: B, applicationCredentialId: S, applicationCredentialName: S, applicationCredentialSecret: keyRef, availability: S, domainID: S, domainName: S, identityEndpoint: S, password: keyRef, port: I, projectID: S, projectName: S, region: S, role: S, userid: S, username: S }],
  ]
};

{
  '0alertmanagerConfigCustomResourceDefinition': crd('AlertmanagerConfig', 'alertmanagerconfigs', 'amcfg', {
    inhibitRules: A(O({ equal: A(S), sourceMatch: A(O({ matchType: E(['!=', '=', '=~', '!~']), name: S, value: S }, ['name'])), targetMatch: A(O({ matchType: E(['!=', '=', '=~', '!~']), name: S, value: S }, ['name'])) })),
    receivers: A(O(receiverConfigs { name: S }, ['name'])),
    route: O({ activeTimeIntervals: A(S), continue: B, groupBy: A(S), groupInterval: S, groupWait: S, matchers: A(O({ matchType: E(['!=', '=', '=~', '!~']), name: S, regex: B, value: S }, ['name'])), muteTimeIntervals: A(S), receiver: S, repeatInterval: S, routes: A(Free) }),
    timeIntervals: A(O({ name: S, timeIntervals: A(O({ daysOfMonth: A(O({ end: I, start: I })), months: A(S), times: A(O({ endTime: S, startTime: S })), weekdays: A(S), years: A(S) })) }, ['name'])),
  }),
  '0alertmanagerCustomResourceDefinition': crd('Alertmanager', 'alertmanagers', 'am', podFields {
    additionalArgs: A(O({ name: S, value: S }, ['name'])),
    additionalPeers: A(S),
    alertmanagerConfigMatcherStrategy: O({ type: E(['OnNamespace', 'OnNamespaceExceptForAlertmanagerNamespace', 'None']) }),
    alertmanagerConfigNamespaceSelector: labelSelector,
    alertmanagerConfigSelector: labelSelector,
    alertmanagerConfiguration: O({
      global: O({ httpConfig: O(httpClient), opsGenieApiKey: keyRef, opsGenieApiUrl: keyRef, pagerdutyUrl: S, resolveTimeout: D, slackApiUrl: keyRef, smtp: O({ authIdentity: S, authPassword: keyRef, authSecret: keyRef, authUsername: S, from: S, hello: S, requireTLS: B, smartHost: O({ host: S, port: S }, ['host', 'port']), tlsConfig: safeTLS }), telegram: O({ apiURL: S }), webex: O({ apiURL: S }) }),
      name: S,
      templates: A(O({ configMap: keyRef, secret: keyRef })),
    }),
    clusterAdvertiseAddress: S,
    clusterGossipInterval: D,
    clusterLabel: S,
    clusterPeerTimeout: D,
    clusterPushpullInterval: D,
    clusterTLS: O({ client: O({ tlsConfig: safeTLS }), server: O({ cert: O({ configMap: keyRef, secret: keyRef }), clientAuthType: S }) }),
    configMaps: A(S),
    configSecret: S,
    enableFeatures: A(S),
    externalUrl: S,
    forceEnableClusterMode: B,
    listenLocal: B,
    logFormat: E(['', 'logfmt', 'json']),
    logLevel: E(['', 'debug', 'info', 'warn', 'error']),
    retention: S,
    routePrefix: S,
    secrets: A(S),
  }),
  '0podmonitorCustomResourceDefinition': crd('PodMonitor', 'podmonitors', 'pmon', scrapeLimits {
    attachMetadata: O({ node: B }),
    jobLabel: S,
    namespaceSelector: O({ any: B, matchNames: A(S) }),
    podMetricsEndpoints: A(endpoint('path')),
    podTargetLabels: A(S),
    scrapeClass: S,
    selector: labelSelector,
    selectorMechanism: E(['RelabelConfig', 'RoleSelector']),
  }, ['selector']),
  '0probeCustomResourceDefinition': crd('Probe', 'probes', 'prb', scrapeLimits + httpClient {
    interval: D,
    jobName: S,
    metricRelabelings: A(relabel),
    module: S,
    prober: O({ path: S, proxyUrl: S, scheme: E(['http', 'https']), url: S }, ['url']),
    scrapeClass: S,
    scrapeTimeout: D,
    targets: O({
      ingress: O({ namespaceSelector: O({ any: B, matchNames: A(S) }), relabelingConfigs: A(relabel), selector: labelSelector }),
      staticConfig: O({ labels: M(S), relabelingConfigs: A(relabel), static: A(S) }),
    }),
  }),
  '0prometheusCustomResourceDefinition': crd('Prometheus', 'prometheuses', 'prom', commonPrometheus {
    additionalAlertManagerConfigs: keyRef,
    additionalAlertRelabelConfigs: keyRef,
    alerting: O({ alertmanagers: A(O(httpClient { apiVersion: E(['v1', 'V1', 'v2', 'V2']), enableHttp2: B, name: S, namespace: S, pathPrefix: S, port: IS, relabelings: A(relabel), alertRelabelings: A(relabel), scheme: S, timeout: D }, ['name', 'port'])) }, ['alertmanagers']),
    allowOverlappingBlocks: B,
    disableCompaction: B,
    enableAdminAPI: B,
    exemplars: O({ maxSize: I64 }),
    query: O({ lookbackDelta: S, maxConcurrency: I, maxSamples: I, timeout: D }),
    queryLogFile: S,
    remoteRead: A(remoteRead),
    retention: D,
    retentionSize: S,
    ruleNamespaceSelector: labelSelector,
    ruleQueryOffset: D,
    ruleSelector: labelSelector,
    rules: O({ alert: O({ forGracePeriod: S, forOutageTolerance: S, resendDelay: S }) }),
    thanos: O({
      additionalArgs: A(O({ name: S, value: S }, ['name'])),
      blockSize: D,
      getConfigInterval: D,
      getConfigTimeout: D,
      grpcListenLocal: B,
      grpcServerTlsConfig: tlsConfig,
      httpListenLocal: B,
      image: S,
      logFormat: E(['', 'logfmt', 'json']),
      logLevel: E(['', 'debug', 'info', 'warn', 'error']),
      minTime: S,
      objectStorageConfig: keyRef,
      objectStorageConfigFile: S,
      readyTimeout: D,
      resources: resources,
      tracingConfig: keyRef,
      tracingConfigFile: S,
      version: S,
      volumeMounts: A(volumeMount),
    }),
  }),
  '0prometheusagentCustomResourceDefinition': crd('PrometheusAgent', 'prometheusagents', 'promagent', commonPrometheus {
    mode: E(['StatefulSet', 'DaemonSet']),
  }),
  '0prometheusruleCustomResourceDefinition': crd('PrometheusRule', 'prometheusrules', 'promrule', {
    groups: A(O({
      interval: D,
      labels: M(S),
      limit: I,
      name: S,
      partial_response_strategy: S,
      query_offset: D,
      rules: A(O({ alert: S, annotations: M(S), expr: IS, 'for': D, keep_firing_for: D, labels: M(S), record: S }, ['expr'])),
    }, ['name']), 'map'),
  }),
  '0scrapeconfigCustomResourceDefinition': crd('ScrapeConfig', 'scrapeconfigs', 'scfg', sdConfigs + scrapeLimits + httpClient {
    fileSDConfigs: A(O({ files: A(S), refreshInterval: D }, ['files'])),
    honorLabels: B,
    honorTimestamps: B,
    jobName: S,
    metricRelabelings: A(relabel),
    metricsPath: S,
    params: M(A(S)),
    relabelings: A(relabel),
    scheme: E(['HTTP', 'HTTPS']),
    scrapeClass: S,
    scrapeInterval: D,
    scrapeTimeout: D,
    staticConfigs: A(O({ labels: M(S), targets: A(S) })),
    trackTimestampsStaleness: B,
  }),
  '0servicemonitorCustomResourceDefinition': crd('ServiceMonitor', 'servicemonitors', 'smon', scrapeLimits {
    attachMetadata: O({ node: B }),
    endpoints: A(endpoint('path')),
    jobLabel: S,
    namespaceSelector: O({ any: B, matchNames: A(S) }),
    podTargetLabels: A(S),
    scrapeClass: S,
    selector: labelSelector,
    selectorMechanism: E(['RelabelConfig', 'RoleSelector']),
    targetLabels: A(S),
  }, ['selector']),
  '0thanosrulerCustomResourceDefinition': crd('ThanosRuler', 'thanosrulers', 'ruler', podFields {
    additionalArgs: A(O({ name: S, value: S }, ['name'])),
    alertDropLabels: A(S),
    alertQueryUrl: S,
    alertRelabelConfigFile: S,
    alertRelabelConfigs: keyRef,
    alertmanagersConfig: keyRef,
    alertmanagersUrl: A(S),
    enforcedNamespaceLabel: S,
    evaluationInterval: D,
    externalPrefix: S,
    grpcServerTlsConfig: tlsConfig,
    labels: M(S),
    listenLocal: B,
    logFormat: E(['', 'logfmt', 'json']),
    logLevel: E(['', 'debug', 'info', 'warn', 'error']),
    objectStorageConfig: keyRef,
    queryConfig: keyRef,
    queryEndpoints: A(S),
    remoteWrite: A(remoteWrite),
    retention: D,
    routePrefix: S,
    ruleNamespaceSelector: labelSelector,
    ruleSelector: labelSelector,
    tracingConfig: keyRef,
  }),
}
