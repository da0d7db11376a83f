// OpenAPI v3 schema builders for the benchmark stand-in's CRDs.
//
// A field type is a function (ctx, name) → schema, where ctx is a number
// derived from the path of the enclosing object; descriptions are generated
// from it, so every use of a shared type is a distinct subtree with its own
// text, as in the real CRDs (which repeat the Kubernetes core types with
// their documentation in every CRD that embeds them). The text is filler
// written for this file.
local nouns = [
  'endpoint',
  'selector',
  'secret',
  'volume',
  'container',
  'scrape',
  'target',
  'label',
  'namespace',
  'shard',
  'replica',
  'certificate',
  'request',
  'limit',
  'probe',
  'interval',
  'timeout',
  'header',
  'token',
  'resource',
  'queue',
  'sample',
  'series',
  'rule',
  'receiver',
  'route',
  'matcher',
  'template',
  'field',
  'object',
];
local verbs = [
  'configures',
  'selects',
  'overrides',
  'limits',
  'defines',
  'controls',
  'names',
  'references',
  'sets',
  'bounds',
  'enables',
  'describes',
  'identifies',
  'restricts',
  'tunes',
  'records',
];
local tails = [
  'When it is not set, the operator chooses a default that works for most clusters.',
  'The value is passed through unchanged and is validated by the component that reads it.',
  'Changing it triggers a rolling update of the managed pods.',
  'It only takes effect when the related feature is enabled on the same object.',
  'Refer to the documentation of the component for the accepted values and their meaning.',
  'Setting it to an empty value is not the same as leaving it out: an empty value disables the default.',
  'This field is experimental: its behaviour may change in a later version of the API.',
  'It is mutually exclusive with the fields that configure the same thing in another way.',
];

local seed(ctx, name) = std.modulo(ctx * 31 + std.length(name) * 13 + std.codepoint(name[0]), 100003);

// `%` (std.mod, then std.format) is itself Jsonnet in go-jsonnet and costs
// far more than the JSON parsing the real CRDs cost, so the text is made of
// phrases computed once and picked by the seed.
local phrases = [
  ' field ' + verbs[std.modulo(s, std.length(verbs))]
  + ' the ' + nouns[std.modulo(s, std.length(nouns))]
  + ' of the ' + nouns[std.modulo(s * 7 + 3, std.length(nouns))]
  + ', and ' + verbs[std.modulo(s * 5 + 1, std.length(verbs))]
  + ' which ' + nouns[std.modulo(s * 11 + 5, std.length(nouns))] + ' is used.'
  for s in std.range(0, 96)
];
local endings = [
  std.join('', ['\n\n' + tails[std.modulo(s + i * 3, std.length(tails))] for i in std.range(0, std.modulo(s, 4) - 1)])
  for s in std.range(0, 31)
];

local desc(ctx, name) =
  local s = seed(ctx, name);
  'The `' + name + '`' + phrases[std.modulo(s, 97)] + endings[std.modulo(s, 32)];

local props(ctx, spec) = { [k]: spec[k](ctx, k) for k in std.objectFields(spec) };

{
  desc:: desc,
  seed:: seed,
  props:: props,

  S(ctx, name):: { description: desc(ctx, name), type: 'string' },
  B(ctx, name):: { description: desc(ctx, name), type: 'boolean' },
  I(ctx, name):: { description: desc(ctx, name), format: 'int32', type: 'integer' },
  I64(ctx, name):: { description: desc(ctx, name), format: 'int64', type: 'integer' },
  N(ctx, name):: { description: desc(ctx, name), type: 'number' },
  D(ctx, name):: { description: desc(ctx, name), pattern: '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$', type: 'string' },
  Q(ctx, name):: {
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    description: desc(ctx, name),
    pattern: '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
    'x-kubernetes-int-or-string': true,
  },
  IS(ctx, name):: {
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    description: desc(ctx, name),
    'x-kubernetes-int-or-string': true,
  },
  E(values):: function(ctx, name) { description: desc(ctx, name), enum: values, type: 'string' },
  A(t, listType=null):: function(ctx, name) {
    description: desc(ctx, name),
    items: std.objectRemoveKey(t(ctx, name), 'description'),
    type: 'array',
  } + (if listType != null then { 'x-kubernetes-list-type': listType } else {}),
  M(t):: function(ctx, name) {
    additionalProperties: std.objectRemoveKey(t(ctx, name), 'description'),
    description: desc(ctx, name),
    type: 'object',
  },
  Free(ctx, name):: { description: desc(ctx, name), type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  // An object with the given fields (name → type), some of them required.
  O(spec, required=[], atomic=false):: function(ctx, name) {
                                                             description: desc(ctx, name),
                                                             properties: props(seed(ctx, name), spec),
                                                             type: 'object',
                                                           } + (if required != [] then { required: required } else {})
                                                           + (if atomic then { 'x-kubernetes-map-type': 'atomic' } else {}),
}
