// Production clusters: two replicas, longer retention.
{
  prometheus: {
    replicas: 2,
    retention: '30d',
  },
}
