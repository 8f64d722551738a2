// esbuild options shared by the kit bundles (scripts/build.mjs) and scripts/size.mjs, so the
// size report measures exactly what dist/ehr-kit.js ships: source TS, browser, ES2022, minified.
import path from 'node:path';
import { root } from './workspace.mjs';
import { minifyLitCss } from './minify-css.mjs';

/** `@lit/localize` → scripts/lib/lit-localize-lean.js (its entry without the eager runtime; see there). */
const leanLitLocalize = {
  name: 'lean-lit-localize',
  setup(build) {
    build.onResolve({ filter: /^@lit\/localize$/ }, () => ({ path: path.join(root, 'scripts/lib/lit-localize-lean.js') }));
  },
};

export const bundleOptions = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  conditions: ['source'],
  legalComments: 'none',
  tsconfig: path.join(root, 'tsconfig.json'),
  logLevel: 'warning',
  // Lit css`` templates are copied verbatim by esbuild's minifier; this collapses them.
  plugins: [minifyLitCss, leanLitLocalize],
};

/**
 * Where an input file's bytes go in the size breakdown: Lit's three layers, each @lit/* add-on,
 * our packages (core per module), anything else by package name.
 */
export function inputGroup(input) {
  const dep = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1];
  if (dep) return dep === 'lit' ? 'lit (re-exports)' : dep;
  const own = input.match(/^packages\/([^/]+)\/src\/(.+)\.ts$/);
  if (own) return own[1] === 'core' ? `core: ${own[2]}` : `@ehr-kit/${own[1]}`;
  return input.includes('virtual:') ? 'the probe element itself' : input;
}
