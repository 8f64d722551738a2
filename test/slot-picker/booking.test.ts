import { expect } from '@open-wc/testing';
import type { Appointment, Slot } from '@medplum/fhirtypes';
import { buildBooking, buildReschedule, readBookingResponse, BOOKING_KEY_SYSTEM } from '../../packages/slot-picker/src/booking.js';
import { slotSearchParams, clinicTimeZone, collect, isChainRefused } from '../../packages/slot-picker/src/slot-query.js';

const slot: Slot = {
  resourceType: 'Slot',
  id: 'slot-1',
  meta: { versionId: '3' },
  schedule: { reference: 'Schedule/sch-1' },
  status: 'free',
  serviceType: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/service-type', code: '124', display: 'General Practice' }] }],
  start: '2027-03-15T13:00:00Z',
  end: '2027-03-15T13:30:00Z',
};

describe('slot-picker booking transaction', () => {
  it('books: PUT Slot busy guarded by the version + POST Appointment booked, one transaction', () => {
    const plan = buildBooking({ slot, patient: 'Patient/p1', actors: ['Practitioner/dr-1'] });
    const b = plan.bundle;
    expect(b.type).to.equal('transaction');
    expect(b.entry).to.have.length(2);
    const [put, post] = b.entry!;
    expect(put!.request).to.deep.equal({ method: 'PUT', url: 'Slot/slot-1', ifMatch: 'W/"3"' });
    expect((put!.resource as Slot).status).to.equal('busy');
    expect((put!.resource as Slot).start).to.equal(slot.start);
    expect(post!.request!.method).to.equal('POST');
    expect(post!.request!.url).to.equal('Appointment');
    expect(post!.fullUrl).to.match(/^urn:uuid:/);
    const a = post!.resource as Appointment;
    expect(a.status).to.equal('booked');
    expect(a.slot).to.deep.equal([{ reference: 'Slot/slot-1' }]);
    expect(a.start).to.equal(slot.start);
    expect(a.end).to.equal(slot.end);
    expect(a.minutesDuration).to.equal(30);
    expect(a.serviceType).to.deep.equal(slot.serviceType);
    expect(a.participant!.map((p) => [p.actor!.reference, p.status])).to.deep.equal([
      ['Patient/p1', 'accepted'],
      ['Practitioner/dr-1', 'accepted'],
    ]);
    expect(a.identifier![0]!.system).to.equal(BOOKING_KEY_SYSTEM);
    expect(a.identifier![0]!.value).to.equal(plan.bookingKey);
  });

  it('uses the given service type over the Slot’s', () => {
    const serviceType = [{ text: 'Flu shot' }];
    expect(buildBooking({ slot, patient: 'Patient/p1', serviceType }).appointment.serviceType).to.deep.equal(serviceType);
  });

  it('refuses to build an unguarded write', () => {
    expect(() => buildBooking({ slot: { ...slot, meta: {} }, patient: 'Patient/p1' })).to.throw(/versionId/);
    expect(() => buildBooking({ slot, patient: '' })).to.throw(/patient/);
  });

  it('reschedules in one transaction: new Slot busy, old Slot free, old Appointment cancelled, new Appointment', () => {
    const oldSlot: Slot = { ...slot, id: 'slot-0', meta: { versionId: '7' }, status: 'busy' };
    const old: Appointment = {
      resourceType: 'Appointment', id: 'appt-0', meta: { versionId: '2' }, status: 'booked',
      start: oldSlot.start, end: oldSlot.end, slot: [{ reference: 'Slot/slot-0' }],
      participant: [{ actor: { reference: 'Patient/p1' }, status: 'accepted' }],
    };
    const plan = buildReschedule({ slot, patient: 'Patient/p1', actors: ['Practitioner/dr-1'], appointment: old, oldSlot });
    const e = plan.bundle.entry!;
    expect(e.map((x) => `${x.request!.method} ${x.request!.url} ${x.request!.ifMatch ?? ''}`)).to.deep.equal([
      'PUT Slot/slot-1 W/"3"',
      'POST Appointment ',
      'PUT Slot/slot-0 W/"7"',
      'PUT Appointment/appt-0 W/"2"',
    ]);
    expect((e[2]!.resource as Slot).status).to.equal('free');
    expect((e[3]!.resource as Appointment).status).to.equal('cancelled');
    expect((e[1]!.resource as Appointment).status).to.equal('booked');
  });

  it('reads the saved resources from the transaction-response, even without bodies', () => {
    const plan = buildBooking({ slot, patient: 'Patient/p1' });
    const saved = readBookingResponse(plan, {
      resourceType: 'Bundle', type: 'transaction-response',
      entry: [
        { response: { status: '200', location: 'Slot/slot-1/_history/4' } },
        { response: { status: '201', location: 'https://x/fhir/Appointment/a9/_history/1' } },
      ],
    });
    expect(saved.slot.meta!.versionId).to.equal('4');
    expect(saved.slot.status).to.equal('busy');
    expect(saved.appointment.id).to.equal('a9');
  });
});

