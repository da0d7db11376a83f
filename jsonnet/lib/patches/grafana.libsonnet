// vars.grafana: datasources besides kube-prometheus' own Prometheus one,
// plugins, and the admin credentials, on Grafana's _config (kube-prometheus
// hands it to kubernetes-grafana, whose datasources, plugins and env these
// are). No credential is ever a value: each comes from an existing Secret
// into the grafana container's environment, and the provisioned datasource
// refers to it by name.
//   datasources   appended to upstream's, in grafana-datasources; each
//                 secureJsonData entry { name, key } becomes the variable
//                 KPGEN_DATASOURCE_<index>_<entry> (secretKeyRef), written
//                 "$KPGEN_DATASOURCE_<index>_<entry>" in the datasource: the
//                 $NAME form, which Grafana expands once, so a "$" in the
//                 secret stays as it is. Grafana expands "$" in every
//                 provisioned value, so a "$" in the vars' own values is
//                 written "$$" (a literal "$").
//   plugins       GF_INSTALL_PLUGINS, as kubernetes-grafana writes it
//   adminSecret   GF_SECURITY_ADMIN_USER and GF_SECURITY_ADMIN_PASSWORD
//                 from the Secret's userKey and passwordKey
// Read only by Grafana's objects. On _config rather than values.grafana:
// kube-prometheus merges values.grafana into kubernetes-grafana's _config
// twice (its component adds `_config+:: config` to kubernetesGrafana(config)),
// so a list appended there would be appended twice.

local envName(i, key) = 'KPGEN_DATASOURCE_%d_%s' % [i, key];

local secretEnv(name, ref) = {
  name: name,
  valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } },
};

// A provisioned value as written: "$" escaped, nulls (not set) left out.
local literal(v) =
  if std.isString(v) then std.strReplace(v, '$', '$$')
  else if std.isArray(v) then [literal(x) for x in v if x != null]
  else if std.isObject(v) then { [k]: literal(v[k]) for k in std.objectFields(v) if v[k] != null }
  else v;

local datasource(i, d) =
  local secure = std.get(d, 'secureJsonData');
  literal({ [k]: d[k] for k in std.objectFields(d) if k != 'secureJsonData' })
  + (if secure == null || std.length(secure) == 0 then {} else {
       secureJsonData: { [k]: '$' + envName(i, k) for k in std.objectFields(secure) },
     });

function(g)
  // Entries with a vars problem are null: the stack is built without them.
  local indexes = [i for i in std.range(0, std.length(g.datasources) - 1) if g.datasources[i] != null];
  {
    grafana+: {
      _config+:: {
        datasources+: [datasource(i, g.datasources[i]) for i in indexes],
        plugins+: g.plugins,
        env+:
          (if g.adminSecret == null then [] else [
             secretEnv('GF_SECURITY_ADMIN_USER', { name: g.adminSecret.name, key: g.adminSecret.userKey }),
             secretEnv('GF_SECURITY_ADMIN_PASSWORD', { name: g.adminSecret.name, key: g.adminSecret.passwordKey }),
           ])
          + [
            secretEnv(envName(i, k), g.datasources[i].secureJsonData[k])
            for i in indexes
            if std.get(g.datasources[i], 'secureJsonData') != null
            for k in std.objectFields(g.datasources[i].secureJsonData)
          ],
      },
    },
  }
