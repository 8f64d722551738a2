// @web/test-runner: every suite runs in a real Chromium (the system one; see scripts/chromium.mjs).
// Servers the suites need (the Medplum reference FHIR server, the mock's Node server, the OAuth
// server) are started here, from test/support/*.server.node.ts in name order, so `npm test` alone
// is enough. Their URLs reach the page as /__ehr-test-env.json (read via test/support/env.ts).
import { readdir, readFile, mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { findChromium } from './scripts/chromium.mjs';

const root = path.dirname(fileURLToPath(import.meta.url));
const supportDir = path.join(root, 'test/support');
const testEnv = {};
const closers = [];

/** Starts every test/support/NN-name.server.node.ts; each exports `start(env)` → { env, close }. */
function testServers() {
  return {
    name: 'ehr-test-servers',
    async serverStart() {
      const files = (await readdir(supportDir)).filter((f) => f.endsWith('.server.node.ts')).sort();
      for (const file of files) {
        const mod = await import(pathToFileURL(path.join(supportDir, file)).href);
        const started = await mod.start({ ...testEnv });
        Object.assign(testEnv, started.env);
        closers.push(started.close);
      }
    },
    async serverStop() {
      for (const close of closers.reverse()) await close().catch(() => {});
    },
    async serve(context) {
      if (context.path === '/__ehr-test-env.json') return { body: JSON.stringify(testEnv), type: 'json' };
      if (context.path === '/mockServiceWorker.js') {
        const body = await readFile(path.join(root, 'packages/mock-fhir/public/mockServiceWorker.js'), 'utf8');
        return { body, type: 'js' };
      }
    },
  };
}

/** Counts every test and writes test-results/summary.json, which .ci/run turns into its last line. */
function totalsReporter() {
  return {
    async onTestRunFinished({ sessions }) {
      const totals = { passed: 0, failed: 0, skipped: 0, failures: [] };
      for (const session of sessions) {
        const walk = (suite, prefix) => {
          for (const t of suite.tests) {
            const name = `${session.testFile.replace(root + '/', '')} › ${prefix}${t.name}`;
            if (t.skipped) totals.skipped++;
            else if (t.passed) totals.passed++;
            else { totals.failed++; totals.failures.push(name); }
          }
          for (const s of suite.suites) walk(s, `${prefix}${s.name} › `);
        };
        if (session.testResults) walk(session.testResults, '');
        // A file that failed to load or threw outside a test counts as one failure.
        if (!session.passed && (session.errors?.length ?? 0) > 0) {
          totals.failed++;
          totals.failures.push(`${session.testFile.replace(root + '/', '')} › ${session.errors[0]?.message ?? 'session error'}`);
        }
      }
      await mkdir(path.join(root, 'test-results'), { recursive: true });
      await writeFile(path.join(root, 'test-results/summary.json'), JSON.stringify(totals, null, 2));
    },
  };
}

const chromium = findChromium();

export default {
  rootDir: root,
  files: process.env.TEST_FILES ? process.env.TEST_FILES.split(',') : ['test/**/*.test.ts'],
  nodeResolve: { exportConditions: ['source', 'browser'] },
  concurrency: Number(process.env.WTR_CONCURRENCY ?? 2),
  concurrentBrowsers: 1,
  testsFinishTimeout: 20 * 60_000,
  browserStartTimeout: 60_000,
  testFramework: { config: { timeout: 15_000 } },
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), totalsReporter()],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: path.join(root, 'tsconfig.json') }), testServers()],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: chromium,
        headless: true,
        args: [
          '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
          '--disable-sync', '--disable-quic', '--no-first-run',
          '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--allow-loopback-in-peer-connection',
        ],
      },
    }),
  ],
};
