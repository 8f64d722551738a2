// Build-time minification of Lit `css\`…\`` tagged templates, which esbuild (and tsc) copy verbatim.
// Used by the kit bundles and scripts/size.mjs (esbuild plugin `minifyLitCss`) and on the tsc output
// in dist/ (`minifyCssTemplates(code, { keepLines: true })`, so dist source maps stay line-true).
// Vite / Storybook / the test runner read the sources unminified.
//
// Deliberately small and conservative: it removes comments, collapses whitespace, and drops
// whitespace only next to `{ } ; , :` outside strings (and `;` before `}`). It never touches
// `+ - > ~ *` or `/` (calc(), selectors, grid-area), quoted strings, escapes, or the text around a
// `${…}` (one space is kept there). A template it cannot read with certainty is left as it is.
import { readFileSync } from 'node:fs';

/** Minifies one static piece of CSS (no `${}` inside). Returns undefined when unsure. */
function minifyPiece(text, { keepLines, atStart, atEnd }) {
  let out = '';
  let i = 0;
  // Whitespace runs become one space (or their newlines, with keepLines); decided when flushed.
  let ws = '';
  const flush = (next) => {
    if (!ws) return;
    const prev = out[out.length - 1];
    const lines = keepLines ? ws.replace(/[^\n]/g, '') : '';
    const droppable = (prev === undefined && !atStart) || (next === undefined && !atEnd) || /[{};,:]/.test(prev ?? '') || (next !== undefined && /[{};,]/.test(next));
    const boundary = (prev === undefined && atStart) || (next === undefined && atEnd);
    out += lines || (droppable && !boundary ? '' : ' ');
    ws = '';
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      ws += keepLines ? text.slice(i, end + 2).replace(/[^\n]/g, '') || ' ' : ' ';
      i = end + 2;
    } else if (/\s/.test(c)) {
      ws += c;
      i++;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\n') return undefined;
        j += text[j] === '\\' ? 2 : 1;
      }
      if (j >= text.length) return undefined;
      flush(c);
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '\\') {
      flush(c);
      out += text.slice(i, i + 2);
      i += 2;
    } else {
      flush(c);
      if (c === '}' && out.endsWith(';')) out = out.slice(0, -1);
      out += c;
      i++;
    }
  }
  flush(undefined);
  return out;
}

/** Index just past the `}` closing the `${` expression that starts at `i` (after `${`), or -1. */
function skipExpression(code, i) {
  let depth = 1;
  while (i < code.length) {
    const c = code[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
    else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < code.length && code[j] !== c) j += code[j] === '\\' ? 2 : 1;
      i = j;
    } else if (c === '`') {
      const end = skipTemplate(code, i + 1);
      if (end < 0) return -1;
      i = end - 1;
    }
    i++;
  }
  return -1;
}

/** Index just past the closing backtick of a template whose body starts at `i`, or -1. */
function skipTemplate(code, i) {
  while (i < code.length) {
    const c = code[i];
    if (c === '\\') i += 2;
    else if (c === '`') return i + 1;
    else if (c === '$' && code[i + 1] === '{') {
      i = skipExpression(code, i + 2);
      if (i < 0) return -1;
    } else i++;
  }
  return -1;
}

/**
 * Minifies every `css\`…\`` template in JS/TS source text. With `keepLines`, every newline is kept
 * (line numbers and source maps stay valid). Returns the code unchanged when there is none.
 */
export function minifyCssTemplates(code, { keepLines = false } = {}) {
  const re = /(^|[^\w$.])css[ \t]*`/g; // tsc emits css `…`
  let out = '';
  let last = 0;
  let m;
  while ((m = re.exec(code))) {
    const bodyStart = m.index + m[0].length;
    // Split the template into static pieces and ${…} expressions.
    const pieces = [];
    const exprs = [];
    let i = bodyStart;
    let pieceStart = i;
    let end = -1;
    while (i < code.length) {
      const c = code[i];
      if (c === '\\') i += 2;
      else if (c === '`') {
        pieces.push(code.slice(pieceStart, i));
        end = i;
        break;
      } else if (c === '$' && code[i + 1] === '{') {
        pieces.push(code.slice(pieceStart, i));
        const after = skipExpression(code, i + 2);
        if (after < 0) break;
        exprs.push(code.slice(i, after));
        i = pieceStart = after;
      } else i++;
    }
    if (end < 0) break; // unreadable: leave the rest as it is
    const minified = pieces.map((p, k) => minifyPiece(p, { keepLines, atStart: k > 0, atEnd: k < pieces.length - 1 }));
    re.lastIndex = end + 1;
    if (minified.some((p) => p === undefined)) continue;
    out += code.slice(last, bodyStart) + minified.map((p, k) => p + (exprs[k] ?? '')).join('') + '`';
    last = end + 1;
  }
  return last ? out + code.slice(last) : code;
}

/** esbuild plugin: minifies Lit css templates in the workspace's own sources while bundling. */
export const minifyLitCss = {
  name: 'minify-lit-css',
  setup(build) {
    build.onLoad({ filter: /\/packages\/[^/]+\/src\/.*\.[cm]?[jt]s$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!/\bcss\s*`/.test(source)) return undefined;
      return { contents: minifyCssTemplates(source), loader: args.path.endsWith('ts') ? 'ts' : 'js' };
    });
  },
};
