// kpgen's entrypoint. kpgen evaluates it once per cluster, with the cluster's
// vars file as the top-level argument `vars`, and writes every field of
// `files` to out/<cluster>/<field>.
function(vars) (import 'kpgen.libsonnet').new(vars)
