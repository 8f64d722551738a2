// @ehr-kit/mock-fhir: a small, spec-correct FHIR R4 server in memory. This entry has no MSW:
// use './browser' (service worker) or './node' (HTTP server, msw/node handlers) to serve it.
import { createMockFhirCore, type MockFhir, type MockFhirOptions, type SeedFn } from './mock.ts';
import { demoSeed, emptySeed } from './seed.ts';
import { largeSeed } from './large.ts';

export type { MockFhir, MockFhirOptions, SeedFn, SeedContext, SmartOptions } from './mock.ts';
export type { Route, FaultHandle, FaultOptions, FailOptions, DropOptions, FlakyOptions } from './faults.ts';
export { Faults } from './faults.ts';
export type { ParamDef, ParamType } from './search-params.ts';
export { SEARCH_PARAMS, COMMON_PARAMS } from './search-params.ts';
export { fixtures, demoSeed, emptySeed, zonedTime, TIMEZONE_EXTENSION, VIRTUAL_SERVICE_EXTENSION, type Fixtures } from './seed.ts';
export { largeSeed, type LargeOptions } from './large.ts';
export { createSignalRelay, type SignalRelay, type SignalPeer, type SignalMessage } from './signal.ts';
export { createMockFhirCore };

/** The seeds known by name. 'demo:<anything>' is the demo clinic with another random stream. */
export const seeds: Record<string, SeedFn> = { demo: demoSeed, empty: emptySeed, large: largeSeed() };

/**
 * Creates the server. `seed`: 'demo' (default), 'empty', 'large', 'demo:<variant>' or a function.
 * @example const mock = createMockFhir({ baseUrl: 'https://fhir.example/r4', seed: 'demo' });
 *          const res = await mock.fetch('https://fhir.example/r4/Patient?family=garcia');
 */
export function createMockFhir(options: MockFhirOptions = {}): MockFhir {
  return createMockFhirCore({ seed: 'demo', ...options, seeds: { ...seeds, ...options.seeds } });
}
