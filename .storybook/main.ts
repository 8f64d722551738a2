// Storybook 10 for ehr-kit: every element and state, on the mock FHIR server running in the
// preview (MSW), with no backend. `npm run storybook` (port 6006), `npm run build-storybook`.
import type { StorybookConfig } from '@storybook/web-components-vite';
import { mergeConfig, defaultClientConditions } from 'vite';
// @ts-expect-error -- plain ESM helpers shared with vite.config.ts
import { standardDecorators, ehrVirtualModules } from '../scripts/lib/vite-plugins.mjs';
// @ts-expect-error -- plain ESM helpers shared with scripts/build.mjs
import { analyzeWorkspace } from '../scripts/lib/cem.mjs';
// @ts-expect-error -- plain ESM helpers
import { packages } from '../scripts/lib/workspace.mjs';

/** The whole kit's Custom Elements Manifest, fresh on every start (autodocs read it). */
function manifestModule() {
  const id = 'virtual:ehr-kit/manifest';
  return {
    name: 'ehr-kit:manifest',
    resolveId: (source: string) => (source === id ? '\0' + id : undefined),
    load(source: string) {
      if (source !== '\0' + id) return undefined;
      const { merged } = analyzeWorkspace(packages().filter((p: { hasSource: boolean }) => p.hasSource));
      // Docs tables show the public API only: no private/protected or _internal state fields.
      type Member = { name: string; privacy?: string };
      for (const mod of merged.modules as Array<{ declarations?: Array<{ members?: Member[] }> }>) {
        for (const d of mod.declarations ?? []) {
          if (d.members) d.members = d.members.filter((m) => !m.privacy?.match(/private|protected/) && !/^[_#]/.test(m.name));
        }
      }
      return `export default ${JSON.stringify(merged)};`;
    },
  };
}

const config: StorybookConfig = {
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-docs'],
  staticDirs: [{ from: '../packages/mock-fhir/public', to: '/' }],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  async viteFinal(viteConfig) {
    return mergeConfig(viteConfig, {
      resolve: { conditions: ['source', ...defaultClientConditions] },
      plugins: [standardDecorators(), ehrVirtualModules(), manifestModule()],
      build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
      // Storybook's web-components renderer is served unbundled and imports lit/directive-helpers.js;
      // prebundled with lit, it shares one lit-html instead of loading a second copy.
      optimizeDeps: { include: ['lit', 'lit/directive-helpers.js'] },
    });
  },
};
export default config;
