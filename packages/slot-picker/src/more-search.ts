/**
 * Searches the picker makes only sometimes (a lazy chunk): Schedule-then-Slot for servers that
 * refuse chained search, the first free time after an empty view, the zone from a Location, and
 * the appointment being moved.
 */
import type { Appointment, Bundle, Location, Organization, Resource, Schedule, Slot } from '@medplum/fhirtypes';
import type { FhirClient } from '@ehr-kit/fhir-client';
import type { SearchParamList, SlotOwner, SlotQuery } from './slot-query.js';

type Range = { from: string; to: string };

/** The Schedule search of the fallback path (server without chained search). */
function scheduleSearchParams(owner: SlotOwner): SearchParamList {
  if (owner.practitionerId) return [['actor', `Practitioner/${owner.practitionerId}`], ['_count', '100']];
  if (owner.locationId) return [['actor', `Location/${owner.locationId}`], ['_count', '100']];
  throw new Error('no actor to search Schedules by');
}


/** Fallback for servers without chained search: the Schedules first, then their Slots. */
export async function searchWithoutChain(
  { allPages, collect, slotSearchParams }: SlotQuery, client: FhirClient, owner: SlotOwner, range: Range, serviceType: string | undefined, signal: AbortSignal,
  chainError: unknown, noChaining: WeakSet<object>,
) {
  const scheduleBundle = await client.search('Schedule', scheduleSearchParams(owner), { signal });
  const found = collect([scheduleBundle]).schedules;
  const scheduleIds = [...found.keys()];
  if (!scheduleIds.length) return { slots: [], schedules: found, others: [], scheduleIds };
  let pages: Bundle[];
  try {
    pages = await allPages(client, slotSearchParams(owner, range, { serviceType, scheduleIds }), signal);
  } catch (error) {
    throw chainError ?? error; // the fallback failed too: the first answer explains more
  }
  if (chainError) noChaining.add(client); // it was the chain: skip it from now on
  const result = collect(pages);
  for (const [id, s] of found) if (!result.schedules.has(id)) result.schedules.set(id, s);
  return { ...result, scheduleIds };
}

/** The first free Slot from `from` on (for "the next free time is on …"). */
export async function firstAfter({ collect, slotSearchParams }: SlotQuery, client: FhirClient, owner: SlotOwner, from: string, serviceType: string | undefined, scheduleIds: string[] | undefined, signal: AbortSignal): Promise<Slot | undefined> {
  const params = slotSearchParams(owner, { from }, { serviceType, scheduleIds, count: 1, sortByStart: true }).filter(([k]) => k !== '_include');
  const bundle = await client.search('Slot', params, { signal });
  // Some servers ignore _sort: take the earliest of what came back.
  return collect([bundle]).slots.filter((s) => s.status === 'free' && s.start && Date.parse(s.start) >= Date.parse(from)).sort((a, b) => Date.parse(a.start!) - Date.parse(b.start!))[0];
}

/** The Schedule had no zone: ask its Location (and that Location's Organization). Only then. */
export async function zoneFromLocation({ clinicTimeZone }: SlotQuery, client: FhirClient, schedules: Schedule[], signal: AbortSignal): Promise<string | undefined> {
  const ref = schedules.flatMap((s) => s.actor ?? []).find((a) => a.reference?.startsWith('Location/'))?.reference;
  if (!ref) return undefined;
  try {
    const others: Resource[] = [];
    const location = await client.read('Location', ref.slice('Location/'.length), { signal });
    others.push(location);
    const orgRef = (location as Location).managingOrganization?.reference;
    if (!clinicTimeZone(schedules, others) && orgRef?.startsWith('Organization/')) {
      others.push((await client.read('Organization', orgRef.slice('Organization/'.length), { signal })) as Organization);
    }
    return clinicTimeZone(schedules, others);
  } catch {
    return undefined; // the browser's zone will do; the line under the title names it
  }
}

/** The appointment being moved, and its current Slot. */
export async function loadMoving(client: FhirClient, id: string, signal: AbortSignal): Promise<{ appointment: Appointment; slot?: Slot | undefined }> {
  const bundle = await client.search('Appointment', [['_id', id], ['_include', 'Appointment:slot']], { signal });
  const appointment = bundle.entry?.find((e) => e.resource?.resourceType === 'Appointment')?.resource as Appointment | undefined;
  if (!appointment) throw Object.assign(new Error(`Appointment/${id} not found`), { kind: 'http', status: 404 });
  const slotRef = appointment.slot?.[0]?.reference;
  let slot = (bundle.entry as Array<{ resource?: Resource }> | undefined)?.find((e) => e.resource?.resourceType === 'Slot' && `Slot/${e.resource.id}` === slotRef)?.resource as Slot | undefined;
  if (!slot && slotRef?.startsWith('Slot/')) slot = await client.read('Slot', slotRef.slice(5), { signal }).catch(() => undefined);
  return { appointment, slot };
}
