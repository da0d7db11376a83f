// vars.images: where every container image comes from. kube-prometheus
// takes each image from values.common.images (the operator's
// --prometheus-config-reloader flag and the kube-rbac-proxy sidecars
// included), so each is rewritten there, and read only by the objects that
// run it:
//   overrides.<name>  the whole reference, as given
//   registry          the registry part replaced, the path and tag kept:
//                     quay.io/prometheus/alertmanager:v0.28.1 →
//                     <registry>/prometheus/alertmanager:v0.28.1, and
//                     Docker Hub's grafana/grafana:12.1.0 →
//                     <registry>/grafana/grafana:12.1.0
// Both unset leaves upstream's references as they are.

// The path of a reference below its registry, as container runtimes read
// it: the first component is a registry when it has a "." or a ":" or is
// localhost; without one, the image is on Docker Hub, whose one-component
// names are under library/.
local pathOf(ref) =
  local parts = std.splitLimit(ref, '/', 1);
  local first = parts[0];
  local isRegistry = std.length(parts) == 2 && (
    std.length(std.findSubstr('.', first)) > 0 || std.length(std.findSubstr(':', first)) > 0 || first == 'localhost'
  );
  if isRegistry then parts[1]
  else if std.length(parts) == 1 then 'library/' + ref
  else ref;

function(images) {
  local upstreamImages = super.values.common.images,
  local image(name, ref) =
    if std.objectHas(images.overrides, name) then images.overrides[name]
    else if images.registry == null then ref
    else images.registry + '/' + pathOf(ref),
  values+:: {
    common+: {
      images+: {
        [name]: image(name, upstreamImages[name])
        for name in std.objectFields(upstreamImages)
      },
    },
  },
}
