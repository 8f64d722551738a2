// ehr-mock-fhir [--port 8080] [--host 127.0.0.1] [--seed demo|empty|large] [--now ISO] [--log]
import { parseArgs } from 'node:util';
import { startMockFhirServer } from './index.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string', default: 'demo' },
    now: { type: 'string' },
    log: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log('Usage: ehr-mock-fhir [--port 8080] [--host 127.0.0.1] [--seed demo|empty|large] [--now 2026-01-01T09:00:00Z] [--log]');
  process.exit(0);
}

const server = await startMockFhirServer({
  port: Number(values.port),
  host: values.host,
  seed: values.seed,
  now: values.now,
  log: values.log,
});
console.log(`ehr-mock-fhir: FHIR R4 at ${server.url} (seed ${values.seed}); signalling at ${server.signalingUrl}`);
console.log(`  reset: curl -X POST ${server.url}/$reset`);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
