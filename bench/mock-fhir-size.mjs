// Size of the mock's browser entry: esbuild --bundle --minify (browser, ES2022) | gzip -9.
// "without seed data" stubs the demo/large seed generators (a page that passes its own seed).
// Run: npx node bench/mock-fhir-size.mjs   → prints a Markdown table (appended to bench/mock-fhir.md by hand or by --write)
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = (f) => path.join(root, 'packages/mock-fhir/src', f);

const noSeeds = {
  name: 'no-seeds',
  setup(b) {
    b.onLoad({ filter: /mock-fhir\/src\/(seed|large)\.ts$/ }, (args) => ({
      loader: 'ts',
      contents: args.path.endsWith('seed.ts')
        ? 'export const fixtures = {}; export const demoSeed = () => []; export const emptySeed = () => []; export const zonedTime = () => 0; export const TIMEZONE_EXTENSION = ""; export const VIRTUAL_SERVICE_EXTENSION = "";'
        : 'export const largeSeed = () => () => [];',
    }));
  },
};

async function size(name, contents, plugins = []) {
  const out = await build({
    stdin: { contents, resolveDir: root, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', write: false,
    conditions: ['source', 'browser'], plugins, logLevel: 'silent',
  });
  const code = out.outputFiles[0].contents;
  return { name, min: code.length, gz: gzipSync(code, { level: 9 }).length };
}

const rows = [
  await size('core: createMockFhirCore (store, search, transactions, validation, faults; no MSW, no seed)', `export { createMockFhirCore } from ${JSON.stringify(src('mock.ts'))};`),
  await size('./browser without seed data (core + MSW setupWorker + ws.link relay)', `export * from ${JSON.stringify(src('browser.ts'))};`, [noSeeds]),
  await size('./browser with the demo + large seed generators', `export * from ${JSON.stringify(src('browser.ts'))};`),
  await size('for scale: msw/browser + msw (setupWorker, http, ws) alone', `export { setupWorker } from 'msw/browser'; export { http, ws } from 'msw';`),
];
const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
const table = [
  '## Browser entry size',
  '',
  `\`npx node bench/mock-fhir-size.mjs\` on ${new Date().toISOString().slice(0, 10)}: esbuild bundle, minified, ES2022, gzip -9; kB = 1000 bytes.`,
  '',
  '| bundle | min | min+gzip |',
  '| --- | ---: | ---: |',
  ...rows.map((r) => `| ${r.name} | ${kb(r.min)} | **${kb(r.gz)}** |`),
  '',
].join('\n');
console.log(table);
if (process.argv.includes('--write')) {
  const file = path.join(root, 'bench/mock-fhir.md');
  const current = readFileSync(file, 'utf8').replace(/\n## Browser entry size[\s\S]*$/, '\n');
  writeFileSync(file, `${current.trimEnd()}\n\n${table}`);
}
