// The demo clinic: deterministic, relative to `now`, two time zones, valid FHIR (vital-signs profiles).
import { expect } from '@open-wc/testing';
import type { DocumentReference, Observation, Patient, Schedule, Slot } from '@medplum/fhirtypes';
import { createMockFhir, fixtures, TIMEZONE_EXTENSION } from '@ehr-kit/mock-fhir';
import { validateFhir } from '../support/validate.js';
import { NOW } from './helpers.js';

function localHour(iso: string, zone: string): { h: number; m: number; wd: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric', weekday: 'short' })
      .formatToParts(new Date(iso)).map((p) => [p.type, p.value]),
  );
  return { h: Number(parts.hour), m: Number(parts.minute), wd: parts.weekday! };
}

describe('mock-fhir: demo seed', () => {
  const mock = createMockFhir({ seed: 'demo', now: NOW });

  it('is deterministic for the same seed and now; another variant changes the random parts only', () => {
    const again = createMockFhir({ seed: 'demo', now: NOW });
    const strip = (xs: any[]) => xs.map(({ meta: _m, ...r }) => r);
    expect(strip(again.all('Slot'))).to.deep.equal(strip(mock.all('Slot')));
    const other = createMockFhir({ seed: 'demo:b', now: NOW });
    expect(other.get('Practitioner', fixtures.practitioners.nguyen.id)).to.not.equal(undefined);
    expect(other.all<Slot>('Slot').map((s) => s.status)).to.not.deep.equal(mock.all<Slot>('Slot').map((s) => s.status));
    expect(createMockFhir({ seed: 'empty' }).all('Patient')).to.have.length(0);
  });

  it('exports fixture ids that exist', () => {
    for (const p of Object.values(fixtures.practitioners)) {
      expect(mock.get('Practitioner', p.id), p.id).to.not.equal(undefined);
      expect(mock.get('Schedule', p.schedule), p.schedule).to.not.equal(undefined);
      expect(mock.get('PractitionerRole', p.role), p.role).to.not.equal(undefined);
    }
    for (const p of Object.values(fixtures.patients)) expect(mock.get('Patient', p.id), p.id).to.not.equal(undefined);
    expect(mock.get('Organization', fixtures.organization.id)).to.not.equal(undefined);
    expect(mock.get('Appointment', fixtures.videoVisit.appointment)).to.not.equal(undefined);
    expect(mock.get<any>('Encounter', fixtures.videoVisit.encounter).status).to.equal('arrived');
  });

  it('has schedules in New York and Berlin (timezone extension), free and busy 30-min slots in working hours for 21 days', () => {
    const zones = new Set<string>();
    for (const key of ['nguyen', 'mueller'] as const) {
      const sched = mock.get<Schedule>('Schedule', fixtures.schedules[key].id)!;
      const zone = sched.extension!.find((e) => e.url === TIMEZONE_EXTENSION)!.valueCode!;
      expect(zone).to.equal(fixtures.schedules[key].timezone);
      zones.add(zone);
      const slots = mock.all<Slot>('Slot').filter((s) => s.schedule.reference === `Schedule/${sched.id}`);
      expect(slots.length).to.be.greaterThan(100);
      expect(slots.some((s) => s.status === 'free')).to.equal(true);
      expect(slots.some((s) => s.status === 'busy')).to.equal(true);
      for (const s of slots) {
        expect(Date.parse(s.end) - Date.parse(s.start)).to.equal(30 * 60_000);
        expect(Date.parse(s.start)).to.be.at.least(Date.parse(NOW));
        expect(Date.parse(s.start)).to.be.below(Date.parse(NOW) + 22 * 86_400_000);
        const { h, wd } = localHour(s.start, zone);
        expect(h, `${s.id} local hour`).to.be.within(9, 16);
        expect(['Sat', 'Sun']).to.not.include(wd);
      }
    }
    expect([...zones]).to.have.members(['America/New_York', 'Europe/Berlin']);
  });

  it('has ~20 patients with non-ASCII, RTL, CJK, apostrophe and hyphen names', () => {
    const names = mock.all<Patient>('Patient').flatMap((p) => p.name!.map((n) => `${n.given?.join(' ')} ${n.family}`));
    expect(mock.all('Patient').length).to.be.within(18, 25);
    expect(names.some((n) => /[\u0600-\u06ff]/.test(n)), 'Arabic').to.equal(true);
    expect(names.some((n) => /[\u4e00-\u9fff]/.test(n)), 'CJK').to.equal(true);
    expect(names.some((n) => n.includes("'")), 'apostrophe').to.equal(true);
    expect(names.some((n) => /\w-\w/.test(n)), 'hyphen').to.equal(true);
    expect(names.some((n) => /[éëüøöñ]/i.test(n)), 'accents').to.equal(true);
  });

  it('vitals validate against the FHIR vital-signs profiles; notes are UTF-8 base64 clinical notes', async () => {
    const vitals = mock.all<Observation>('Observation');
    expect(vitals.length).to.be.greaterThan(100);
    const byCode = new Map<string, Observation>();
    for (const o of vitals) byCode.set(o.code.coding![0]!.code!, o);
    expect([...byCode.keys()]).to.include.members(['85354-9', '8867-4', '9279-1', '8310-5', '59408-5', '29463-7', '8302-2', '39156-5', '9843-4']);
    for (const o of byCode.values()) {
      const issues = await validateFhir(o as never, o.meta!.profile![0]);
      expect(issues.filter((i) => i.severity === 'error'), `${o.code.coding![0]!.code}: ${JSON.stringify(issues)}`).to.deep.equal([]);
    }
    const doc = mock.all<DocumentReference>('DocumentReference')[0]!;
    expect((await validateFhir(doc as never)).filter((i) => i.severity === 'error')).to.deep.equal([]);
    const bytes = Uint8Array.from(atob(doc.content[0]!.attachment.data!), (c) => c.charCodeAt(0));
    expect(new TextDecoder().decode(bytes)).to.contain('S: ');
    expect(doc.category![0]!.coding![0]!.code).to.equal('clinical-note');
  });

  it('every seeded resource passes the R4 base validation', async () => {
    const sample = ['Organization', 'Location', 'Practitioner', 'PractitionerRole', 'Schedule', 'Slot', 'Appointment', 'Encounter', 'Patient']
      .flatMap((t) => mock.all(t).slice(0, 3));
    for (const r of sample) {
      const errors = (await validateFhir(r as never)).filter((i) => i.severity === 'error');
      expect(errors, `${r.resourceType}/${r.id}: ${JSON.stringify(errors)}`).to.deep.equal([]);
    }
  });
});
