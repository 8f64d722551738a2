// npm run build: every workspace package → dist/ (ESM + .d.ts), Custom Elements Manifests, and the
// @ehr-kit/kit bundles. Packages are discovered from the root package.json (scripts/lib/workspace.mjs).
//   1. sync derived files (scripts/sync-workspace.mjs): ./define exports, tsconfig.build.json, kit sources
//   2. clean each dist/, then one `tsc -b` over every package's tsconfig.build.json (project references:
//      one process, dependency order, each package's .d.ts feeds the next)
//   3. custom-elements.json for core and each element package (+ a merged one for the kit), and
//      from it the kit's React JSX and Vue types (dist/react.d.ts, dist/vue.d.ts)
//   4. @ehr-kit/kit: dist/ehr-kit.js (all elements + Lit, minified, one file; SMART sign-in and
//      translations stay lazy chunks in dist/chunks/) and dist/autoloader.js (+ one chunk per element)
// Flags: --no-bundle (skip 4), --keep-going (carry on after type errors; still exits 1), --quiet
import { rmSync, readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { packages, root, KIT } from './lib/workspace.mjs';
import { bundleOptions, buildSplitMerged } from './lib/bundle.mjs';
import { minifyCssTemplates } from './lib/minify-css.mjs';
import { sync } from './sync-workspace.mjs';
import { analyzeWorkspace, write } from './lib/cem.mjs';
import { describeElements, writeFrameworkTypes } from './lib/framework-types.mjs';

const t0 = performance.now();
const args = new Set(process.argv.slice(2));
const log = (...a) => args.has('--quiet') || console.log(...a);
const secs = (t) => `${((performance.now() - t) / 1000).toFixed(1)}s`;

// 1. derived files
const changed = sync();
if (changed.length) log(`sync: updated ${changed.join(', ')} (commit these)`);
const all = packages().filter((p) => p.hasSource);

// 2. clean + tsc -b
let t = performance.now();
for (const p of all) rmSync(path.join(p.dir, 'dist'), { recursive: true, force: true });
const projects = all.map((p) => path.join(p.rel, 'tsconfig.build.json'));
try {
  execFileSync(path.join(root, 'node_modules/.bin/tsc'), ['-b', ...projects], { cwd: root, stdio: 'inherit' });
} catch {
  console.error('build: tsc failed (see above)');
  if (!args.has('--keep-going')) process.exit(1);
  process.exitCode = 1;
}
log(`tsc: ${all.length} packages → dist/ (ESM + .d.ts) in ${secs(t)}`);

// 2b. Lit css`` templates in dist/*.js minified (tsc and users' bundlers copy them verbatim); every
// newline is kept, so dist's source maps still point at the right lines.
let cssSaved = 0;
for (const p of all) {
  const dist = path.join(p.dir, 'dist');
  if (!existsSync(dist)) continue;
  for (const f of readdirSync(dist, { recursive: true })) {
    if (!String(f).endsWith('.js')) continue;
    const file = path.join(dist, String(f));
    const code = readFileSync(file, 'utf8');
    const min = minifyCssTemplates(code, { keepLines: true });
    if (min !== code) {
      writeFileSync(file, min);
      cssSaved += code.length - min.length;
    }
  }
}
log(`css: Lit css templates in dist/ minified (${(cssSaved / 1000).toFixed(1)} kB less)`);

// 3. Custom Elements Manifests
t = performance.now();
const byName = new Map(all.map((p) => [p.name, p]));
const { manifests, merged } = analyzeWorkspace(all);
for (const [name, manifest] of manifests) write(path.join(byName.get(name).dir, 'custom-elements.json'), manifest);
const kit = byName.get(KIT);
if (kit) write(path.join(kit.dir, 'custom-elements.json'), merged);
if (kit) writeFrameworkTypes(path.join(kit.dir, 'dist'), describeElements(merged, all));
const tags = merged.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.tagName).map((d) => `<${d.tagName}>`);
log(`cem: ${manifests.size} manifests + react/vue types (${tags.join(' ') || 'no elements yet'}) in ${secs(t)}`);

// 4. kit bundles (options shared with scripts/size.mjs, including the css`` minifier)
export { bundleOptions };

if (kit && !args.has('--no-bundle')) {
  t = performance.now();
  const dist = path.join(kit.dir, 'dist');
  const common = { ...bundleOptions, splitting: true, outdir: dist, chunkNames: 'chunks/[name]-[hash]', sourcemap: true, metafile: true };
  // Split (SMART, translations, the elements' views and secondary flows stay lazy chunks), then the
  // entry's eager chunks merged into the entry file (scripts/lib/bundle.mjs: one request, one gzip
  // stream; lazy chunks import the shared code straight from the entry, and each import() starts
  // fetching its target's own static imports with it).
  const kitBuild = await buildSplitMerged({ ...common, entryPoints: { 'ehr-kit': path.join(kit.dir, 'src/ehr-kit.ts') } });
  const autoBuild = await buildSplitMerged({ ...common, entryPoints: { autoloader: path.join(kit.dir, 'src/autoloader.ts') }, chunkNames: 'elements/[name]-[hash]' });
  const eagerSize = ({ eager }) => {
    let min = 0, gz = 0;
    for (const f of eager) {
      const buf = readFileSync(f);
      min += buf.length;
      gz += gzipSync(buf, { level: 9 }).length;
    }
    return `${eager.length} file${eager.length > 1 ? 's' : ''}, ${(min / 1000).toFixed(1)} kB min, ${(gz / 1000).toFixed(1)} kB gzip`;
  };
  log(`kit: dist/ehr-kit.js eager (${eagerSize(kitBuild)}), dist/autoloader.js (${eagerSize(autoBuild)}) in ${secs(t)}`);
}

log(`build: done in ${secs(t0)}`);
