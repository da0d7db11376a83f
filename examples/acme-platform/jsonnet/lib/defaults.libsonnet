// What every ACME cluster starts from; a cluster's vars (and its preset)
// override any of it.
{
  prometheus: {
    retention: '15d',
  },
  mixins: {
    acme: { enabled: true },
  },
}
