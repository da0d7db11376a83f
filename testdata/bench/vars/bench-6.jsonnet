// Rules disabled and overridden by name (evaluates every alert's name).
{
  cluster: { name: 'bench-6', environment: 'staging' },
  rules: {
    disable: ['KubeCPUOvercommit'],
    override: { TargetDown: { 'for': '15m' }, KubeletTooManyPods: { severity: 'warning' } },
  },
}
