// A control plane run by the provider: no scheduler or controller manager
// to scrape, nor alerts about them.
local hiddenGroups = ['kubernetes-system-controller-manager', 'kubernetes-system-scheduler'];

{
  kubernetesControlPlane+: {
    serviceMonitorKubeControllerManager:: null,
    serviceMonitorKubeScheduler:: null,
    prometheusRule+: {
      spec+: {
        groups: [g for g in super.groups if !std.member(hiddenGroups, g.name)],
      },
    },
  },
}
