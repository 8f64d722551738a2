// `npm start`: the demo page (index.html + demo/) on Vite, with every ehr-kit element that exists,
// each inside an <ehr-provider> pointed at the mock FHIR server running in the page (MSW).
// `npx vite build` → dist/demo/ and `npx vite preview` serve the same page built (see README).
import { defineConfig, defaultClientConditions } from 'vite';
// @ts-expect-error -- plain ESM helpers shared with .storybook/main.ts
import { standardDecorators, mswWorker, ehrVirtualModules } from './scripts/lib/vite-plugins.mjs';

export default defineConfig({
  root: '.',
  publicDir: false,
  resolve: {
    // Workspace packages resolve to their src/*.ts through the `source` export condition.
    conditions: ['source', ...defaultClientConditions],
  },
  plugins: [standardDecorators(), mswWorker(), ehrVirtualModules()],
  server: { port: 5173 },
  preview: { port: 4173 },
  build: { outDir: 'dist/demo', target: 'es2022', emptyOutDir: true },
});
