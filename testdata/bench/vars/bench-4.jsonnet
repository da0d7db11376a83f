// CloudNativePG and cert-manager mixins.
{
  cluster: { name: 'bench-4' },
  mixins: {
    cnpg: { enabled: true, namespaces: ['db'] },
    'cert-manager': { enabled: true },
  },
}
