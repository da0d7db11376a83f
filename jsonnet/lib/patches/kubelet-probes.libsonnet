// kubelet-endpoint-drop: kubelet's /metrics and /metrics/probes both expose
// process_start_time_seconds, so the kubelet ServiceMonitor ingests the
// series twice (same labels apart from metrics_path) and Prometheus warns
// about duplicate timestamps. Only /metrics keeps it:
//   metricRelabelings  drop the metric on the /metrics/probes endpoint (a
//                      metricRelabeling: relabelings run before the scrape,
//                      where __name__ does not exist yet)
//   dropEndpoint       stop scraping /metrics/probes altogether (loses the
//                      prober_probe_total series)
//   off                upstream's endpoints unchanged
// The probes endpoint is found by its path; /metrics and /metrics/cadvisor
// are never touched.
local probesPath = '/metrics/probes';

local drop = {
  sourceLabels: ['__name__'],
  regex: 'process_start_time_seconds',
  action: 'drop',
};

function(mode) {
  kubernetesControlPlane+: {
    serviceMonitorKubelet+: {
      spec+: {
        local isProbes(e) = std.get(e, 'path') == probesPath,
        assert mode == 'off' || std.length(std.filter(isProbes, super.endpoints)) == 1 :
               'vars.kubelet.probesDuplicateFix=%s: the kubelet ServiceMonitor has no single endpoint with path %s' % [mode, probesPath],
        endpoints:
          if mode == 'off' then super.endpoints
          else if mode == 'dropEndpoint' then std.filter(function(e) !isProbes(e), super.endpoints)
          else if mode == 'metricRelabelings' then [
            if isProbes(e) then e { metricRelabelings+: [drop] } else e
            for e in super.endpoints
          ]
          else error 'vars.kubelet.probesDuplicateFix: unknown mode ' + mode,
      },
    },
  },
}
