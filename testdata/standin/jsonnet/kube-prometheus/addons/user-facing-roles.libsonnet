// ClusterRoles that Kubernetes aggregates into its view and edit roles, so
// users may read, and editors write, the monitoring objects of their
// namespaces.
local resources = ['podmonitors', 'probes', 'prometheusrules', 'servicemonitors'];

{
  prometheusOperator+: {
    local po = self,
    local role(name, aggregateTo, verbs) = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: po._metadata {
        name: name,
        namespace:: null,
        labels+: { ['rbac.authorization.k8s.io/aggregate-to-' + aggregateTo]: 'true' },
      },
      rules: [{ apiGroups: ['monitoring.coreos.com'], resources: resources, verbs: verbs }],
    },
    clusterRoleView: role('monitoring-view', 'view', ['get', 'list', 'watch']),
    clusterRoleEdit: role('monitoring-edit', 'edit', ['create', 'delete', 'deletecollection', 'patch', 'update']),
  },
}
