// Cilium's mixin; the kubelet's probes endpoint dropped.
{
  cluster: { name: 'bench-5' },
  kubelet: { probesDuplicateFix: 'dropEndpoint' },
  mixins: { cilium: { enabled: true } },
}
