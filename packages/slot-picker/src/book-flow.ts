/**
 * Booking as the picker runs it (a lazy chunk): one guarded transaction, and after a lost answer
 * a check on the server before anything is sent again — so a person is never booked twice and a
 * taken Slot is never overwritten.
 */
import type { Appointment, Bundle, CodeableConcept, Schedule, Slot } from '@medplum/fhirtypes';
import type { FhirClient } from '@ehr-kit/fhir-client';
import { BOOKING_KEY_SYSTEM, buildBooking, buildReschedule, readBookingResponse, scheduleActors, type BookingPlan } from './booking.js';

export type Saved = { appointment: Appointment; slot: Slot };
/** How a booking ended: saved, or the Slot was taken by someone else (`error` when a write was refused). */
export type Outcome = { saved: Saved } | { taken: true; error?: unknown };

export interface BookRequest {
  client: FhirClient;
  slot: Slot;
  patient: string;
  schedules: readonly Schedule[];
  practitionerId?: string | undefined;
  serviceType?: CodeableConcept[] | undefined;
  moving?: { appointment: Appointment; slot?: Slot | undefined } | undefined;
  /** the plan of an earlier attempt whose answer never came */
  unsure?: BookingPlan | undefined;
  /** told of the plan whose answer is in doubt (undefined once it is known) */
  setUnsure(plan: BookingPlan | undefined): void;
}

/** Books (or reschedules) `slot`; throws when nothing is known to be done (the person may try again). */
export async function book(r: BookRequest): Promise<Outcome> {
  const { client } = r;
  // An earlier attempt never answered: find out what happened before sending anything again.
  if (r.unsure) {
    const outcome = await check(client, r.unsure);
    if (outcome !== 'free') return outcome;
    r.setUnsure(undefined);
  }
  const schedule = r.schedules.find((s) => `Schedule/${s.id}` === r.slot.schedule?.reference);
  const actors = [...scheduleActors(schedule), ...(r.practitionerId ? [`Practitioner/${r.practitionerId}`] : [])];
  const input = { slot: r.slot, patient: r.patient, actors, serviceType: r.serviceType };
  const plan = r.moving ? buildReschedule({ ...input, appointment: r.moving.appointment, oldSlot: r.moving.slot }) : buildBooking(input);
  let response: Bundle;
  try {
    response = await client.transaction(plan.bundle);
  } catch (error) {
    if (isConflict(error)) return { taken: true, error };
    if (outcomeUnknown(error)) {
      r.setUnsure(plan);
      const outcome = await check(client, plan).catch(() => 'unknown' as const);
      if (outcome === 'free') r.setUnsure(undefined); // nothing happened: a retry is safe
      else if (outcome !== 'unknown') return 'taken' in outcome ? { taken: true, error } : outcome;
    }
    throw error;
  }
  return { saved: readBookingResponse(plan, response) };
}

/** After a lost answer: is the booking there (saved), the Slot gone (taken), or nothing done ('free')? */
async function check(client: FhirClient, plan: BookingPlan): Promise<Outcome | 'free'> {
  const isMine = (a: Appointment) => a.status !== 'cancelled' && !!a.identifier?.some((i) => i.value === plan.bookingKey);
  const found = await client.searchResources('Appointment', [['identifier', `${BOOKING_KEY_SYSTEM}|${plan.bookingKey}`]]);
  let mine = found.find(isMine);
  const slot = await client.read('Slot', plan.slot.id!);
  if (!mine && slot.status !== 'free') {
    // The Slot is taken: by us, if a server indexes identifiers late? Ask by Slot as well.
    mine = (await client.searchResources('Appointment', [['slot', `Slot/${slot.id}`]])).find(isMine);
  }
  if (mine) return { saved: { appointment: mine, slot } };
  return slot.status === 'free' && slot.meta?.versionId === plan.bundle.entry![0]!.request!.ifMatch!.slice(3, -1) ? 'free' : { taken: true };
}

function isConflict(error: unknown): boolean {
  const e = error as { kind?: string; status?: number };
  return e?.kind === 'http' && (e.status === 409 || e.status === 412);
}

/** The request may or may not have reached the server and committed. */
function outcomeUnknown(error: unknown): boolean {
  const e = error as { kind?: string; status?: number };
  return e?.kind === 'network' || e?.kind === 'timeout' || (e?.kind === 'http' && (e.status ?? 0) >= 500) || error instanceof TypeError;
}
