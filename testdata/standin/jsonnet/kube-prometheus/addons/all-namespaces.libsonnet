// Prometheus discovers targets in every namespace: one ClusterRole instead
// of a Role per namespace.
{
  prometheus+: {
    clusterRole+: {
      rules+: [
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
      ],
    },
    // The ClusterRole covers these.
    roleSpecificNamespaces:: null,
    roleBindingSpecificNamespaces:: null,
  },
}
