// esbuild options shared by the kit bundles (scripts/build.mjs) and scripts/size.mjs, so the
// size report measures exactly what dist/ehr-kit.js ships: source TS, browser, ES2022, minified.
import { readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
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
 * elements' views and secondary flows) into shared chunks, partitioned by which chunks use it: the
 * kit's entry imported 6+ of them statically, so a page paid a request, a gzip stream and an
 * import/export list per piece. Here the entry and the chunks it imports statically are bundled
 * again into the one entry file (dynamic imports stay external), and then:
 * - the entry re-exports (renamed $<k><name>, live bindings) only the names of the merged chunks
 *   that lazy chunks import, and each lazy chunk imports them straight from the entry (one module
 *   instance: one Lit, one msg()); the merged chunks' files are deleted, so no request waits for a
 *   file that only re-exports the entry;
 * - each `import("./x.js")` (in the entry and in lazy chunks) whose target statically imports other
 *   lazy chunks (not loaded yet by the caller) first starts `import()` of each of them, every chunk
 *   after the chunks it imports, so the target's static closure is fetched in one round trip instead
 *   of one per level of imports (as Vite's modulepreload does; errors are swallowed, the real import
 *   reports them). Inline, no helper, no eval, no inline script: CSP-safe, ~20 B gzip per call site
 *   that needs it (none in dist/ehr-kit.js, whose views import only the entry). Unlike a
 *   <link rel=modulepreload>, import() also evaluates a preloaded chunk once its own imports are in:
 *   still after everything it imports, but two chunks that do not import each other may evaluate in
 *   either order (esbuild's split output does not promise that order either).
 * Source maps of the rewritten files are shifted to match.
 * Takes one entry ({ name: path }) and esbuild options (outdir, chunkNames…; `mergeEager: false`
 * = plain split output, `preload: false` = no preloading). Returns { entry, eager: [files],
 * lazy: [files], inputs: Map<file, bytes> (phase-one attribution), metafile (phase one) }.
 */
export async function buildSplitMerged(options) {
  const esbuild = await import('esbuild');
  const [name] = Object.keys(options.entryPoints);
  const { mergeEager, preload, ...esbuildOptions } = options;
  void mergeEager;
  const first = await esbuild.build({ ...esbuildOptions, splitting: true, metafile: true, write: true });
  const outs = first.metafile.outputs;
  const cwd = options.absWorkingDir ?? process.cwd();
  const abs = (o) => path.resolve(cwd, o);
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
  const lazyJs = [...lazy].filter((o) => o.endsWith('.js'));
  const lazyFiles = lazyJs.map(abs);
  const entryFile = abs(entryOut);
  if (!eager.size || options.mergeEager === false) return { entry: entryFile, eager: [entryFile, ...[...eager].map(abs)], lazy: lazyFiles, inputs, metafile: first.metafile };

  // What each lazy chunk imports from the chunks about to be merged (parsed from its import header).
  const eagerByFile = new Map([...eager].map((o, k) => [abs(o), { out: o, prefix: `$${k}`, used: new Set() }])); // no public export starts with $
  const headers = new Map();
  for (const o of lazyJs) {
    const file = abs(o);
    const code = readFileSync(file, 'utf8');
    const header = importHeader(code);
    for (const imp of header.imports) {
      const target = eagerByFile.get(path.resolve(path.dirname(file), imp.from));
      if (target) for (const [imported] of imp.names) target.used.add(imported);
    }
    headers.set(file, { code, header });
  }

  // Phase two: the entry plus, renamed and live, the names lazy chunks import from each merged chunk.
  const lines = [`export * from ${JSON.stringify(entryFile)};`];
  for (const [file, c] of eagerByFile) {
    if (c.used.size) lines.push(`export { ${[...c.used].map((e) => `${e} as ${c.prefix}${e}`).join(', ')} } from ${JSON.stringify(file)};`);
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
  for (const c of eagerByFile.keys()) {
    rmSync(c, { force: true });
    rmSync(`${c}.map`, { force: true });
  }

  // Static closure of a lazy output (lazy chunks only: the entry and what it merged are loaded
  // already), each chunk after the chunks it imports, so a file's imports are always requested first.
  const closure = (o, into = new Set(), seen = new Set([o])) => {
    for (const i of outs[o]?.imports ?? []) {
      if (i.kind === 'import-statement' && lazy.has(i.path) && !seen.has(i.path)) {
        seen.add(i.path);
        closure(i.path, into, seen);
        into.add(i.path);
      }
    }
    return into;
  };
  const keyOf = (file) => path.relative(cwd, file).split(path.sep).join('/');
  const relSpec = (from, to) => {
    const r = path.relative(path.dirname(from), to).split(path.sep).join('/');
    return r.startsWith('.') ? r : `./${r}`;
  };
  /** Edits for `code` (file `file`, output key `self`): each dynamic import preceded by its target's missing closure. */
  const preloads = (code, file, self) => {
    if (preload === false) return [];
    const loaded = self === entryOut ? new Set() : closure(self).add(self);
    const edits = [];
    for (const m of code.matchAll(/(?<![\w$.])import\(\s*"([^"]+)"\s*\)/g)) {
      const target = keyOf(path.resolve(path.dirname(file), m[1]));
      if (!lazy.has(target)) continue;
      const deps = [...closure(target)].filter((d) => !loaded.has(d) && d.endsWith('.js'));
      if (!deps.length) continue;
      const kick = deps.map((d) => `import(${JSON.stringify(relSpec(file, abs(d)))}).catch(()=>0),`).join('');
      edits.push({ start: m.index, end: m.index + m[0].length, text: `(${kick}${m[0]})` });
    }
    return edits;
  };

  // The merged entry, with its dynamic imports preloading.
  const outputs = new Map(merged.outputFiles.map((f) => [f.path, f.text]));
  const entryCode = outputs.get(entryFile);
  writeEdited(entryFile, entryCode, preloads(entryCode, entryFile, entryOut), outputs.get(`${entryFile}.map`));

  // Each lazy chunk: imports of merged chunks → one import from the entry; dynamic imports preloading.
  const entryName = path.basename(entryFile);
  for (const [file, { code, header }] of headers) {
    const fromEntry = [];
    let touchesEntry = false;
    const kept = [];
    for (const imp of header.imports) {
      const target = eagerByFile.get(path.resolve(path.dirname(file), imp.from));
      if (!target) kept.push(imp.text);
      else {
        touchesEntry = true;
        for (const [imported, local] of imp.names) fromEntry.push(`${target.prefix}${imported} as ${local}`);
      }
    }
    const edits = preloads(code, file, keyOf(file));
    if (touchesEntry) {
      const spec = JSON.stringify(relSpec(file, entryFile));
      const text = (fromEntry.length ? `import{${fromEntry.join(',')}}from${spec};` : `import${spec};`) + kept.join('');
      edits.unshift({ start: 0, end: header.end, text });
    }
    const mapFile = `${file}.map`;
    if (edits.length) writeEdited(file, code, edits, existsSync(mapFile) ? readFileSync(mapFile, 'utf8') : undefined);
    const written = edits.length ? readFileSync(file, 'utf8') : code;
    const left = [...eagerByFile.keys()].find((f) => written.includes(`/${path.basename(f)}"`));
    if (left) throw new Error(`buildSplitMerged: ${keyOf(file)} still refers to the merged chunk ${path.basename(left)} (not ${entryName})`);
  }
  return { entry: entryFile, eager: [entryFile], lazy: lazyFiles, inputs, metafile: first.metafile };
}

/**
 * The static imports at the top of an esbuild ESM output file: `import{a as b,c}from"./x.js";`,
 * `import"./y.js";`. Returns { imports: [{ text, from, names: [[imported, local]] }], end }.
 */
function importHeader(code) {
  const re = /\s*import\s*(?:\{([^}]*)\}\s*from\s*)?"([^"]+)"\s*;?/y;
  const imports = [];
  let end = 0;
  for (let m; (re.lastIndex = end), (m = re.exec(code)); end = re.lastIndex) {
    const names = (m[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
      const [imported, local = imported] = s.split(/\s+as\s+/);
      return [imported, local];
    });
    imports.push({ text: m[0].trim().replace(/;?$/, ';'), from: m[2], names });
  }
  return { imports, end };
}

