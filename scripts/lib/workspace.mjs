// Discovers the workspace packages from the root package.json, so every script works as packages
// land: nothing here names a package except @ehr-kit/kit (which aggregates the others).
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const KIT = '@ehr-kit/kit';

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Expands the root "workspaces" (plain paths, or a trailing `/*`). */
function workspaceDirs() {
  const { workspaces = [] } = readJson(path.join(root, 'package.json'));
  const dirs = [];
  for (const ws of Array.isArray(workspaces) ? workspaces : workspaces.packages ?? []) {
    if (ws.endsWith('/*')) {
      const parent = path.join(root, ws.slice(0, -2));
      for (const d of readdirSync(parent, { withFileTypes: true })) if (d.isDirectory()) dirs.push(path.join(parent, d.name));
    } else dirs.push(path.join(root, ws));
  }
  return dirs.filter((d) => existsSync(path.join(d, 'package.json')));
}

/**
 * Tags a package registers in src/define.ts: `define('ehr-x', …)`, `customElements.define('ehr-x', …)`,
 * or its `HTMLElementTagNameMap` entries. A define.ts with no tag (core's `define()` helper) is not
 * an element registration.
 */
export function definedTags(dir) {
  const file = path.join(dir, 'src/define.ts');
  if (!existsSync(file)) return [];
  const src = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  const calls = [...src.matchAll(/\bdefine\(\s*['"`]([a-z][a-z0-9]*-[a-z0-9-]*)['"`]/g)].map((m) => m[1]);
  // HTMLElementTagNameMap entries name the tag even when define() is given a constant.
  const mapped = [...src.matchAll(/['"]([a-z][a-z0-9]*-[a-z0-9-]*)['"]\s*:\s*[A-Z]\w*\s*;/g)].map((m) => m[1]);
  return [...new Set([...calls, ...mapped])];
}

/**
 * @typedef {{ name: string, dir: string, rel: string, pkg: any, deps: string[], tags: string[],
 *   hasDefine: boolean, isElementPackage: boolean, usesLit: boolean, hasSource: boolean }} WsPackage
 * @returns {WsPackage[]} in dependency order (a package after everything it depends on)
 */
export function packages() {
  const list = workspaceDirs().map((dir) => {
    const pkg = readJson(path.join(dir, 'package.json'));
    const allDeps = { ...pkg.peerDependencies, ...pkg.devDependencies, ...pkg.dependencies };
    const hasDefine = existsSync(path.join(dir, 'src/define.ts'));
    const tags = definedTags(dir);
    return {
      name: pkg.name,
      dir,
      rel: path.relative(root, dir),
      pkg,
      allDeps,
      deps: [],
      tags,
      hasDefine,
      isElementPackage: hasDefine && tags.length > 0,
      usesLit: 'lit' in allDeps,
      hasSource: existsSync(path.join(dir, 'src/index.ts')),
    };
  });
  const names = new Set(list.map((p) => p.name));
  for (const p of list) p.deps = Object.keys(p.allDeps).filter((d) => names.has(d));
  // Topological order; a cycle is reported rather than looping.
  const byName = new Map(list.map((p) => [p.name, p]));
  const out = [];
  const state = new Map();
  const visit = (p, trail) => {
    if (state.get(p.name) === 'done') return;
    if (state.get(p.name) === 'visiting') throw new Error(`dependency cycle: ${[...trail, p.name].join(' → ')}`);
    state.set(p.name, 'visiting');
    for (const d of p.deps) visit(byName.get(d), [...trail, p.name]);
    state.set(p.name, 'done');
    out.push(p);
  };
  for (const p of list) visit(p, []);
  return out;
}

/** Element packages other than the kit (each has src/define.ts registering at least one tag). */
export const elementPackages = (all = packages()) => all.filter((p) => p.isElementPackage && p.name !== KIT);
