// Types of mixin settings. A mixin declares one per key of its _config in a
// hidden `_configTypes` beside it:
//
//   _config+:: common.defaults { namespace: 'velero', backupTooOldFor: '15m' },
//   _configTypes+:: common.defaultTypes { namespace: t.namespace, backupTooOldFor: t.duration },
//
// and kpgen's library checks vars.mixins.<name>.<key> against it (a key
// without a type only gets the type of its default). A type is data plus
// check functions from checks.libsonnet:
//   { kind: 'string' | 'number' | 'boolean', check }
//   { kind: 'list', items: <type>, check }   check applies to the whole list
//   { kind: 'map', values: <type>, keys }    free-form keys, each checked by keys
// where check and keys are null or functions returning null or a message.
// Nothing here needs kpgen's library: a mixin still works with plain jsonnet.
local checks = import 'checks.libsonnet';

local type(kind, check=null) = { kind: kind, check: check };

{
  string(check=null):: type('string', check),
  number(check=null):: type('number', check),
  boolean:: type('boolean'),
  list(items, check=null):: type('list', check) { items: items },
  map(values, keys=null):: type('map') { values: values, keys: keys },

  // A namespace the mixin's targets run in (DNS-1123 label).
  namespace:: self.string(checks.dnsLabel),
  // At least one such namespace.
  namespaces:: self.list(self.namespace, checks.nonEmptyList),
  // A threshold in whole seconds, 1 to 10 years.
  seconds:: self.number(checks.seconds),
  // A ratio threshold, strictly between 0 and 1.
  ratio:: self.number(checks.ratio),
  // A Prometheus duration, e.g. a `for`.
  duration:: self.string(checks.duration),
  // An http(s) URL with exactly one %s for the alert name.
  runbookURLPattern:: self.string(checks.runbookURLPattern),
  // Map keys that are names of Kubernetes objects (DNS-1123 subdomains).
  objectNames:: checks.dnsSubdomain,
}
