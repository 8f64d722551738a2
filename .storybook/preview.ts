// Every story runs inside an <ehr-provider> pointed at the mock FHIR server in this page (MSW,
// started once before the first story). Toolbar globals: locale (en/es) and theme (light/dark).
// Autodocs read the kit's Custom Elements Manifest. A story can opt out of the provider with
// `parameters: { ehrProvider: false }` (e.g. to show standalone use with fhir-base-url).
import type { Preview, Decorator } from '@storybook/web-components-vite';
import { setCustomElementsManifest } from '@storybook/web-components-vite';
import { html } from 'lit';
import manifest from 'virtual:ehr-kit/manifest';
import { startMockFhirWorker } from '@ehr-kit/mock-fhir/browser';
import '@ehr-kit/core/define';
import './preview.css';

setCustomElementsManifest(manifest);

/** The mock's FHIR base URL, on this origin. Stories use it for standalone `fhir-base-url`. */
export const mockFhirBaseUrl = new URL('/fhir', location.href).href;

let started: Promise<unknown> | undefined;
const startMock = () => (started ??= startMockFhirWorker({ baseUrl: mockFhirBaseUrl, seed: 'demo', quiet: true }));

const withEhrContext: Decorator = (story, context) => {
  const { locale = 'en', theme = 'light' } = context.globals as { locale?: string; theme?: string };
  document.documentElement.lang = locale;
  document.documentElement.dataset['theme'] = theme;
  if (context.parameters['ehrProvider'] === false) return story();
  return html`<ehr-provider fhir-base-url=${mockFhirBaseUrl} auth="none" theme=${theme}>${story()}</ehr-provider>`;
};

const preview: Preview = {
  loaders: [async () => ({ mock: await startMock() })],
  decorators: [withEhrContext],
  globalTypes: {
    locale: {
      description: 'Language of the elements',
      toolbar: { title: 'Locale', icon: 'globe', items: [{ value: 'en', title: 'English' }, { value: 'es', title: 'Español' }], dynamicTitle: true },
    },
    theme: {
      description: 'Light or dark theme',
      toolbar: { title: 'Theme', icon: 'mirror', items: [{ value: 'light', title: 'Light' }, { value: 'dark', title: 'Dark' }], dynamicTitle: true },
    },
  },
  initialGlobals: { locale: 'en', theme: 'light' },
  parameters: {
    layout: 'padded',
    controls: { expanded: true },
    docs: { toc: true },
  },
  tags: ['autodocs'],
};
export default preview;
