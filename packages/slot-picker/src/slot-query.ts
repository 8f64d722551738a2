/**
 * The Slot searches the picker makes, and how it reads their answers. Pure: the element passes a
 * FhirClient-like `searchPages` in; no fetch here.
 */
import type { Bundle, Extension, Location, Organization, Resource, Schedule, Slot } from '@medplum/fhirtypes';
import { isValidTimeZone } from '@ehr-kit/core';
import type { FhirClient } from '@ehr-kit/fhir-client';

/** Whose free time is shown. Exactly one is used: schedule, then practitioner, then location. */
export interface SlotOwner {
  scheduleId?: string;
  practitionerId?: string;
  locationId?: string;
}

export const TIMEZONE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/timezone';
/**
 * Page size asked for; a view with more slots follows link[next]. Under 1,000 because some servers
 * (Medplum) cap matches + _include'd resources per page at 1,000.
 */
export const PAGE_SIZE = 500;

export type SearchParamList = Array<[string, string]>;

function ownerReference(owner: SlotOwner): [string, string] | undefined {
  if (owner.scheduleId) return ['schedule', `Schedule/${owner.scheduleId}`];
  if (owner.practitionerId) return ['schedule.actor', `Practitioner/${owner.practitionerId}`];
  if (owner.locationId) return ['schedule.actor', `Location/${owner.locationId}`];
  return undefined;
}

export function hasOwner(owner: SlotOwner): boolean {
  return !!ownerReference(owner);
}

/**
 * The one search of a view:
 * `Slot?schedule.actor=Practitioner/x&status=free&start=ge…&start=lt…&_include=Slot:schedule&_count=…`.
 * With `scheduleIds` (the fallback after a server refused the chain), `schedule=` lists them instead.
 */
export function slotSearchParams(
  owner: SlotOwner,
  range: { from: string; to?: string },
  o: { serviceType?: string; scheduleIds?: string[]; count?: number; sortByStart?: boolean } = {},
): SearchParamList {
  const params: SearchParamList = [];
  if (o.scheduleIds) params.push(['schedule', o.scheduleIds.map((id) => `Schedule/${id}`).join(',')]);
  else {
    const ref = ownerReference(owner);
    if (!ref) throw new Error('practitioner-id, schedule-id or location-id is needed');
    params.push(ref);
  }
  params.push(['status', 'free']);
  params.push(['start', `ge${range.from}`]);
  if (range.to) params.push(['start', `lt${range.to}`]);
  if (o.serviceType) params.push(['service-type', o.serviceType]);
  params.push(['_include', 'Slot:schedule']);
  if (o.sortByStart) params.push(['_sort', 'start']);
  params.push(['_count', String(o.count ?? PAGE_SIZE)]);
  return params;
}

/** True when the server refused the chained parameter (so the fallback should be tried). */
export function isChainRefused(error: unknown): boolean {
  const e = error as { kind?: string; status?: number } | undefined;
  return !!e && e.kind === 'http' && (e.status === 400 || e.status === 501 || e.status === 422);
}

export interface SearchResult {
  slots: Slot[];
  schedules: Map<string, Schedule>;
  others: Resource[];
}

/** Collects the Slots and included resources of one or more result pages. */
export function collect(pages: readonly Bundle[]): SearchResult {
  const result: SearchResult = { slots: [], schedules: new Map(), others: [] };
  for (const page of pages) {
    for (const entry of page.entry ?? []) {
      const r = entry.resource;
      if (!r) continue;
      if (r.resourceType === 'Slot' && entry.search?.mode !== 'include') result.slots.push(r);
      else if (r.resourceType === 'Schedule') result.schedules.set(r.id ?? '', r);
      else result.others.push(r);
    }
  }
  return result;
}

function tzOf(resource: { extension?: Extension[] } | undefined): string | undefined {
  const code = resource?.extension?.find((e) => e.url === TIMEZONE_EXTENSION)?.valueCode;
  return isValidTimeZone(code) ? code : undefined;
}

/**
 * The clinic's zone: the Schedule's timezone extension, else its Location's, else the Location's
 * managing Organization's (when those were included in the answer).
 */
export function clinicTimeZone(schedules: Iterable<Schedule>, others: readonly Resource[] = []): string | undefined {
  const list = [...schedules];
  for (const s of list) {
    const tz = tzOf(s);
    if (tz) return tz;
  }
  const byRef = new Map<string, Resource>(others.map((r) => [`${r.resourceType}/${r.id}`, r]));
  for (const s of list) {
    for (const a of s.actor ?? []) {
      const loc = a.reference ? (byRef.get(a.reference as string) as Location | undefined) : undefined;
      if (loc?.resourceType !== 'Location') continue;
      const tz = tzOf(loc);
      if (tz) return tz;
      const orgRef: string | undefined = loc.managingOrganization?.reference;
      const org = orgRef ? (byRef.get(orgRef) as Organization | undefined) : undefined;
      const orgTz = tzOf(org);
      if (orgTz) return orgTz;
    }
  }
  return undefined;
}

/** Every page of a Slot search (follows link[next]). */
export async function allPages(client: FhirClient, params: SearchParamList, signal: AbortSignal): Promise<Bundle[]> {
  const pages: Bundle[] = [];
  for await (const page of client.searchPages('Slot', params, { signal })) pages.push(page);
  return pages;
}

/**
 * What the lazy search chunk (more-search.ts) uses from here, handed to it by the element: a
 * static import would make this module (and core behind it) a shared chunk of its own.
 */
export const slotQuery = { allPages, collect, slotSearchParams, clinicTimeZone };
export type SlotQuery = typeof slotQuery;
