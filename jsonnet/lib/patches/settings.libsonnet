// The vars that set kube-prometheus' own knobs: namespace, platform,
// Prometheus and Alertmanager sizing, storage, retention, external labels,
// remote write, Grafana on/off. A setting left null keeps upstream's value.
local u = import '../util.libsonnet';

function(cfg)
  local p = cfg.prometheus;
  local am = cfg.alertmanager;
  local sizing(c) =
    u.ifSet('replicas', c.replicas)
    + (if c.resources != null then { resources+: u.deepPatch(c.resources) } else {});
  local storage = if p.storage.size == null then {} else {
    storage: {
      volumeClaimTemplate: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: p.storage.size } },
        } + u.ifSet('storageClassName', p.storage.class),
      },
    },
  };
  local spec = u.ifSet('retention', p.retention)
               + u.ifSet('retentionSize', p.retentionSize)
               + u.ifSet('remoteWrite', p.remoteWrite);
  local values =
    { common+: { namespace: cfg.namespace } + u.ifSet('platform', cfg.cluster.platform) }
    + u.patchIfAny('prometheus', sizing(p) + storage + u.patchIfAny('externalLabels', p.externalLabels))
    + u.patchIfAny('alertmanager', sizing(am));
  {
    values+:: values,
    [if spec != {} then 'prometheus']+: { prometheus+: { spec+: spec } },
    // Hidden, not removed: upstream's objects may still refer to it.
    [if !cfg.grafana.enabled then 'grafana']:: super.grafana,
  }
