// The ACME platform: kpgen's library with the team's own mixin, defaults,
// presets and patches (see kpgen's docs/platform.md).
(import 'kpgen/lib/kpgen.libsonnet').platform({
  name: 'acme',
  mixins: {
    acme: {
      key: 'acme',
      mixin: import '../mixins/acme/mixin.libsonnet',
      component: import '../mixins/acme/component.libsonnet',
    },
  },
  defaults: import 'defaults.libsonnet',
  presets: {
    production: import 'presets/production.libsonnet',
    staging: import 'presets/staging.libsonnet',
  },
  patches: [
    import 'patches/owner-label.libsonnet',
  ],
})
