// MSW request handlers for a MockFhir: one catch-all HTTP handler delegating to `mock.handle`
// (requests outside the base URL fall through), and a `ws.link` signalling relay.
import { http, ws, type AnyHandler } from 'msw';
import type { MockFhir } from './mock.ts';
import { createSignalRelay, type SignalRelay } from './signal.ts';

export interface HandlerOptions {
  /** WebSocket URL (or RegExp) the in-page signalling relay answers. Omit for no relay. */
  signalingUrl?: string | RegExp;
  relay?: SignalRelay;
}

export function mockFhirHandlers(mock: MockFhir, options: HandlerOptions = {}): AnyHandler[] {
  const handlers: AnyHandler[] = [
    http.all('*', async ({ request }) => {
      if (!mock.owns(request.url)) return undefined;
      return mock.handle(request);
    }),
  ];
  if (options.signalingUrl) {
    const relay = options.relay ?? createSignalRelay();
    const link = ws.link(options.signalingUrl);
    handlers.push(
      link.addEventListener('connection', ({ client }) => {
        const conn = relay.connect({ send: (data) => client.send(data) });
        client.addEventListener('message', (event) => conn.message(String(event.data)));
        client.addEventListener('close', () => conn.close());
      }),
    );
  }
  return handlers;
}
