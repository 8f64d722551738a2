/**
 * The booking transactions, as pure functions. One transaction books (or reschedules) atomically:
 * every write in it is guarded by `ifMatch` on the version the person saw, so two people can never
 * get the same Slot — the second transaction fails with 412 (or 409) and nothing of it is kept.
 */
import type { Appointment, AppointmentParticipant, Bundle, BundleEntry, CodeableConcept, Identifier, Schedule, Slot } from '@medplum/fhirtypes';
import { etag, newUrnUuid, transactionBundle } from '@ehr-kit/fhir-client';

/** Identifier system for the client-generated booking key (lets a lost answer be found again). */
export const BOOKING_KEY_SYSTEM = 'urn:ietf:rfc:3986';

export interface BookingInput {
  /** the free Slot as read from the server (needs id and meta.versionId) */
  slot: Slot;
  /** 'Patient/123' */
  patient: string;
  /** practitioners, locations … taking part: 'Practitioner/1' (from the Schedule's actors, or given) */
  actors?: readonly string[];
  /** what the visit is for; defaults to the Slot's serviceType */
  serviceType?: CodeableConcept[];
  /** a client-generated key, stored as Appointment.identifier; default a new urn:uuid */
  bookingKey?: string;
  /** free text for Appointment.description / comment */
  comment?: string;
}

export interface RescheduleInput extends BookingInput {
  /** the appointment being moved (needs id and meta.versionId) */
  appointment: Appointment;
  /** its current Slot, if it has one (needs id and meta.versionId) */
  oldSlot?: Slot;
}

export interface BookingPlan {
  bundle: Bundle;
  /** the Appointment as sent (without id) */
  appointment: Appointment;
  /** the Slot as sent (status busy) */
  slot: Slot;
  bookingKey: string;
  bookingIdentifier: Identifier;
}

function requireVersion(resource: { resourceType: string; id?: string; meta?: { versionId?: string } }): string {
  if (!resource.id) throw new Error(`${resource.resourceType} has no id`);
  const v = resource.meta?.versionId;
  if (!v) throw new Error(`${resource.resourceType}/${resource.id} has no meta.versionId: cannot guard the write`);
  return v;
}

function putEntry<T extends Slot | Appointment>(resource: T, version: string): BundleEntry<T> {
  return {
    fullUrl: `${resource.resourceType}/${resource.id}`,
    resource,
    request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}`, ifMatch: etag(version) },
  };
}

/** The practitioners/locations of a Schedule, as references, for Appointment participants. */
export function scheduleActors(schedule: Schedule | undefined): string[] {
  return (schedule?.actor ?? []).map((a) => a.reference).filter((r): r is string => !!r);
}

function participant(reference: string): AppointmentParticipant {
  return { actor: { reference } as AppointmentParticipant['actor'], status: 'accepted', required: 'required' };
}

function newAppointment(input: BookingInput, key: string): Appointment {
  const { slot } = input;
  const actors = [...new Set([input.patient, ...(input.actors ?? [])])].filter((r) => r && !r.startsWith('Schedule/'));
  const serviceType = input.serviceType?.length ? input.serviceType : slot.serviceType;
  const appointment: Appointment = {
    resourceType: 'Appointment',
    identifier: [{ system: BOOKING_KEY_SYSTEM, value: key }],
    status: 'booked',
    serviceType: serviceType?.length ? serviceType : undefined,
    appointmentType: slot.appointmentType,
    start: slot.start,
    end: slot.end,
    minutesDuration: Math.max(1, Math.round((Date.parse(slot.end!) - Date.parse(slot.start!)) / 60_000)),
    slot: [{ reference: `Slot/${slot.id}` }],
    created: new Date().toISOString().slice(0, 10),
    comment: input.comment,
    participant: actors.map(participant),
  };
  return JSON.parse(JSON.stringify(appointment)) as Appointment; // drops undefined members
}

/**
 * Book a free Slot: `PUT Slot/{id}` (busy, If-Match its version) + `POST Appointment` (booked),
 * in one transaction.
 */
export function buildBooking(input: BookingInput): BookingPlan {
  const { slot } = input;
  const version = requireVersion(slot);
  if (!slot.start || !slot.end) throw new Error(`Slot/${slot.id} has no start/end`);
  if (!input.patient) throw new Error('A patient is needed to book');
  const key = input.bookingKey ?? newUrnUuid();
  const busy: Slot = { ...slot, status: 'busy' };
  const appointment = newAppointment(input, key);
  const bundle = transactionBundle([putEntry(busy, version), { fullUrl: newUrnUuid(), resource: appointment, request: { method: 'POST', url: 'Appointment' } }]);
  return { bundle, appointment, slot: busy, bookingKey: key, bookingIdentifier: appointment.identifier![0]! };
}

/**
 * Move an appointment to another Slot, in one transaction: free the old Slot, take the new one,
 * cancel the old Appointment and create the new one — every PUT guarded by `ifMatch`.
 */
export function buildReschedule(input: RescheduleInput): BookingPlan {
  const plan = buildBooking(input);
  const { appointment: old, oldSlot } = input;
  const oldVersion = requireVersion(old);
  const entries = plan.bundle.entry!;
  if (oldSlot && oldSlot.id !== input.slot.id) {
    entries.push(putEntry({ ...oldSlot, status: 'free' }, requireVersion(oldSlot)));
  }
  const cancelled: Appointment = {
    ...old,
    status: 'cancelled',
    cancelationReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason', code: 'pat-cpp', display: 'Patient: Canceled via Patient Portal' }], text: 'Rescheduled' },
  };
  entries.push(putEntry(cancelled, oldVersion));
  plan.appointment.comment ??= `Rescheduled from Appointment/${old.id}`;
  return plan;
}

/** The saved Appointment and Slot from a transaction-response, by position (FHIR keeps the order). */
export function readBookingResponse(plan: BookingPlan, response: Bundle): { appointment: Appointment; slot: Slot } {
  const entries = response.entry ?? [];
  const slotEntry = entries[0];
  const apptEntry = entries[1];
  const slot = (slotEntry?.resource as Slot | undefined) ?? withLocation(plan.slot, slotEntry?.response?.location);
  const appointment =
    (apptEntry?.resource as Appointment | undefined) ?? withLocation(plan.appointment, apptEntry?.response?.location);
  return { appointment, slot };
}

function withLocation<T extends Slot | Appointment>(resource: T, location: string | undefined): T {
  if (!location) return resource;
  const m = /(?:^|\/)(Slot|Appointment)\/([^/]+)(?:\/_history\/([^/]+))?/.exec(location);
  if (!m) return resource;
  return { ...resource, id: m[2], meta: { ...resource.meta, versionId: m[3] ?? resource.meta?.versionId } };
}
