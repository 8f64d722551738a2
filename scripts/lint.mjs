// npm run lint: ESLint (eslint.config.js) over the repo, then lit-analyzer's template type checks
// over packages/*/src. Exits 1 if either reports an error.
// lit-analyzer 2.0.3 understands Lit 3 elements with standard `@property() accessor` fields
// (checked: a `.days=${'seven'}` binding to a number property is reported), with two known gaps,
// handled here rather than by silencing whole rules:
//   - Lit's `nothing` (a unique symbol) shows as `Symbol(undefined)` and is reported as
//     incompatible with every attribute type: such reports are dropped (false positives);
//   - its CSS parser predates container queries (`container-type`, `@container`): no-invalid-css off;
//   - a `string` bound to an attribute it types as a closed list of literals (`type`, `autocomplete`,
//     whose list misses compound tokens) is a warning, not an error.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { root } from './lib/workspace.mjs';

const bin = (name) => path.join(root, 'node_modules/.bin', name);
const only = process.argv.slice(2);
let failed = false;

if (!only.length || only.includes('eslint')) {
  console.log('lint: eslint');
  const r = spawnSync(bin('eslint'), ['.', '--max-warnings=-1'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}

if (!only.length || only.includes('lit')) {
  console.log('lint: lit-analyzer (template type checks)');
  const r = spawnSync(
    bin('lit-analyzer'),
    ['packages/*/src/**/*.ts', '--format', 'list', '--noColor', '--rules.no-invalid-css', 'off'],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  let file = '';
  let errors = 0;
  let dropped = 0;
  const report = [];
  for (const line of out.split('\n')) {
    if (line.startsWith('./')) file = line;
    const m = line.match(/^\s+(\d+):(\d+)\s+(error|warning)\s+(.*)$/);
    if (!m) continue;
    const rest = m[4].replace(/ \| Symbol\(undefined\)|Symbol\(undefined\) \| /g, '');
    const [, from, to] = rest.match(/^Type '([^']*)' is not assignable to '([^']*)'/) ?? [];
    if (from && to && m[4].includes('Symbol(undefined)') && (to.includes(from) || (from === 'string' && /\bstring\b/.test(to)))) {
      // `cond ? 'x' : nothing` bound to an attribute: fine at runtime, Lit removes the attribute.
      dropped++;
      continue;
    }
    let severity = m[3];
    if (from === 'string' && to && /^("[^"]*"( \| )?)+( \| \.\.\. \d+ more \.\.\.)?$/.test(to.replace(/ \| \.\.\. \d+ more \.\.\./, ''))) {
      // A string into an attribute lit-analyzer types as a closed list (type, autocomplete): the
      // list is incomplete (autocomplete takes compound tokens), so this is a hint, not an error.
      severity = 'warning';
    }
    if (severity === 'error') errors++;
    report.push(`${file}:${m[1]}:${m[2]}  ${severity}  ${m[4]}`);
  }
  if (report.length) console.log(report.join('\n'));
  if (r.status !== 0 && !report.length && !dropped) {
    console.log(out);
    failed = true;
  }
  console.log(`lit-analyzer: ${errors} error(s), ${report.length - errors} warning(s)${dropped ? `, ${dropped} report(s) about Lit's \`nothing\` dropped` : ''}`);
  if (errors) failed = true;
}

process.exit(failed ? 1 : 0);
