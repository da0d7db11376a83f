// Staging clusters: one replica, and ACME's alerts less eager.
{
  prometheus: {
    replicas: 1,
  },
  mixins: {
    acme: { errorRatioFor: '30m' },
  },
}
