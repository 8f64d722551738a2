// Test helpers for <ehr-slot-picker>: a FhirClient that counts what reaches the server, and a seed
// of one practitioner's Schedule and free Slots in a given zone (written through FHIR, so the same
// seed works on the mock and on the reference server).
import type { Bundle, BundleEntry, Schedule, Slot } from '@medplum/fhirtypes';
import { FhirClient } from '@ehr-kit/fhir-client';
import { wallTimeToMs } from '@ehr-kit/core';

/**
 * A fault for the next matching request: 'drop-before' (never reaches the server), 'drop-after'
 * (the server did it, the answer is lost), or a status to answer with instead of the server.
 */
export type Fault = { match: (request: string) => boolean; kind: 'drop-before' | 'drop-after' | number; times?: number };

export interface Counted {
  client: FhirClient;
  /** 'GET Slot?…', 'POST (root)' … in order */
  requests: string[];
  faults: Fault[];
}

/** A client whose every request is recorded; `fetchImpl` lets a suite route to a mock in the page. */
export function countingClient(baseUrl: string, fetchImpl?: typeof fetch): Counted {
  const requests: string[] = [];
  const faults: Fault[] = [];
  const root = new URL(baseUrl).href.replace(/\/?$/, '/');
  const client = new FhirClient({
    baseUrl,
    retry: { attempts: 1 },
    fetch: async (input, init) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      const method = init?.method ?? 'GET';
      const path = url.href.startsWith(root) ? url.href.slice(root.length) : url.href;
      const request = `${method} ${decodeURIComponent(path) || '(root)'}`;
      requests.push(request);
      const fault = faults.find((f) => f.match(request) && (f.times ?? 1) > 0);
      if (fault) fault.times = (fault.times ?? 1) - 1;
      if (fault?.kind === 'drop-before') throw new TypeError('Failed to fetch');
      if (typeof fault?.kind === 'number') {
        return new Response(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception', diagnostics: 'injected' }] }), {
          status: fault.kind,
          headers: { 'content-type': 'application/fhir+json' },
        });
      }
      const response = await (fetchImpl ?? fetch)(input, init);
      if (fault?.kind === 'drop-after') {
        await response.text();
        throw new TypeError('Failed to fetch');
      }
      return response;
    },
  });
  return { client, requests, faults };
}

export interface SeedOptions {
  zone: string;
  /** civil days and local wall times ('09:00') of the free slots */
  days: Array<{ day: string; times: string[] }>;
  minutes?: number;
  /** put the zone on the Schedule (timezone extension); default true */
  zoneOnSchedule?: boolean;
  serviceType?: { system: string; code: string; display: string };
  practitionerName?: string;
}

export interface Seeded {
  practitionerId: string;
  scheduleId: string;
  slots: Slot[];
}

const SERVICE = { system: 'http://terminology.hl7.org/CodeSystem/service-type', code: '124', display: 'General Practice' };

export function slotTimes(o: SeedOptions): Array<{ start: string; end: string }> {
  const minutes = o.minutes ?? 30;
  return o.days.flatMap(({ day, times }) =>
    times.map((t) => {
      const [h, m] = t.split(':').map(Number) as [number, number];
      const start = wallTimeToMs(day, h, m, o.zone);
      return { start: new Date(start).toISOString(), end: new Date(start + minutes * 60_000).toISOString() };
    }),
  );
}

/** Writes a Practitioner, a Schedule and its free Slots in one transaction. */
export async function seed(client: FhirClient, o: SeedOptions): Promise<Seeded> {
  const service = o.serviceType ?? SERVICE;
  const pract = 'urn:uuid:' + crypto.randomUUID();
  const sched = 'urn:uuid:' + crypto.randomUUID();
  const schedule: Schedule = {
    resourceType: 'Schedule',
    active: true,
    actor: [{ reference: pract, display: o.practitionerName ?? 'Dr. Ana Ruiz' }],
    serviceType: [{ coding: [service] }],
    ...(o.zoneOnSchedule === false ? {} : { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/timezone', valueCode: o.zone }] }),
  };
  const entries: BundleEntry[] = [
    { fullUrl: pract, resource: { resourceType: 'Practitioner', active: true, name: [{ family: 'Ruiz', given: ['Ana'], prefix: ['Dr.'] }] }, request: { method: 'POST', url: 'Practitioner' } },
    { fullUrl: sched, resource: schedule, request: { method: 'POST', url: 'Schedule' } },
    ...slotTimes(o).map(
      (t): BundleEntry => ({
        fullUrl: 'urn:uuid:' + crypto.randomUUID(),
        resource: { resourceType: 'Slot', schedule: { reference: sched }, status: 'free', serviceType: [{ coding: [service] }], start: t.start, end: t.end },
        request: { method: 'POST', url: 'Slot' },
      }),
    ),
  ];
  const res: Bundle = await client.transaction({ resourceType: 'Bundle', type: 'transaction', entry: entries });
  const ids = (res.entry ?? []).map((e) => e.resource?.id ?? /\/([^/]+)\/_history/.exec(e.response?.location ?? '')?.[1] ?? e.response?.location?.split('/')[1]);
  const slots = (res.entry ?? []).slice(2).map((e) => e.resource as Slot);
  return { practitionerId: ids[0]!, scheduleId: ids[1]!, slots };
}

/** Waits until `check` passes (re-renders, network), or fails with its last error. */
export async function until<T>(check: () => T | undefined | false | null, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw last ?? new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
