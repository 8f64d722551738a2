// Custom Elements Manifests for the workspace, with @custom-elements-manifest/analyzer (--litelement
// plugins) run in-process. Two additions the CLI lacks:
//   - core's guarded `define('ehr-x', Class)` counts as a custom-element definition;
//   - members, attributes and events inherited from a class in another workspace package
//     (every element extends core's EhrElement) are copied in, with `inheritedFrom`.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { create, ts } from '@custom-elements-manifest/analyzer';
import { litPlugin } from '@custom-elements-manifest/analyzer/src/features/framework-plugins/lit/lit.js';
import { root } from './workspace.mjs';

/** `define('ehr-x', EhrX)` (core's guarded helper) as a custom-element definition. */
function guardedDefinePlugin() {
  return {
    name: 'ehr-kit:guarded-define',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'define') return;
      const [tag, cls] = node.arguments;
      if (!tag || !ts.isStringLiteralLike(tag) || !cls || !ts.isIdentifier(cls)) return;
      let module = moduleDoc.path;
      for (const stmt of node.getSourceFile().statements) {
        if (!ts.isImportDeclaration(stmt) || !ts.isStringLiteral(stmt.moduleSpecifier)) continue;
        const named = stmt.importClause?.namedBindings;
        if (named && ts.isNamedImports(named) && named.elements.some((e) => e.name.text === cls.text)) {
          const spec = stmt.moduleSpecifier.text;
          if (spec.startsWith('.')) module = path.posix.join(path.posix.dirname(moduleDoc.path), spec).replace(/\.js$/, '.ts');
        }
      }
      moduleDoc.exports = [
        ...(moduleDoc.exports ?? []),
        { kind: 'custom-element-definition', name: tag.text, declaration: { name: cls.text, module } },
      ];
    },
  };
}

function sourceFiles(dir) {
  const files = ts.sys
    .readDirectory(path.join(dir, 'src'), ['.ts'], ['**/*.test.ts', '**/*.stories.ts', '**/*.d.ts', '**/locales/**'])
    .sort();
  return files.map((file) =>
    ts.createSourceFile(path.relative(dir, file).split(path.sep).join('/'), readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true),
  );
}

/** Analyzes one package; returns its manifest (not yet written). */
export function analyze(p) {
  const manifest = create({ modules: sourceFiles(p.dir), plugins: [...litPlugin(), guardedDefinePlugin()], context: { dev: false } });
  manifest.readme = '';
  return manifest;
}

const classes = (m) => m.modules.flatMap((mod) => (mod.declarations ?? []).filter((d) => d.kind === 'class').map((d) => ({ d, mod })));

/** Copies members/attributes/events from workspace superclasses in other packages. */
export function linkInheritance(manifests /* Map<pkgName, manifest> */) {
  const index = new Map();
  for (const [pkg, m] of manifests) for (const { d, mod } of classes(m)) index.set(d.name, { d, mod, pkg });
  for (const [, m] of manifests) {
    for (const { d } of classes(m)) {
      const seen = new Set([d.name]);
      let sup = d.superclass && index.get(d.superclass.name);
      while (sup && !seen.has(sup.d.name)) {
        seen.add(sup.d.name);
        const from = { name: sup.d.name, module: sup.mod.path, package: sup.pkg };
        for (const key of ['members', 'attributes', 'events', 'cssProperties', 'cssParts', 'slots']) {
          const own = (d[key] ??= []);
          for (const item of sup.d[key] ?? []) {
            if (item.privacy === 'private') continue;
            if (own.some((o) => o.name === item.name && (o.static ?? false) === (item.static ?? false))) continue;
            own.push({ ...item, inheritedFrom: item.inheritedFrom ?? from });
          }
          if (!own.length) delete d[key];
        }
        sup = sup.d.superclass && index.get(sup.d.superclass.name);
      }
      if (d.tagName || d.superclass) d.customElement = d.customElement ?? Boolean(d.tagName);
    }
  }
}

/** One manifest for the whole kit: each package's modules, paths prefixed with its folder. */
export function merge(manifests, byName) {
  const modules = [];
  for (const [pkg, m] of manifests) {
    const rel = path.relative(root, byName.get(pkg).dir).split(path.sep).join('/');
    const re = (p) => (p && !p.startsWith('packages/') ? `${rel}/${p}` : p);
    for (const mod of structuredClone(m.modules)) {
      mod.path = re(mod.path);
      for (const e of mod.exports ?? []) if (e.declaration?.module) e.declaration.module = re(e.declaration.module);
      modules.push(mod);
    }
  }
  return { schemaVersion: '1.0.0', readme: '', modules };
}

export function write(file, manifest) {
  writeFileSync(file, JSON.stringify(manifest, null, 2) + '\n');
}

/** Tags → class declarations, from a manifest. */
export function elements(manifest) {
  return classes(manifest).filter(({ d }) => d.tagName).map(({ d, mod }) => ({ ...d, module: mod.path }));
}

/** Manifests for every Lit package (core and the elements), inheritance linked, plus the merged one. */
export function analyzeWorkspace(all) {
  const byName = new Map(all.map((p) => [p.name, p]));
  const manifests = new Map();
  for (const p of all) if (p.usesLit && p.hasSource && p.name !== '@ehr-kit/kit') manifests.set(p.name, analyze(p));
  linkInheritance(manifests);
  return { manifests, merged: merge(manifests, byName) };
}
