// Starts the mock's Node HTTP server (seed 'demo', free port) for the browser suites: env.mockFhirUrl.
// Reset between tests with POST `${mockFhirUrl}/$reset` (restores the seed, clears faults).
import { startMockFhirServer } from '../../packages/mock-fhir/src/node/index.ts';

export async function start(_env: Record<string, string | undefined>) {
  const server = await startMockFhirServer({ port: 0, host: '127.0.0.1', seed: 'demo' });
  return {
    env: { mockFhirUrl: server.url, mockSignalingUrl: server.signalingUrl },
    close: () => server.close(),
  };
}
