/**
 * The one search of a view, as the element sends it (eager: it goes out while the view's code is
 * still loading), and how to tell a refused chained search. Pure: no fetch here.
 */
import type { Bundle } from '@medplum/fhirtypes';
import type { FhirClient } from '@ehr-kit/fhir-client';

/** Whose free time is shown. Exactly one is used: schedule, then practitioner, then location. */
export interface SlotOwner {
  scheduleId?: string;
  practitionerId?: string;
  locationId?: string;
}

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

/** Every page of a Slot search (follows link[next]). */
export async function allPages(client: FhirClient, params: SearchParamList, signal: AbortSignal): Promise<Bundle[]> {
  const pages: Bundle[] = [];
  for await (const page of client.searchPages('Slot', params, { signal })) pages.push(page);
  return pages;
}
