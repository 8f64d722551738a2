// Starts the mock's Node HTTP server (seed 'demo', free port) for the browser suites: env.mockFhirUrl.
// Reset with POST `${mockFhirUrl}/$reset` (restores the seed, clears faults); a private store per
// test file: `${mockFhirOrigin}/t/<name>/fhir` (empty; demo-seeded when <name> starts with "demo").
import { startMockFhirServer } from '../../packages/mock-fhir/src/node/index.ts';

export async function start(_env: Record<string, string | undefined>) {
  const server = await startMockFhirServer({ port: 0, host: '127.0.0.1', seed: 'demo' });
  return {
    env: { mockFhirUrl: server.url, mockFhirOrigin: new URL(server.url).origin, mockSignalingUrl: server.signalingUrl },
    close: () => server.close(),
  };
}
