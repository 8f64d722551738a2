// In the page: the mock served by MSW's service worker (Storybook, demos, browser tests).
// The worker script is packages/mock-fhir/public/mockServiceWorker.js, served at /mockServiceWorker.js.
import { setupWorker } from 'msw/browser';
import { mockFhirHandlers } from './handlers.ts';
import { createMockFhir, type MockFhir, type MockFhirOptions } from './index.ts';
import { createSignalRelay, type SignalRelay } from './signal.ts';

export interface MockFhirWorkerOptions extends MockFhirOptions {
  /** No MSW console logging of each request (default true). */
  quiet?: boolean;
  /** Default '/mockServiceWorker.js'. */
  serviceWorkerUrl?: string;
  /** WebSocket URL of the in-page signalling relay; default ws(s)://<page host>/signal. `false` for none. */
  signalingUrl?: string | false;
  /** What MSW does with requests no handler answers (default 'bypass'). */
  onUnhandledRequest?: 'bypass' | 'warn' | 'error';
}

export interface MockFhirWorker {
  mock: MockFhir;
  relay: SignalRelay;
  signalingUrl: string | undefined;
  stop(): void;
}

/** Starts MSW in the page with the mock behind `baseUrl` (default '/fhir', seed 'demo'). */
export async function startMockFhirWorker(options: MockFhirWorkerOptions = {}): Promise<MockFhirWorker> {
  const mock = createMockFhir(options);
  const relay = createSignalRelay();
  const signalingUrl =
    options.signalingUrl === false ? undefined : options.signalingUrl ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/signal`;
  const worker = setupWorker(...mockFhirHandlers(mock, { signalingUrl, relay }));
  await worker.start({
    quiet: options.quiet ?? true,
    serviceWorker: { url: options.serviceWorkerUrl ?? '/mockServiceWorker.js' },
    onUnhandledFrame: options.onUnhandledRequest ?? 'bypass',
  });
  return { mock, relay, signalingUrl, stop: () => void worker.stop() };
}

export { createMockFhir, mockFhirHandlers };
export type { MockFhir, MockFhirOptions };
