// A small Grafana dashboard builder in the style of grafonnet, written for
// kpgen's benchmark stand-in (it is not grafonnet). Every setter returns a
// patch (`{ fieldConfig+: { defaults+: { unit: u } } }`) and a panel is the sum
// of its patches, so evaluating a dashboard costs what it costs with a
// generated builder library: many small objects merged with `+`.
local ds = { type: 'prometheus', uid: '${datasource}' };

// Like grafonnet, a new panel holds little; each setter adds its part.
local panelBase(type, title) = {
  type: type,
  title: title,
  datasource: { type: 'datasource', uid: '-- Mixed --' },
  pluginVersion: 'v11.4.0',
  targets: [],
};

local custom(c) = { fieldConfig+: { defaults+: { custom+: c } } };
local defaults(d) = { fieldConfig+: { defaults+: d } };
local options(o) = { options+: o };

// Spreadsheet-style reference ids: A … Z, AA, AB, …
local refId(i) =
  if i < 26 then std.char(65 + i)
  else std.char(64 + std.floor(i / 26)) + std.char(65 + i % 26);

{
  dashboard: {
    new(title):: {
      title: title,
      editable: false,
      graphTooltip: 1,
      schemaVersion: 39,
      timezone: 'utc',
      refresh: '30s',
      fiscalYearStartMonth: 0,
      liveNow: false,
      weekStart: '',
      version: 1,
      time: { from: 'now-1h', to: 'now' },
      timepicker: { refresh_intervals: ['30s', '1m', '5m', '15m', '30m', '1h', '2h', '1d'] },
      annotations: {
        list: [{
          builtIn: 1,
          datasource: { type: 'grafana', uid: '-- Grafana --' },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        }],
      },
      links: [],
      tags: [],
      templating: { list: [] },
      panels: [],
    },
    withUid(uid):: { uid: uid },
    withTags(tags):: { tags+: tags },
    withDescription(d):: { description: d },
    withTime(from):: { time+: { from: from } },
    withLinks(tags):: {
      links+: [{
        asDropdown: true,
        includeVars: true,
        keepTime: true,
        tags: tags,
        targetBlank: false,
        title: 'Related',
        type: 'dashboards',
      }],
    },
    withVariables(vs):: { templating+: { list+: vs } },
    withPanels(ps):: { panels+: ps },
  },

  variable: {
    datasource(name='datasource', type='prometheus'):: {
      name: name,
      label: 'Data source',
      type: 'datasource',
      query: type,
      current: { selected: false, text: 'default', value: 'default' },
      hide: 0,
      refresh: 1,
      regex: '',
      options: [],
      skipUrlSync: false,
    },
    query(name, query, label=name):: {
      name: name,
      label: label,
      type: 'query',
      datasource: ds,
      definition: query,
      query: { query: query, refId: 'PrometheusVariableQueryEditor-VariableQuery', qryType: 1 },
      hide: 0,
      refresh: 2,
      sort: 1,
    },
    withAll(allValue='.+'):: { includeAll: true, allValue: allValue },
    withMulti():: { multi: true },
    withHidden():: { hide: 2 },
    withRegex(r):: { regex: r },
    interval(name, values):: {
      name: name,
      label: name,
      type: 'interval',
      query: std.join(',', values),
      current: { selected: true, text: values[0], value: values[0] },
      options: [{ selected: i == 0, text: values[i], value: values[i] } for i in std.range(0, std.length(values) - 1)],
      hide: 0,
      refresh: 2,
    },
  },

  query: {
    new(expr):: {
      datasource: ds,
      expr: expr,
    },
    withLegend(l):: { legendFormat: l },
    withInterval(i):: { interval: i },
    asTable():: { format: 'table' } + { instant: true },
  },

  panel: {
    timeSeries(title):: panelBase('timeseries', title)
                        + custom({ fillOpacity: 10 })
                        + custom({ showPoints: 'never' })
                        + custom({ spanNulls: true })
                        + options({ tooltip+: { mode: 'single' } })
                        + { interval: '1m' },
    stat(title):: panelBase('stat', title)
                  + options({ colorMode: 'none' })
                  + options({ reduceOptions+: { calcs: ['lastNotNull'] } })
                  + { interval: '1m' },
    gauge(title):: panelBase('gauge', title)
                   + defaults({ min: 0 })
                   + defaults({ max: 1 })
                   + options({ reduceOptions+: { calcs: ['lastNotNull'] } })
                   + options({ showThresholdMarkers: true }),
    table(title):: panelBase('table', title)
                   + options({ showHeader: true })
                   + options({ cellHeight: 'sm' })
                   + options({ footer+: { show: false } }),
    row(title):: { type: 'row', title: title, collapsed: false, panels: [] },

    withDescription(d):: { description: d },
    withTargets(ts):: { targets+: ts },
    withUnit(u):: defaults({ unit: u }),
    withDecimals(n):: defaults({ decimals: n }),
    withMin(v):: defaults({ min: v }),
    withMax(v):: defaults({ max: v }),
    withWidth(w):: { gridPos+: { w: w } },
    withHeight(h):: { gridPos+: { h: h } },
    withFill(f):: custom({ fillOpacity: f }),
    withLineWidth(w):: custom({ lineWidth: w }),
    withStacking(mode):: custom({ stacking+: { mode: mode } }),
    withLegendTable(calcs):: options({ legend+: { asTable: true } })
                             + options({ legend+: { displayMode: 'table' } })
                             + options({ legend+: { placement: 'right' } })
                             + options({ legend+: { calcs: calcs } })
                             + options({ legend+: { showLegend: true } }),
    withThresholds(steps):: if steps == [] then {} else defaults({
      thresholds+: { mode: 'absolute', steps: [{ color: 'green', value: null }] + [{ color: s[1], value: s[0] } for s in steps] },
    }),
    withOverrides(os):: { fieldConfig+: { overrides+: os } },
    withColor(mode):: defaults({ color+: { mode: mode } }),
    withTransformations(ts):: { transformations+: ts },
    withSortBy(col, desc=true):: options({ sortBy: [{ desc: desc, displayName: col }] }),
  },

  override: {
    byName(name, props):: {
      matcher: { id: 'byName', options: name },
      properties: [{ id: k, value: props[k] } for k in std.objectFields(props)],
    },
    byRegexp(re, props):: {
      matcher: { id: 'byRegexp', options: re },
      properties: [{ id: k, value: props[k] } for k in std.objectFields(props)],
    },
  },

  transformation: {
    merge():: { id: 'merge', options: { reducers: [] } },
    organize(exclude, rename, order):: {
      id: 'organize',
      options: {
        excludeByName: { [k]: true for k in exclude },
        indexByName: { [order[i]]: i for i in std.range(0, std.length(order) - 1) },
        renameByName: rename,
      },
    },
  },

  util: {
    refId:: refId,
    // Gives a panel's targets their refIds, A, B, C, …
    withRefIds(p):: p {
      targets: [super.targets[i] { refId: refId(i) } for i in std.range(0, std.length(super.targets) - 1)],
    },
    // Lays panels out left to right in a 24-column grid, wrapping lines; a
    // row starts a new line. Panels get ids in order, as grafonnet's
    // util.grid.makeGrid does.
    makeGrid(panels, width=12, height=8)::
      local step(acc, p) =
        local isRow = p.type == 'row';
        local w = if isRow then 24 else std.get(std.get(p, 'gridPos', {}), 'w', width);
        local h = if isRow then 1 else std.get(std.get(p, 'gridPos', {}), 'h', height);
        local wrap = isRow || acc.x + w > 24;
        local x = if wrap then 0 else acc.x;
        local y = if wrap then acc.y + acc.lineH else acc.y;
        {
          panels: acc.panels + [p { id: acc.id, gridPos: { x: x, y: y, w: w, h: h } }],
          id: acc.id + 1,
          x: if isRow then 0 else x + w,
          y: if isRow then y + 1 else y,
          lineH: if isRow then 0 else if wrap then h else std.max(acc.lineH, h),
        };
      std.foldl(step, panels, { panels: [], id: 1, x: 0, y: 0, lineH: 0 }).panels,
  },
}