/** Writes `code` with `edits` ({ start, end, text }, by offset) applied, and its source map shifted to match. */
function writeEdited(file, code, edits, map) {
  edits.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += code.slice(at, e.start) + e.text;
    at = e.end;
  }
  out += code.slice(at);
  writeFileSync(file, out);
  if (map === undefined) return;
  const json = JSON.parse(map);
  const oldStarts = lineStarts(code);
  const newStarts = lineStarts(out);
  // Old offset → new offset: after an edit, shifted by its growth; inside one, at its start.
  const moved = (offset) => {
    let delta = 0;
    for (const e of edits) {
      if (offset < e.start) break;
      if (offset < e.end) return e.start + delta;
      delta += e.text.length - (e.end - e.start);
    }
    return offset + delta;
  };
  const lines = newStarts.map(() => []);
  decodeMappings(json.mappings).forEach((segments, line) => {
    for (const s of segments) {
      const p = moved(oldStarts[line] + s[0]);
      let l = newStarts.length - 1;
      while (newStarts[l] > p) l--;
      lines[l].push([p - newStarts[l], ...s.slice(1)]);
    }
  });
  json.mappings = encodeMappings(lines);
  writeFileSync(`${file}.map`, JSON.stringify(json));
}

function lineStarts(text) {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

// Source map "mappings" (base64 VLQ): per generated line, segments of [column, source, line, column, name?];
// the column restarts at each line, the other fields are relative to the previous segment in the file.
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function decodeMappings(mappings) {
  const prev = [0, 0, 0, 0, 0];
  return mappings.split(';').map((line) => {
    prev[0] = 0;
    return line.split(',').filter(Boolean).map((seg) => {
      const fields = [];
      let value = 0, shift = 0;
      for (const ch of seg) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = shift = 0;
        }
      }
      return fields.map((f, i) => (prev[i] += f));
    });
  });
}

function encodeMappings(lines) {
  const prev = [0, 0, 0, 0, 0];
  const vlq = (n) => {
    let v = n < 0 ? (-n << 1) | 1 : n << 1, s = '';
    do {
      let digit = v & 31;
      v >>>= 5;
      if (v) digit |= 32;
      s += B64[digit];
    } while (v);
    return s;
  };
  return lines.map((segments) => {
    prev[0] = 0;
    return segments.map((seg) => seg.map((f, i) => {
      const d = f - prev[i];
      prev[i] = f;
      return vlq(d);
    }).join('')).join(',');
  }).join(';');
}