describe('slot-picker search', () => {
  it('asks for one chained search per view', () => {
    const p = slotSearchParams({ practitionerId: 'dr-1' }, { from: '2027-03-15T04:00:00Z', to: '2027-03-22T04:00:00Z' }, { serviceType: '124' });
    expect(new URLSearchParams(p).toString()).to.equal(
      'schedule.actor=Practitioner%2Fdr-1&status=free&start=ge2027-03-15T04%3A00%3A00Z&start=lt2027-03-22T04%3A00%3A00Z&service-type=124&_include=Slot%3Aschedule&_count=500',
    );
    expect(slotSearchParams({ scheduleId: 's1' }, { from: 'x' })[0]).to.deep.equal(['schedule', 'Schedule/s1']);
    expect(slotSearchParams({ locationId: 'l1' }, { from: 'x' })[0]).to.deep.equal(['schedule.actor', 'Location/l1']);
    expect(slotSearchParams({ practitionerId: 'd' }, { from: 'x' }, { scheduleIds: ['a', 'b'] })[0]).to.deep.equal(['schedule', 'Schedule/a,Schedule/b']);
  });

  it('finds the clinic time zone on the Schedule, else its Location or Organization', () => {
    const ext = (tz: string) => [{ url: 'http://hl7.org/fhir/StructureDefinition/timezone', valueCode: tz }];
    expect(clinicTimeZone([{ resourceType: 'Schedule', actor: [], extension: ext('Europe/Berlin') }])).to.equal('Europe/Berlin');
    expect(clinicTimeZone([{ resourceType: 'Schedule', actor: [], extension: ext('Not/AZone') }])).to.equal(undefined);
    const sched = { resourceType: 'Schedule' as const, actor: [{ reference: 'Location/l1' }] };
    expect(clinicTimeZone([sched], [{ resourceType: 'Location', id: 'l1', extension: ext('America/Chicago') }])).to.equal('America/Chicago');
    expect(
      clinicTimeZone([sched], [
        { resourceType: 'Location', id: 'l1', managingOrganization: { reference: 'Organization/o1' } },
        { resourceType: 'Organization', id: 'o1', extension: ext('America/Denver') },
      ]),
    ).to.equal('America/Denver');
  });

  it('separates matches from includes, and knows a refused chain', () => {
    const r = collect([{ resourceType: 'Bundle', type: 'searchset', entry: [
      { resource: slot, search: { mode: 'match' } },
      { resource: { resourceType: 'Schedule', id: 'sch-1', actor: [] }, search: { mode: 'include' } },
    ] }]);
    expect(r.slots).to.have.length(1);
    expect(r.schedules.get('sch-1')).to.exist;
    expect(isChainRefused({ kind: 'http', status: 400 })).to.equal(true);
    expect(isChainRefused({ kind: 'network' })).to.equal(false);
  });
});
