// A management cluster scraping the clusters it manages (the Giant Swarm
// pattern): for a managed cluster (vars.topology.managedClusters[i]), the
// ScrapeConfigs (monitoring.coreos.com/v1alpha1) that discover its nodes
// and pods through kubernetes_sd_configs against its API server, and
// scrape through the API server's proxy:
//   kubelet        /api/v1/nodes/<node>/proxy/metrics
//   cAdvisor       /api/v1/nodes/<node>/proxy/metrics/cadvisor
//   node-exporter  /api/v1/namespaces/<ns>/pods/[https:]<pod>:<port>/proxy/metrics
// Every series is labelled cluster=<managed cluster>, and job, node,
// instance and metrics_path as kube-prometheus' own monitors label them,
// so the mixins' rules and dashboards work per cluster. The credentials
// (a token or a client certificate, and the CA) are Secret references the
// operator reads; the managed cluster's RBAC must let them list and watch
// nodes and pods and get nodes/proxy and pods/proxy (docs/topologies.md).
local url = import 'url.libsonnet';

local replace(target, replacement, source=null, regex=null) =
  { action: 'replace', targetLabel: target, replacement: replacement }
  + (if source != null then { sourceLabels: source } else {})
  + (if regex != null then { regex: regex } else {});

{
  scrapeConfigs(ns, labels, m)::
    local api = url.parse(m.apiServer);
    local auth = { [k]: m[k] for k in ['tlsConfig', 'authorization'] if std.get(m, k) != null };
    local sd(role) = [{ apiServer: m.apiServer, role: role } + auth];
    local common = {
      scheme: std.asciiUpper(api.scheme),
    } + auth + (if m.scrapeInterval != null then { scrapeInterval: m.scrapeInterval } else {});
    // Every target: to the API server, labelled with the cluster.
    local toAPIServer = [replace('__address__', api.hostPort)];
    local clusterLabel = [replace('cluster', m.name)];
    local node = ['__meta_kubernetes_node_name'];
    local nodeJob(job, path) = {
      apiVersion: 'monitoring.coreos.com/v1alpha1',
      kind: 'ScrapeConfig',
      metadata: { name: m.name + '-' + job, namespace: ns, labels: labels { 'kpgen.io/managed-cluster': m.name } },
      spec: common {
        kubernetesSDConfigs: sd('Node'),
        relabelings: toAPIServer + [
          replace('__metrics_path__', api.path + '/api/v1/nodes/${1}/proxy' + path, node, '(.+)'),
          replace('instance', '${1}', node),
          replace('node', '${1}', node),
          replace('job', 'kubelet'),
          replace('metrics_path', path),
        ] + clusterLabel,
      },
    };
    local ne = m.nodeExporter;
    local pod = ['__meta_kubernetes_namespace', '__meta_kubernetes_pod_name', '__meta_kubernetes_pod_container_port_number'];
    (if m.kubelet then { ['managed-' + m.name + '-kubelet']: nodeJob('kubelet', '/metrics') } else {})
    + (if m.cadvisor then { ['managed-' + m.name + '-cadvisor']: nodeJob('cadvisor', '/metrics/cadvisor') } else {})
    + (if !ne.enabled then {} else {
         ['managed-' + m.name + '-node-exporter']: {
           apiVersion: 'monitoring.coreos.com/v1alpha1',
           kind: 'ScrapeConfig',
           metadata: { name: m.name + '-node-exporter', namespace: ns, labels: labels { 'kpgen.io/managed-cluster': m.name } },
           spec: common {
             kubernetesSDConfigs: [sd('Pod')[0] {
               namespaces: { names: [ne.namespace] },
               selectors: [{ role: 'Pod', label: ne.labelSelector }],
             }],
             relabelings: [
               // One target per container port: node-exporter's.
               { action: 'keep', sourceLabels: ['__meta_kubernetes_pod_container_port_number'], regex: std.toString(ne.port) },
             ] + toAPIServer + [
               replace(
                 '__metrics_path__',
                 api.path + '/api/v1/namespaces/${1}/pods/' + (if ne.scheme == 'https' then 'https:' else '') + '${2}:${3}/proxy/metrics',
                 pod,
                 '(.+);(.+);(.+)',
               ),
               replace('instance', '${1}', ['__meta_kubernetes_pod_node_name']),
               replace('node', '${1}', ['__meta_kubernetes_pod_node_name']),
               replace('namespace', '${1}', ['__meta_kubernetes_namespace']),
               replace('pod', '${1}', ['__meta_kubernetes_pod_name']),
               replace('job', 'node-exporter'),
             ] + clusterLabel,
           },
         },
       }),
}
