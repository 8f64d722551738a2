// esbuild options shared by the kit bundles (scripts/build.mjs) and scripts/size.mjs, so the
// size report measures exactly what dist/ehr-kit.js ships: source TS, browser, ES2022, minified.
import { writeFileSync, rmSync } from 'node:fs';
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

/**
 * esbuild with code splitting, then the entry's eager part merged into the entry file.
 *
 * esbuild moves code shared between the entry and its lazy chunks (SMART, translations, the
 * elements' secondary flows) into shared chunks, partitioned by which chunks use it: the kit's
 * entry imported 6 of them statically, so a page paid a request, a gzip stream and an
 * import/export list per piece. Here the entry and the chunks it imports statically are bundled
 * again into the one entry file (dynamic imports stay external), and each merged chunk becomes a
 * facade that re-exports, with live bindings, from the entry — so the lazy chunks that import
 * it get the same module instances (one Lit, one msg()).
 * Takes one entry ({ name: path }) and esbuild options (outdir, chunkNames…). Returns
 * { entry, eager: [files], lazy: [files], inputs: Map<file, bytes> (phase-one attribution) }.
 */
export async function buildSplitMerged(options) {
  const esbuild = await import('esbuild');
  const [name] = Object.keys(options.entryPoints);
  const { mergeEager, ...esbuildOptions } = options;
  void mergeEager;
  const first = await esbuild.build({ ...esbuildOptions, splitting: true, metafile: true, write: true });
  const outs = first.metafile.outputs;
  const abs = (o) => path.resolve(options.absWorkingDir ?? process.cwd(), o);
  const entryOut = Object.keys(outs).find((o) => o.endsWith(`/${name}.js`));
  const eager = new Set();
  const walk = (o) => {
    for (const i of outs[o].imports) {
      if (i.kind === 'import-statement' && outs[i.path] && !eager.has(i.path)) {
        eager.add(i.path);
        walk(i.path);
      }
    }
  };
  walk(entryOut);
  const inputs = new Map();
  for (const o of [entryOut, ...eager]) for (const [i, v] of Object.entries(outs[o].inputs)) inputs.set(i, (inputs.get(i) ?? 0) + v.bytesInOutput);
  const lazy = new Set();
  const reach = (o) => {
    if (lazy.has(o) || !outs[o] || o === entryOut || eager.has(o)) return;
    lazy.add(o);
    for (const i of outs[o].imports) reach(i.path);
  };
  for (const o of [entryOut, ...eager]) for (const i of outs[o].imports) if (i.kind === 'dynamic-import') reach(i.path);
  const lazyFiles = [...lazy].filter((o) => o.endsWith('.js')).map(abs);
  const entryFile = abs(entryOut);
  if (!eager.size || options.mergeEager === false) return { entry: entryFile, eager: [entryFile, ...[...eager].map(abs)], lazy: lazyFiles, inputs, metafile: first.metafile };
  if (!eager.size) return { entry: entryFile, eager: [entryFile], lazy: lazyFiles, inputs, metafile: first.metafile };

  // Phase two: the entry plus every export of each eager chunk (renamed, live) in one file.
  const chunks = [...eager].map((o, k) => ({ file: abs(o), exports: outs[o].exports, prefix: `$${k}` })); // no public export starts with $
  const lines = [`export * from ${JSON.stringify(entryFile)};`];
  for (const c of chunks) {
    if (c.exports.length) lines.push(`export { ${c.exports.map((e) => `${e} as ${c.prefix}${e}`).join(', ')} } from ${JSON.stringify(c.file)};`);
  }
  const entryDir = path.dirname(entryFile);
  const merged = await esbuild.build({
    stdin: { contents: lines.join('\n'), resolveDir: entryDir, sourcefile: `${name}.merge.js`, loader: 'js' },
    bundle: true, format: 'esm', platform: 'browser', target: options.target, minify: options.minify, legalComments: 'none',
    sourcemap: options.sourcemap, write: false, outfile: entryFile, allowOverwrite: true, logLevel: 'error',
    plugins: [{
      name: 'lazy-stays-external',
      setup(build) {
        build.onResolve({ filter: /.*/ }, (a) => {
          if (a.kind !== 'dynamic-import') return undefined;
          const target = path.resolve(a.resolveDir, a.path);
          return { path: `./${path.relative(entryDir, target).split(path.sep).join('/')}`, external: true };
        });
      },
    }],
  });
  for (const f of merged.outputFiles) writeFileSync(f.path, f.contents);
  for (const c of chunks) {
    const rel = path.relative(path.dirname(c.file), entryFile).split(path.sep).join('/');
    const spec = JSON.stringify(rel.startsWith('.') ? rel : `./${rel}`);
    writeFileSync(c.file, c.exports.length ? `export{${c.exports.map((e) => `${c.prefix}${e} as ${e}`).join(',')}}from${spec};\n` : '');
    rmSync(`${c.file}.map`, { force: true });
  }
  return { entry: entryFile, eager: [entryFile], lazy: lazyFiles, inputs, metafile: first.metafile };
}
