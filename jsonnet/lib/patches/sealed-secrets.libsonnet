// vars.sealedSecrets.secrets: each a SealedSecret (bitnami.com/v1alpha1) of
// its own, sealedSecrets.<name> (manifests/sealedSecrets-<name>.yaml), laid
// out as kubeseal writes one: the scope's annotation on the SealedSecret and
// on its template, whose metadata names the Secret the controller creates.
// The sealed values are taken as they are (`kpgen seal` makes them); render
// never encrypts anything. Nothing is added when no secret is declared.
local annotations = {
  strict: {},
  'namespace-wide': { 'sealedsecrets.bitnami.com/namespace-wide': 'true' },
  'cluster-wide': { 'sealedsecrets.bitnami.com/cluster-wide': 'true' },
};

function(ss, namespace)
  if std.length(ss.secrets) == 0 then {}
  else {
    sealedSecrets: {
      [name]:
        local x = ss.secrets[name];
        local meta = {
          name: name,
          namespace: if x.namespace != null then x.namespace else namespace,
        } + (if annotations[x.scope] != {} then { annotations: annotations[x.scope] } else {});
        {
          apiVersion: 'bitnami.com/v1alpha1',
          kind: 'SealedSecret',
          metadata: meta,
          spec: {
            encryptedData: x.encryptedData,
            template: {
              metadata: meta + (if x.labels != {} then { labels: x.labels } else {}),
            } + (if x.type != null then { type: x.type } else {}),
          },
        }
      // A declaration with a vars problem is null (vars problems stop the
      // render; the stack is still built).
      for name in std.objectFields(ss.secrets)
      if ss.secrets[name] != null
    },
  }
