// The in-page half of bench/slot-picker.bench.mjs: bundled by esbuild, run in Chromium.
// Measures requests per mount and per booking against the mock, and the render time of 5,000 slots.
import type { Bundle, BundleEntry, Slot } from '@medplum/fhirtypes';
import { FhirClient } from '@ehr-kit/fhir-client';
import { createMockFhir } from '@ehr-kit/mock-fhir';
import '@ehr-kit/slot-picker/define';
import { groupSlots, type EhrSlotPicker } from '@ehr-kit/slot-picker';

const ZONE = 'America/New_York';
const START = '2027-02-01';

function slotsBundle(n: number, days: number, scheduleId: string): BundleEntry[] {
  const entries: BundleEntry[] = [];
  const base = Date.parse('2027-02-01T11:00:00Z'); // 06:00 in New York
  const perDay = Math.ceil(n / days);
  for (let i = 0; i < n; i++) {
    const day = Math.floor(i / perDay);
    const start = base + day * 86_400_000 + (i % perDay) * 60_000;
    entries.push({
      fullUrl: `urn:uuid:${crypto.randomUUID()}`,
      resource: { resourceType: 'Slot', id: `s${i}`, meta: { versionId: '1' }, schedule: { reference: `Schedule/${scheduleId}` }, status: 'free', start: new Date(start).toISOString(), end: new Date(start + 60_000).toISOString() } as Slot,
      request: { method: 'POST', url: 'Slot' },
      search: { mode: 'match' },
    });
  }
  return entries;
}

function counted(baseUrl: string, fetchImpl: typeof fetch) {
  const requests: string[] = [];
  const client = new FhirClient({
    baseUrl,
    retry: { attempts: 1 },
    fetch: (input, init) => {
      const path = String(input instanceof Request ? input.url : input).slice(baseUrl.length);
      requests.push(`${init?.method ?? 'GET'} ${path || '[base] (transaction Bundle)'}`);
      return fetchImpl(input, init);
    },
  });
  return { client, requests };
}

async function mount(client: FhirClient, attrs: Record<string, string>, book = false): Promise<EhrSlotPicker> {
  const el = document.createElement('ehr-slot-picker');
  el.client = client;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.book = book;
  document.body.append(el);
  return el;
}

