// npm run size: min+gzip bytes of what a page loads, per entry, with budgets. Each entry is bundled
// from source by esbuild (browser, ES2022, minified, everything it imports included: Lit, @lit/*,
// core, fhir-client), gzip level 9. Dynamic imports become separate chunks (splitting), so the
// "eager" number is what loads up front and lazy chunks are listed apart. As in the kit's dist build,
// the chunks the entry imports statically are merged into the entry file (scripts/lib/bundle.mjs);
// --no-merge measures esbuild's plain split output (entry + shared chunks, each gzipped alone).
// Writes bench/size.md; exits 1 over budget:
//   whole kit (dist/ehr-kit.js, eager) ≤ 35 kB; one element with Lit ≤ 15 kB;
//   no SMART code (oidc-client-ts, @ehr-kit/auth/smart) in the eager part of any element or the kit.
// kB = 1000 bytes. --json prints the rows instead. --why lists the biggest inputs of each eager bundle. Packages are discovered (scripts/lib/workspace.mjs), nothing here names an element.
// Two probes measure the platform every element pays for: a bare LitElement, and an empty
// EhrElement subclass; the report breaks each eager bundle down by where its bytes come from
// (Lit's layers, @lit/task, @lit/context, @lit/localize, fhir-client, each core module).
import { mkdtempSync, rmSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { packages, root, KIT } from './lib/workspace.mjs';
import { bundleOptions, inputGroup, buildSplitMerged } from './lib/bundle.mjs';

const KB = 1000;
const BUDGET = { kit: 35 * KB, element: 15 * KB };
const SMART = [/node_modules\/oidc-client-ts\//, /packages\/auth\/src\/smart/];
const kB = (n) => `${(n / KB).toFixed(1)} kB`;

const all = packages();
const byName = new Map(all.map((p) => [p.name, p]));
const out = mkdtempSync(path.join(tmpdir(), 'ehr-size-'));
const rows = [];
const problems = [];
const notes = [];

/** Resolves `spec` (a package export) through the `source` condition to its src/*.ts file. */
function sourceOf(pkgName, subpath) {
  const p = byName.get(pkgName);
  const exp = p?.pkg.exports?.[subpath];
  const src = typeof exp === 'object' ? exp.source : undefined;
  return src && existsSync(path.join(p.dir, src)) ? path.join(p.dir, src) : undefined;
}

/** Entries written inline (`virtual:name` → TS source), resolved from the repo root like a real file. */
const probes = new Map();
const probePlugin = {
  name: 'probe',
  setup(build) {
    build.onResolve({ filter: /^virtual:/ }, (a) => ({ path: a.path, namespace: 'probe' }));
    build.onLoad({ filter: /.*/, namespace: 'probe' }, (a) => ({ contents: probes.get(a.path), loader: 'ts', resolveDir: root }));
  },
};

async function measure(label, entry, { kind, budget }) {
  const dir = path.join(out, String(rows.length));
  // The same pipeline as the kit's dist build: split, then the eager chunks merged into the entry
  // (scripts/lib/bundle.mjs); --no-merge measures the plain esbuild split output instead.
  const options = {
    ...bundleOptions,
    entryPoints: { entry },
    plugins: [probePlugin, ...(bundleOptions.plugins ?? [])],
    outdir: dir, chunkNames: 'chunk-[hash]', logLevel: 'error',
  };
  const built = process.argv.includes('--no-merge')
    ? await buildSplitMerged({ ...options, mergeEager: false })
    : await buildSplitMerged(options);
  const outputs = built.metafile.outputs;
  const eager = built.eager;
  const lazyFiles = built.lazy;
  const bytes = (files) => {
    let min = 0, gz = 0;
    for (const f of files) {
      const buf = readFileSync(f);
      min += buf.length;
      gz += gzipSync(buf, { level: 9 }).length;
    }
    return { min, gz };
  };
  const e = bytes(eager);
  const lazy = bytes(lazyFiles);
  const rel = (f) => path.relative(process.cwd(), f);
  // First content: an element's view (a lazy src/view.ts, loaded in parallel with its first FHIR request)
  // and the lazy chunks that view imports statically. Up front + these = what a page loads before the
  // element shows its content; the budget is on up front, as the issue words it, and both are reported.
  const lazyKeys = new Set(lazyFiles.map(rel));
  const first = new Set();
  const addFirst = (o) => {
    if (first.has(o) || !lazyKeys.has(o)) return;
    first.add(o);
    for (const i of outputs[o]?.imports ?? []) if (i.kind === 'import-statement') addFirst(i.path);
  };
  for (const o of lazyKeys) if (Object.keys(outputs[o]?.inputs ?? {}).some((i) => /^packages\/[^/]+\/src\/view\.ts$/.test(i))) addFirst(o);
  const firstContent = first.size ? e.gz + bytes([...first].map((o) => path.resolve(o))).gz : undefined;
  const smartEager = [...built.inputs.keys()].filter((i) => SMART.some((re) => re.test(i)));
  const lazyInputs = lazyFiles.flatMap((f) => Object.keys(outputs[rel(f)]?.inputs ?? {}));
  const smartLazy = lazyInputs.some((i) => SMART.some((re) => re.test(i)));
  let status = 'ok';
  if (budget && e.gz > budget) {
    status = `over ${kB(budget)}`;
    problems.push(`${label}: ${kB(e.gz)} gzip is over the ${kB(budget)} budget`);
  }
  if ((kind === 'element' || kind === 'kit') && smartEager.length) {
    status = 'SMART eager';
    problems.push(`${label}: SMART code in the eager bundle (${smartEager.slice(0, 3).join(', ')})`);
  }
  // Minified bytes per source (inputGroup); what no input accounts for is esbuild's own runtime
  // (decorator/private-field helpers, emitted once per bundle) and chunk import/export glue.
  const groups = new Map();
  let attributed = 0;
  for (const [i, b] of built.inputs) {
    groups.set(inputGroup(i), (groups.get(inputGroup(i)) ?? 0) + b);
    attributed += b;
  }
  groups.set('esbuild helpers + chunk glue', e.min - attributed);
  if (process.argv.includes('--why')) {
    // Biggest eager inputs (minified bytes before gzip), to see where a budget goes.
    const top = [...built.inputs].sort((a, b) => b[1] - a[1]).slice(0, 12);
    console.log(`\n${label}:\n${top.map(([i, b]) => `  ${kB(b).padStart(9)}  ${i}`).join('\n')}`);
  }
  rows.push({ label, kind, groups, ...e, firstContent, lazyMin: lazy.min, lazyGz: lazy.gz, lazyCount: lazyFiles.length, smartLazy, budget, status });
}

const elementPkgs = all.filter((p) => p.isElementPackage && p.name !== KIT);
probes.set('virtual:lit', `import { LitElement, html } from 'lit';
class P extends LitElement { override render() { return html\`<p>probe</p>\`; } }
customElements.define('size-probe', P);`);
probes.set('virtual:ehr-element', `import { html } from 'lit';
import { EhrElement, define } from '@ehr-kit/core';
class P extends EhrElement { override render() { return html\`<p>probe</p>\`; } }
define('size-probe', P);`);
try {
  await measure('probe: a bare LitElement (Lit alone)', 'virtual:lit', { kind: 'probe' });
  await measure('probe: an empty EhrElement subclass (the platform)', 'virtual:ehr-element', { kind: 'probe' });
  for (const p of elementPkgs) {
    const entry = sourceOf(p.name, './define');
    if (entry) await measure(`${p.name}/define (${p.tags.map((t) => `<${t}>`).join(' ')})`, entry, { kind: 'element', budget: BUDGET.element });
    else notes.push(`${p.name}: no "./define" export with a source file yet (run npm run build to sync)`);
  }
  for (const p of all.filter((q) => q.usesLit && !q.isElementPackage && q.name !== KIT && q.hasSource)) {
    if (!elementPkgs.length || p.name !== '@ehr-kit/core') notes.push(`${p.name}: no element registered in src/define.ts yet`);
  }
  const fhirClient = sourceOf('@ehr-kit/fhir-client', '.');
  if (fhirClient) await measure('@ehr-kit/fhir-client', fhirClient, { kind: 'lib' });
  const authEager = sourceOf('@ehr-kit/auth', '.');
  if (authEager) await measure('@ehr-kit/auth (eager)', authEager, { kind: 'lib' });
  const smart = sourceOf('@ehr-kit/auth', './smart');
  if (smart) await measure('@ehr-kit/auth/smart (lazy, SMART on oidc-client-ts)', smart, { kind: 'lazy' });
  else notes.push('@ehr-kit/auth: no "./smart" export yet');
  const kit = byName.get(KIT);
  if (kit && existsSync(path.join(kit.dir, 'src/ehr-kit.ts'))) {
    await measure('@ehr-kit/kit → dist/ehr-kit.js (every element + Lit)', path.join(kit.dir, 'src/ehr-kit.ts'), { kind: 'kit', budget: BUDGET.kit });
  }
} catch (error) {
  console.error(`size: could not bundle: ${error.message}`);
  rmSync(out, { recursive: true, force: true });
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });

// --json: the rows as JSON on stdout, nothing written (bench/slot-picker.bench.mjs reads its element's
// row from here, so there is one way to measure size).
if (process.argv.includes('--json')) {
  const pick = ({ label, kind, min, gz, firstContent, lazyMin, lazyGz, lazyCount, budget, status }) =>
    ({ label, kind, min, gz, firstContent, lazyMin, lazyGz, lazyCount, budget, status });
  console.log(JSON.stringify(rows.map(pick), null, 2));
  process.exit(problems.length ? 1 : 0);
}

const header = '| entry | min | **min+gzip** | budget | to first content (min+gzip) | lazy chunks (min+gzip) | status |\n| --- | ---: | ---: | ---: | ---: | ---: | --- |';
const lines = rows.map(
  (r) =>
    `| ${r.label} | ${kB(r.min)} | **${kB(r.gz)}** | ${r.budget ? kB(r.budget) : '—'} | ${r.firstContent ? kB(r.firstContent) : '—'} | ${
      r.lazyCount ? `${r.lazyCount} · ${kB(r.lazyGz)}${r.smartLazy ? ' (incl. SMART)' : ''}` : '—'
    } | ${r.status} |`,
);
// Where the bytes go: one column per Lit-based eager bundle, one row per source group.
const cols = rows.filter((r) => r.kind !== 'lib' && r.kind !== 'lazy');
const short = (l) => l.match(/\((<[^)]*>)\)/)?.[1].replace(/</g, '&lt;') ?? l.replace(/^probe: /, '').replace(/ \(.*$/, '').replace(/ → .*/, '').replace(/\/define$/, '');
const order = ['lit-html', '@lit/reactive-element', 'lit-element', 'lit (re-exports)', '@lit/task', '@lit/context', '@lit/localize', '@ehr-kit/fhir-client'];
const groupNames = [...new Set(cols.flatMap((r) => [...r.groups.keys()]))]
  .filter((g) => cols.some((r) => (r.groups.get(g) ?? 0) > 0))
  .sort((a, b) => {
    const ia = order.indexOf(a), ib = order.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    if (a.startsWith('core: ') !== b.startsWith('core: ')) return a.startsWith('core: ') ? -1 : 1;
    return a === 'esbuild helpers + chunk glue' ? 1 : b === 'esbuild helpers + chunk glue' ? -1 : a.localeCompare(b);
  });
const cell = (n) => (n ? (n / KB).toFixed(2) : '·');
const breakdown = [
  `| source (kB minified, before gzip) | ${cols.map((r) => short(r.label)).join(' | ')} |`,
  `| --- | ${cols.map(() => '---:').join(' | ')} |`,
  ...groupNames.map((g) => `| ${g} | ${cols.map((r) => cell(r.groups.get(g))).join(' | ')} |`),
  `| **total minified** | ${cols.map((r) => `**${cell(r.min)}**`).join(' | ')} |`,
  `| **total min+gzip** | ${cols.map((r) => `**${cell(r.gz)}**`).join(' | ')} |`,
].join('\n');
const comparison =
  '> For comparison, from PRODUCT.md (quoted, not measured here): "Medplum\'s React kit pulls in React and Mantine: about 267 KB gzipped for four components".';
const md = `# Bundle size

Generated by \`npm run size\` (scripts/size.mjs) on ${new Date().toISOString().slice(0, 10)}. Each entry is bundled from source with
esbuild (browser, ES2022, minified, Lit and every dependency included), gzip level 9; kB = 1000 bytes.
"min+gzip" is what loads up front (one file: the eager chunks are merged into the entry, as in dist/ehr-kit.js); dynamic
imports (SMART sign-in, Spanish translations and @lit/localize's runtime, secondary flows) are lazy chunks, listed apart.
An element's eager file is a shell (properties, client, data task, loading and error states); its view is a lazy
\`src/view.ts\` whose load starts when the element is defined, in parallel with its first FHIR request. "To first
content" is up front + the view and the chunks it imports statically: what a page has loaded when the element's
content shows. Everything else in "lazy chunks" loads later (on idle, on use) or never (SMART without SMART).
Budgets (on up front, as issue 2 words them): whole kit ≤ 35 kB, one element with Lit ≤ 15 kB, SMART code (oidc-client-ts) never in an element's or the kit's eager code.

${header}
${lines.join('\n')}

${comparison}

## Where the bytes go

Minified bytes of each eager bundle by source (esbuild metafile). Gzip does not add up per source, so only
totals are gzipped. The two probes are the floor every element pays: Lit alone, and an empty \`EhrElement\`
subclass (Lit + @lit/task + @lit/context + @lit/localize + the standalone FhirClient + core's base).

${breakdown}
${notes.length ? `\nNot measured yet:\n${notes.map((n) => `- ${n}`).join('\n')}\n` : ''}`;
mkdirSync(path.join(root, 'bench'), { recursive: true });
writeFileSync(path.join(root, 'bench/size.md'), md);

console.log(`${header}\n${lines.join('\n')}\n\n${comparison.replace(/^> /, '')}`);
for (const n of notes) console.log(`note: ${n}`);
if (problems.length) {
  for (const p of problems) console.error(`size: ${p}`);
  process.exit(1);
}
console.log('size: every budget met (bench/size.md written)');
