// The platform's entrypoint: kpgen evaluates it once per cluster, with the
// cluster's vars file as the top-level argument `vars`.
function(vars) (import 'platform.libsonnet').new(vars)
