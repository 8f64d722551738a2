// Vite plugins shared by the demo (vite.config.ts) and Storybook (.storybook/main.ts).
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { transform } from 'esbuild';
import { packages, root, KIT } from './workspace.mjs';
import { analyzeWorkspace } from './cem.mjs';

const mswWorkerFile = path.join(root, 'packages/mock-fhir/public/mockServiceWorker.js');

/**
 * TypeScript through esbuild. Vite 8's Oxc transform leaves standard (TC39) decorators in place
 * and Chromium cannot run them yet; esbuild lowers `@property() accessor x` the way tsc does.
 */
export function standardDecorators() {
  return {
    name: 'ehr-kit:standard-decorators',
    enforce: 'pre',
    async transform(code, id) {
      const file = id.split('?')[0];
      if (!file.endsWith('.ts') || file.endsWith('.d.ts') || file.includes('/node_modules/')) return;
      if (!code.includes('@')) return;
      const out = await transform(code, {
        loader: 'ts', target: 'es2022', format: 'esm', sourcemap: true, sourcefile: file,
        tsconfigRaw: { compilerOptions: { experimentalDecorators: false, useDefineForClassFields: true, verbatimModuleSyntax: true } },
      });
      return { code: out.code, map: out.map };
    },
  };
}

/** Serves packages/mock-fhir/public/mockServiceWorker.js at /mockServiceWorker.js (dev) and emits it (build). */
export function mswWorker() {
  return {
    name: 'ehr-kit:msw-worker',
    configureServer(server) {
      server.middlewares.use('/mockServiceWorker.js', (_req, res) => {
        res.setHeader('Content-Type', 'text/javascript');
        res.end(readFileSync(existsSync(mswWorkerFile) ? mswWorkerFile : path.join(root, 'node_modules/msw/lib/mockServiceWorker.js')));
      });
    },
    configurePreviewServer(server) {
      server.middlewares.use('/mockServiceWorker.js', (_req, res) => {
        res.setHeader('Content-Type', 'text/javascript');
        res.end(readFileSync(mswWorkerFile));
      });
    },
    generateBundle() {
      if (existsSync(mswWorkerFile)) this.emitFile({ type: 'asset', fileName: 'mockServiceWorker.js', source: readFileSync(mswWorkerFile) });
    },
  };
}

/**
 * A virtual module generated from the workspace, so pages need no edit when an element lands:
 *   virtual:ehr-kit/elements → registers every element (each package's ./define) and exports
 *     `elements`: [{ tag, package, events }] (events from the Custom Elements Manifest)
 */
export function ehrVirtualModules() {
  const ids = { elements: 'virtual:ehr-kit/elements' };
  return {
    name: 'ehr-kit:virtual',
    // An element package that registers a tag (or changes its exports) while the server runs:
    // regenerate the module and reload, no restart needed.
    configureServer(server) {
      const onFile = (file) => {
        if (!/packages\/[^/]+\/(src\/define\.ts|package\.json)$/.test(file)) return;
        const mod = server.moduleGraph.getModuleById('\0' + ids.elements);
        if (mod) server.moduleGraph.invalidateModule(mod);
        server.ws.send({ type: 'full-reload' });
      };
      server.watcher.on('add', onFile);
      server.watcher.on('change', onFile);
    },
    resolveId(id) {
      if (id === ids.elements) return '\0' + id;
    },
    load(id) {
      if (id === '\0' + ids.elements) {
        const all = packages();
        const els = all.filter((p) => p.isElementPackage && p.name !== KIT);
        // Events each element documents (@fires), from the Custom Elements Manifest.
        const events = new Map();
        try {
          const { merged } = analyzeWorkspace(all.filter((p) => p.hasSource));
          for (const mod of merged.modules) for (const d of mod.declarations ?? []) if (d.tagName) events.set(d.tagName, (d.events ?? []).map((e) => e.name).filter(Boolean));
        } catch (error) {
          this.warn(`could not analyze the elements: ${error.message}`);
        }
        const list = els.flatMap((p) => p.tags.map((tag) => ({ tag, package: p.name, events: events.get(tag) ?? [] })));
        return els.map((p) => `import '${p.name}/define';`).join('\n') + `\nexport const elements = ${JSON.stringify(list)};\n`;
      }
    },
  };
}
