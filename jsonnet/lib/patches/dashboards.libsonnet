// vars.grafana.dashboards: disable dashboards by title, uid or file name,
// and add dashboards, to Grafana's Default folder (add) or to folders of
// their own (folders).
//
// Both change kube-prometheus' Grafana config, values.grafana.dashboards
// (file → dashboard: every component's mixin.grafanaDashboards) and
// folderDashboards (folder → file → dashboard), from which upstream builds
// both sides of each dashboard: its ConfigMap grafana-dashboard-<name> in
// grafana-dashboardDefinitions, and the Deployment's volume and mount of it
// (and a provider per folder in grafana-dashboardSources). Changing the
// config, not the objects, keeps the two sides consistent: a volume whose
// ConfigMap is missing keeps Grafana from starting.
//
// What each file reads (kpgen shares work across clusters by what it reads,
// and renders the dashboards a few at a time): the disabled names, wherever
// the list of dashboards is computed; a dashboard's title and uid only when
// a disabled name is no file name; an added dashboard's content only where
// its ConfigMap is rendered.
local c = import '../../mixins/kpgen-common/checks.libsonnet';
local str = import '../strings.libsonnet';

local active(d) = std.length(d.disable) > 0 || std.length(d.add) > 0 || std.length(d.folders) > 0;

// The stack's dashboards, before vars: { dashboards, folders }.
local stackOf(grafana) = {
  dashboards: grafana.dashboards,
  folders: if std.objectHasAll(grafana, 'folderDashboards') then grafana.folderDashboards else {},
};

local field(o, k) = if std.isObject(o) then std.get(o, k) else null;

// off(file, dashboard): is the dashboard disabled? stack and d hold every
// dashboard (their file names are the map keys, no value is read).
local disabled(d, stack) =
  local files = std.set(
    std.objectFields(stack.dashboards) + std.objectFields(d.add)
    + [f for m in std.objectValues(stack.folders) + std.objectValues(d.folders) for f in std.objectFields(m)]
  );
  // An item with a problem of its own is null (see schema.libsonnet).
  local names = [n for n in d.disable if n != null];
  local byFile = std.set([n for n in names if std.setMember(n, files)]);
  local others = [n for n in names if !std.setMember(n, files)];
  if others == [] then function(f, o) std.setMember(f, byFile)
  else function(f, o) std.setMember(f, byFile) || std.member(others, field(o, 'title')) || std.member(others, field(o, 'uid'));

local keep(m, off) = { [f]: m[f] for f in std.objectFields(m) if !off(f, m[f]) };

local addPath(f) = str.path('vars.grafana.dashboards.add', f);
local folderPath(folder, f) = str.path(str.path('vars.grafana.dashboards.folders', folder), f);

{
  // Is there anything to do? (Reads no setting: the lengths are the
  // config's shape.)
  active:: active,

  // The patch of the stack for d = cfg.grafana.dashboards.
  patch(d):: if !active(d) then {} else {
    local stack = stackOf(super.values.grafana),
    local off = disabled(d, stack),
    // The stack's own dashboards, for the vars checks (problems below).
    kpgenDashboards:: stack,
    values+:: {
      grafana+: {
        dashboards: keep(stack.dashboards + d.add, off),
        local folders = stack.folders + {
          [f]: (if std.objectHas(stack.folders, f) then stack.folders[f] else {}) + d.folders[f]
          for f in std.objectFields(d.folders)
        },
        local kept = { [f]: keep(folders[f], off) for f in std.objectFields(folders) },
        // A folder left empty has no provider.
        [if std.length(stack.folders) > 0 || std.length(d.folders) > 0 then 'folderDashboards']: {
          [f]: kept[f]
          for f in std.objectFields(kept)
          if std.length(kept[f]) > 0
        },
      },
    },
  },

  // The problems of d against the dashboards of kp (the patched stack):
  // added file names already taken, disabled names that match no
  // dashboard, and uids or titles of added dashboards that another
  // dashboard Grafana gets has. Only the vars checks read this much (every
  // dashboard's title and uid).
  problems(d, kp)::
    local stack = kp.kpgenDashboards;
    local off = disabled(d, stack);
    // Every dashboard, the stack's first: its file, the dashboard, whether
    // Grafana gets it, and for an added one its vars path.
    local entry(f, o, path) = { file: f, dash: o, path: path, on: !off(f, o) };
    local ofStack = [entry(f, stack.dashboards[f], null) for f in std.objectFields(stack.dashboards)]
                    + [
                      entry(f, stack.folders[k][f], null)
                      for k in std.objectFields(stack.folders)
                      for f in std.objectFields(stack.folders[k])
                    ];
    local ofAdd = [entry(f, d.add[f], addPath(f)) for f in std.objectFields(d.add)];
    local ofFolders = [
      entry(f, d.folders[k][f], folderPath(k, f))
      for k in std.objectFields(d.folders)
      for f in std.objectFields(d.folders[k])
    ];
    local all = ofStack + ofAdd + ofFolders;
    local name(e) = if e.path == null then "the stack's dashboard %s" % c.quote(e.file) else e.path;
    // The first entry before the i-th for which same(entry).
    local before(i, same) = std.foldl(function(acc, e) if acc == null && same(e) then e else acc, all[0:i], null);

    local entryProblems(i) =
      local e = all[i];
      local taken = before(i, function(o) o.file == e.file);
      local shared(k) =
        local v = field(e.dash, k);
        local other = if e.on && std.isString(v) then before(i, function(o) o.on && field(o.dash, k) == v) else null;
        if other == null then []
        else ['%s.%s: %s is also the %s of %s (%ss are unique across the dashboards Grafana gets)' % [e.path, k, c.quote(v), k, name(other), k]];
      local advice =
        if taken.path != null then ''
        else if taken.on then ': choose another, and disable that dashboard to replace it'
        else ': choose another (a disabled dashboard keeps its file name)';
      local volume = 'grafana-dashboard-' + std.strReplace(e.file, '.json', '');
      if taken != null then ['%s: the file name is taken by %s (it names the ConfigMap and the volume %s)%s' % [e.path, name(taken), volume, advice]]
      else shared('uid') + shared('title');
    local problemsOf(from, to) = std.flattenArrays([entryProblems(i) for i in std.range(from, to - 1)]);
    local nStack = std.length(ofStack);
    local nAdd = std.length(ofAdd);

    // A disabled name is a file name, or else a title or uid.
    local files = std.set([e.file for e in all]);
    local titlesAndUids = std.set([v for e in all for k in ['title', 'uid'] for v in [field(e.dash, k)] if std.isString(v)]);
    local disableProblems = [
      local v = d.disable[i];
      local near = str.closest(v, std.setUnion(files, titlesAndUids));
      'vars.grafana.dashboards.disable[%d]: no dashboard has the title, uid or file name %s%s'
      % [i, c.quote(v), if near != null then ' (did you mean %s?)' % c.quote(near) else '']
      for i in std.range(0, std.length(d.disable) - 1)
      if std.isString(d.disable[i]) && !std.setMember(d.disable[i], files) && !std.setMember(d.disable[i], titlesAndUids)
    ];
    // In the order of the keys' paths: add, disable, folders.
    problemsOf(nStack, nStack + nAdd) + disableProblems + problemsOf(nStack + nAdd, std.length(all)),
}
