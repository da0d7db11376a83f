// The vars that set kube-prometheus' own knobs: namespace, platform,
// Prometheus and Alertmanager replicas, storage, retention, external
// labels, remote write, external URL, feature flags, additional scrape
// configs, Grafana on/off. A setting left null keeps upstream's value.
// (Resources and scheduling: pods.libsonnet.)
//
// Each setting is read where it is used and nowhere else (kpgen shares the
// work of files whose settings are equal across clusters, by observing what
// they read): a field is added only when upstream needs its presence
// (replicas and storage, which decide whether upstream renders a
// PodDisruptionBudget or a volume), otherwise it is always there and its
// value is looked at lazily.
local u = import '../util.libsonnet';

function(cfg)
  local p = cfg.prometheus;
  local am = cfg.alertmanager;
  local sizing(c) = u.ifSet('replicas', c.replicas);
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
  {
    values+:: {
      common+: {
        namespace: cfg.namespace,
        platform: if cfg.cluster.platform != null then cfg.cluster.platform else super.platform,
      },
      prometheus+: sizing(p) + storage + { externalLabels+: p.externalLabels, enableFeatures+: p.enableFeatures },
      alertmanager+: sizing(am),
    },
    prometheus+: {
      prometheus+: {
        spec+: u.ifSet('retention', p.retention)
               + u.ifSet('retentionSize', p.retentionSize)
               + u.ifSet('remoteWrite', p.remoteWrite)
               + u.ifSet('externalUrl', p.externalUrl)
               // A SecretKeySelector: the Secret holds the scrape configs.
               + u.ifSet('additionalScrapeConfigs', if p.additionalScrapeConfigs == null then null else std.prune(p.additionalScrapeConfigs)),
      },
    },
    // Hidden, not removed: upstream's objects may still refer to it.
    [if !cfg.grafana.enabled then 'grafana']:: super.grafana,
  }
