/**
 * How the picker reads the answers to its Slot searches (the view's side; the searches themselves
 * are in slot-search.ts, re-exported here). Pure: no fetch here.
 */
import type { Bundle, Extension, Location, Organization, Resource, Schedule, Slot } from '@medplum/fhirtypes';
import { isValidTimeZone } from '@ehr-kit/core/format';
import { allPages, slotSearchParams } from './slot-search.js';

export { PAGE_SIZE, allPages, hasOwner, isChainRefused, slotSearchParams, type SearchParamList, type SlotOwner } from './slot-search.js';

export const TIMEZONE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/timezone';

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

/**
 * What the lazy search chunk (more-search.ts) uses from here, handed to it by the view: a static
 * import would make this module (and core behind it) a shared chunk of its own.
 */
export const slotQuery = { allPages, collect, slotSearchParams, clinicTimeZone };
export type SlotQuery = typeof slotQuery;
