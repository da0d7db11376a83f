// An example cluster of the ACME platform (built by the platform's own CI).
{
  cluster: { name: 'acme-example', environment: 'staging' },
}
