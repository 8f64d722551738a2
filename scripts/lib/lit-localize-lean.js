// What our bundles get for `import … from '@lit/localize'` (alias in scripts/lib/bundle.mjs):
// the package's entry minus its runtime/transform re-exports. @lit/localize's entry re-exports
// configureLocalization (and, through it, the runtime msg(), id hashing, Deferred) and has no
// "sideEffects" field, so every bundle carried ~1.8 kB of runtime an English page never runs.
// Core loads '@lit/localize/init/runtime.js' itself, lazily, the first time another locale is
// asked for (packages/core/src/i18n.ts). Same module files, so one msg() implementation.
export * from '@lit/localize/internal/locale-status-event.js';
export * from '@lit/localize/internal/str-tag.js';
export { msg } from '@lit/localize/init/install.js';
export * from '@lit/localize/internal/localized-controller.js';
export * from '@lit/localize/internal/localized-decorator.js';
