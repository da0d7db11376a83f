// Every object ACME's components render carries the team that owns it.
function(stack, cfg) stack {
  acme+: {
    [k]+: { metadata+: { labels+: { 'acme.example/owner': 'platform-team' } } }
    for k in std.objectFields(super.acme)
  },
}
