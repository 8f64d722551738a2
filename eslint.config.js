// ESLint 9 flat config: typescript-eslint recommended everywhere; eslint-plugin-lit (template
// rules) and eslint-plugin-wc (custom-element rules) on browser code. Template *type* checks
// come from lit-analyzer (`npm run lint` runs both; see scripts/lint.mjs).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';

const browserCode = ['packages/*/src/**/*.ts', 'stories/**/*.ts', 'demo/**/*.ts', 'test/**/*.ts', '.storybook/**/*.ts'];
const nodeCode = ['scripts/**/*.mjs', '*.config.{js,mjs,ts}', 'test/support/**/*.node.ts', 'packages/*/src/node/**/*.ts', 'packages/*/bin/**/*.{js,mjs}', '.storybook/main.ts'];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**', '**/node_modules/**', 'storybook-static/**', 'test-results/**', '**/custom-elements.json',
      '**/public/mockServiceWorker.js', 'examples/**/build/**', '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: browserCode,
    ...lit.configs['flat/recommended'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: browserCode,
    ...wc.configs['flat/recommended'],
  },
  {
    files: ['test/**/*.ts'],
    languageOptions: { globals: { ...globals.mocha } },
  },
  {
    files: nodeCode,
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Benchmarks drive a page from Node: their callbacks run in the browser.
    files: ['bench/**/*.{ts,mjs,js}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    rules: {
      // Unused on purpose: a leading underscore says so.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // FHIR JSON and test doubles sometimes need `any`; say so, don't block on it.
      '@typescript-eslint/no-explicit-any': 'warn',
      // Type-only imports are enforced by tsc (verbatimModuleSyntax).
      '@typescript-eslint/consistent-type-imports': 'off',
      // `interface HTMLElementEventMap extends EhrEventMapAsEvents {}` is how declaration merging reads.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      // A @ts-ignore that says why is fine (e.g. an untyped dependency).
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': 'allow-with-description', 'ts-expect-error': 'allow-with-description' }],
      // Protocol code matches control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['test/**/*.ts', 'stories/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-expressions': 'off', // chai: expect(x).to.be.true
      'wc/no-constructor-attributes': 'off',
    },
  },
);
