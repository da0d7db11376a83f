// The minimal cluster: kube-prometheus with kpgen's defaults.
{ cluster: { name: 'bench-0' } }