/** Resolves as soon as the list (or a message) is rendered: a MutationObserver, no polling delay. */
async function loaded(el: EhrSlotPicker): Promise<void> {
  await el.updateComplete;
  const root = el.shadowRoot!;
  const ready = () => !!root.querySelector('.base[aria-busy="false"]') && !!(root.querySelector('.time') || root.querySelector('.message'));
  if (!ready()) {
    await new Promise<void>((resolve) => {
      const mo = new MutationObserver(() => {
        if (ready()) {
          mo.disconnect();
          resolve();
        }
      });
      mo.observe(root, { subtree: true, childList: true, attributes: true });
    });
  }
  await el.updateComplete;
}

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runBench(): Promise<Record<string, unknown>> {
  // — requests per mount and per booking, against the mock (seeded through FHIR like a clinic would)
  const base = 'https://bench.mock/fhir/';
  const mock = createMockFhir({ baseUrl: base, seed: 'empty' });
  const { client, requests } = counted(base, mock.fetch);
  const seeded: Bundle = await client.transaction({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: 'urn:uuid:11111111-1111-4111-8111-111111111111', resource: { resourceType: 'Practitioner', name: [{ family: 'Ruiz' }] }, request: { method: 'POST', url: 'Practitioner' } },
      {
        fullUrl: 'urn:uuid:22222222-2222-4222-8222-222222222222',
        resource: { resourceType: 'Schedule', actor: [{ reference: 'urn:uuid:11111111-1111-4111-8111-111111111111' }], extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/timezone', valueCode: ZONE }] },
        request: { method: 'POST', url: 'Schedule' },
      },
      ...slotsBundle(60, 3, 'x').map((e) => ({ ...e, resource: { ...e.resource, id: undefined, meta: undefined, schedule: { reference: 'urn:uuid:22222222-2222-4222-8222-222222222222' } } as Slot, search: undefined })),
      { fullUrl: 'urn:uuid:33333333-3333-4333-8333-333333333333', resource: { resourceType: 'Patient', name: [{ family: 'García' }] }, request: { method: 'POST', url: 'Patient' } },
    ],
  });
  const practitionerId = seeded.entry![0]!.resource!.id!;
  const patientId = seeded.entry!.at(-1)!.resource!.id!;
  requests.length = 0;
  const el = await mount(client, { 'practitioner-id': practitionerId, start: START, days: '7', 'patient-id': patientId }, true);
  await loaded(el);
  const mountRequests = [...requests];
  requests.length = 0;
  (el.shadowRoot!.querySelector('.time') as HTMLElement).click();
  await el.updateComplete;
  const booked = new Promise((r) => el.addEventListener('ehr-appointment-booked', r, { once: true }));
  (el.shadowRoot!.querySelector('.confirm .primary') as HTMLElement).click();
  await booked;
  const bookingRequests = [...requests];
  el.remove();

  // — render time: 5,000 slots answered from memory (no server time), data → laid-out DOM
  async function renderRun(n: number, days: number): Promise<{ ms: number; mountMs: number; buttons: number; pages: number }> {
    const entries = slotsBundle(n, days, 'sc1');
    const schedule = { resourceType: 'Schedule', id: 'sc1', actor: [{ reference: 'Practitioner/pr1' }], extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/timezone', valueCode: ZONE }] };
    const body = JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: [...entries.map((e) => ({ resource: e.resource, search: e.search })), { resource: schedule, search: { mode: 'include' } }] });
    let pages = 0;
    let tData = 0;
    const memory = new FhirClient({
      baseUrl: 'https://memory.test/fhir/',
      fetch: async () => {
        pages++;
        const response = new Response(body, { headers: { 'content-type': 'application/fhir+json' } });
        tData = performance.now(); // the answer has arrived: from here on it is the element's work
        return response;
      },
    });
    const t0 = performance.now();
    const picker = await mount(memory, { 'practitioner-id': 'pr1', start: START, days: String(days) });
    await loaded(picker);
    void (picker.shadowRoot!.querySelector('.panel') as HTMLElement).offsetHeight; // style + layout
    const t1 = performance.now();
    const buttons = picker.shadowRoot!.querySelectorAll('.time').length;
    picker.remove();
    return { ms: t1 - tData, mountMs: t1 - t0, buttons, pages };
  }
  await renderRun(5000, 7); // warm-up (JIT, styles)
  const runs: number[] = [];
  const mountRuns: number[] = [];
  let shown = 0;
  for (let i = 0; i < 9; i++) {
    const r = await renderRun(5000, 7);
    runs.push(r.ms);
    mountRuns.push(r.mountMs);
    shown = r.buttons;
  }
  const oneDay: number[] = [];
  let oneDayButtons = 0;
  for (let i = 0; i < 5; i++) {
    const r = await renderRun(5000, 1);
    oneDay.push(r.ms);
    oneDayButtons = r.buttons;
  }

  // — switching day (re-render only, 5,000 slots loaded)
  const switchRuns: number[] = [];
  {
    const entries = slotsBundle(5000, 7, 'sc1');
    const body = JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: entries.map((e) => ({ resource: e.resource, search: e.search })) });
    const memory = new FhirClient({ baseUrl: 'https://memory.test/fhir/', fetch: async () => new Response(body, { headers: { 'content-type': 'application/fhir+json' } }) });
    const picker = await mount(memory, { 'practitioner-id': 'pr1', start: START, days: '7', timezone: ZONE });
    await loaded(picker);
    const tabs = [...picker.shadowRoot!.querySelectorAll<HTMLElement>('[role="tab"]')];
    for (let i = 0; i < 9; i++) {
      const t0 = performance.now();
      tabs[(i % 6) + 1]!.click();
      await picker.updateComplete;
      void (picker.shadowRoot!.querySelector('.panel') as HTMLElement).offsetHeight;
      switchRuns.push(performance.now() - t0);
    }
    picker.remove();
  }

  // — where the time goes: fetch + JSON parse, then zone conversion + grouping (no DOM)
  const phases = { parse: [] as number[], group: [] as number[] };
  {
    const entries = slotsBundle(5000, 7, 'sc1');
    const body = JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: entries.map((e) => ({ resource: e.resource, search: e.search })) });
    const memory = new FhirClient({ baseUrl: 'https://memory.test/fhir/', fetch: async () => new Response(body, { headers: { 'content-type': 'application/fhir+json' } }) });
    for (let i = 0; i < 9; i++) {
      let t = performance.now();
      const b = await memory.search('Slot', {});
      phases.parse.push(performance.now() - t);
      const slots = b.entry!.map((e) => e.resource as Slot);
      t = performance.now();
      groupSlots(slots, { timeZone: ZONE, startDay: START, days: 7, now: 0 });
      phases.group.push(performance.now() - t);
    }
  }

  return {
    phases: { parse: p50(phases.parse), group: p50(phases.group) },
    mountRequests,
    bookingRequests,
    render5000: { runs, p50: p50(runs), buttonsShown: shown, mountP50: p50(mountRuns) },
    render5000OneDay: { runs: oneDay, p50: p50(oneDay), buttonsShown: oneDayButtons },
    switchDay: { runs: switchRuns, p50: p50(switchRuns) },
    userAgent: navigator.userAgent,
  };
}

/** For CPU-time measurement from outside (CDP ThreadTime): build the answer first, then mount. */
let prepared: FhirClient | undefined;
function prepare(n: number, days: number): void {
  const entries = slotsBundle(n, days, 'sc1');
  const schedule = { resourceType: 'Schedule', id: 'sc1', actor: [{ reference: 'Practitioner/pr1' }], extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/timezone', valueCode: ZONE }] };
  const body = JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: [...entries.map((e) => ({ resource: e.resource, search: e.search })), { resource: schedule, search: { mode: 'include' } }] });
  prepared = new FhirClient({ baseUrl: 'https://memory.test/fhir/', fetch: async () => new Response(body, { headers: { 'content-type': 'application/fhir+json' } }) });
}
async function renderPrepared(days: number): Promise<number> {
  const t0 = performance.now();
  const picker = await mount(prepared!, { 'practitioner-id': 'pr1', start: START, days: String(days) });
  await loaded(picker);
  void (picker.shadowRoot!.querySelector('.panel') as HTMLElement).offsetHeight;
  const ms = performance.now() - t0;
  picker.remove();
  return ms;
}

Object.assign(window, { runBench, prepare, renderPrepared });
