// The <ehr-slot-picker> suite, run once against the mock (slot-picker.mock.test.ts) and once
// against the Medplum-based reference server (slot-picker.reference.test.ts). Every test seeds its
// own Practitioner/Schedule/Slots through FHIR, acts as a person (clicks, keys), and checks both
// what the person sees and what the server holds.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Appointment, Location, Patient, Slot } from '@medplum/fhirtypes';
import type { FhirClient } from '@ehr-kit/fhir-client';
import { setEhrLocale } from '@ehr-kit/core';
import '@ehr-kit/core/define';
import '@ehr-kit/slot-picker/define';
import type { EhrSlotPicker } from '@ehr-kit/slot-picker';
import { buildBooking } from '../../packages/slot-picker/src/booking.js';
import { validateFhir } from '../support/validate.js';
import { seed, until, type Counted, type SeedOptions } from './helpers.js';

export interface Server {
  name: string;
  /** A fresh, empty FHIR base for one test, with a counting client. */
  fresh(): Promise<Counted>;
}

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
/** A future Monday, so no seeded time is in the past. */
const WEEK = '2027-02-01';
const DAYS3 = (times = ['09:00', '09:30', '10:00', '14:00', '14:30', '18:00']) =>
  ['2027-02-01', '2027-02-02', '2027-02-03'].map((day) => ({ day, times }));

function q<T extends Element = HTMLElement>(el: Element, selector: string): T | null {
  return el.shadowRoot!.querySelector<T>(selector);
}
function qa<T extends Element = HTMLElement>(el: Element, selector: string): T[] {
  return [...el.shadowRoot!.querySelectorAll<T>(selector)];
}
const text = (e: Element | null | undefined) => (e?.textContent ?? '').replace(/\s+/g, ' ').trim();
const active = (el: Element) => el.shadowRoot!.activeElement as HTMLElement | null;
/** Strict CSP (no 'unsafe-inline' styles): the element never writes a style attribute or <style>. */
function cspClean(el: Element): void {
  expect(el.shadowRoot!.querySelectorAll('[style], style').length, 'inline styles').to.equal(0);
}
/** A day tab's accessible name (its visually hidden full text). */
const dayName = (tab: Element) => text(tab.querySelector('.visually-hidden'));

async function loaded(el: EhrSlotPicker, timeoutMs = 10_000): Promise<void> {
  await until(() => q(el, '.base[aria-busy="false"]') && (q(el, '.time') || q(el, '.message')), timeoutMs);
  await el.updateComplete;
}

async function mount(client: FhirClient, attrs: { practitionerId?: string; scheduleId?: string; locationId?: string; start?: string; days?: number; book?: boolean; patientId?: string; appointmentId?: string; timezone?: string }) {
  return fixture<EhrSlotPicker>(html`<ehr-slot-picker
    .client=${client}
    practitioner-id=${ifDefined(attrs.practitionerId)}
    schedule-id=${ifDefined(attrs.scheduleId)}
    location-id=${ifDefined(attrs.locationId)}
    start=${attrs.start ?? WEEK}
    days=${attrs.days ?? 7}
    timezone=${ifDefined(attrs.timezone)}
    ?book=${attrs.book ?? false}
    patient-id=${ifDefined(attrs.patientId)}
    appointment-id=${ifDefined(attrs.appointmentId)}
  ></ehr-slot-picker>`);
}

async function appointmentsForSlot(client: FhirClient, slotId: string): Promise<Appointment[]> {
  return client.searchResources('Appointment', [['slot', `Slot/${slotId}`]]);
}

async function newPatient(client: FhirClient): Promise<string> {
  const p = await client.create<Patient>({ resourceType: 'Patient', name: [{ family: 'García', given: ['Lucía'] }] });
  return p.id!;
}

/** A booked visit (first Slot, for a new patient, with the practitioner) and a picker mounted to move it. */
async function movingVisit(client: FhirClient) {
  const s = await seed(client, { zone: NY, days: DAYS3() });
  const patientId = await newPatient(client);
  const first = await client.transaction(buildBooking({ slot: s.slots[0]!, patient: `Patient/${patientId}`, actors: [`Practitioner/${s.practitionerId}`] }).bundle);
  const oldAppt = first.entry![1]!.resource as Appointment;
  const el = await mount(client, { practitionerId: s.practitionerId, book: true, appointmentId: oldAppt.id! });
  await loaded(el);
  return { s, patientId, oldAppt, el };
}

/** Keyboard only: Tab until focus is on the day list. */
async function tabToDays(el: EhrSlotPicker): Promise<void> {
  for (let i = 0; i < 6 && active(el)?.getAttribute('role') !== 'tab'; i++) await sendKeys({ press: 'Tab' });
  expect(active(el)?.getAttribute('role')).to.equal('tab');
}

export function slotPickerSuite(server: Server): void {
  describe(`<ehr-slot-picker> against ${server.name}`, function () {
    this.timeout(60_000);
    afterEach(() => {
      document.documentElement.lang = 'en';
      return setEhrLocale('en');
    });

    /** A booking picker for a new patient over three seeded days in New York, its times shown. */
    async function bookingPicker() {
      const fresh = await server.fresh();
      const s = await seed(fresh.client, { zone: NY, days: DAYS3() });
      const patientId = await newPatient(fresh.client);
      const el = await mount(fresh.client, { practitionerId: s.practitionerId, book: true, patientId });
      await loaded(el);
      return { ...fresh, s, patientId, el };
    }

    it('shows the days with counts, times by part of day, the zone named — in one request', async () => {
      const { client, requests } = await server.fresh();
      const s = await seed(client, { zone: NY, days: DAYS3() });
      requests.length = 0;
      const el = await mount(client, { practitionerId: s.practitionerId, days: 7 });
      expect(q(el, '[role="status"]'), 'loading state').to.exist;
      await expect(el).to.be.accessible();
      await loaded(el);
      expect(requests).to.have.length(1);
      expect(requests[0]).to.match(/^GET Slot\?schedule\.actor=Practitioner\/[^&]+&status=free&start=ge.*&start=lt.*&_include=Slot:schedule&_count=\d+$/);
      const tabs = qa(el, '[role="tab"]');
      expect(tabs).to.have.length(7);
      expect(dayName(tabs[0]!)).to.equal('Monday 1 February, 6 times');
      expect(dayName(tabs[3]!)).to.equal('Thursday 4 February, 0 times');
      expect(tabs[0]!.getAttribute('aria-selected')).to.equal('true');
      expect(text(q(el, '.zone'))).to.equal('Times are in Eastern Standard Time (New York).');
      expect(qa(el, '.part h3').map(text)).to.deep.equal(['Morning', 'Afternoon', 'Evening']);
      expect(qa(el, '.time').map(text)).to.deep.equal(['09:00', '09:30', '10:00', '14:00', '14:30', '18:00']);
      expect(qa(el, '.time')[0]!.getAttribute('aria-label')).to.equal('Monday 1 February, 09:00 to 09:30');
      await expect(el).to.be.accessible();
      cspClean(el);
    });

    it('without book: choosing a time emits ehr-slot-selected with the Slot, writes nothing', async () => {
      const { client, requests } = await server.fresh();
      const s = await seed(client, { zone: NY, days: DAYS3() });
      const el = await mount(client, { practitionerId: s.practitionerId });
      await loaded(el);
      requests.length = 0;
      const button = qa(el, '.time')[3]!;
      setTimeout(() => button.click());
      const event = (await oneEvent(el, 'ehr-slot-selected')) as CustomEvent<{ slot: Slot }>;
      expect(event.detail.slot.resourceType).to.equal('Slot');
      expect(event.detail.slot.start).to.equal(s.slots[3]!.start); // the server's instant, untouched
      expect(event.composed && event.bubbles).to.equal(true);
      await el.updateComplete;
      expect(button.getAttribute('aria-pressed')).to.equal('true');
      // the chosen time, the chosen day and the primary action wear the accent (light theme: #0b5cad)
      expect(getComputedStyle(button).backgroundColor, 'chosen time').to.equal('rgb(11, 92, 173)');
      expect(getComputedStyle(q(el, '[role="tab"][aria-selected="true"]')!).backgroundColor, 'chosen day').to.equal('rgb(11, 92, 173)');
      expect(el.selectedSlot?.id).to.equal(s.slots[3]!.id);
      expect(requests).to.deep.equal([]);
    });

    it('books: confirm, then one transaction — Slot busy + Appointment booked that validates', async () => {
      const { client, requests, s, patientId, el } = await bookingPicker();
      qa(el, '.time')[1]!.click();
      await el.updateComplete;
      expect(text(q(el, '.confirm h3'))).to.equal('Book this time?');
      cspClean(el);
      expect(text(q(el, '.confirm .when'))).to.equal('Monday 1 February, 09:30 to 10:00');
      await expect(el).to.be.accessible();
      requests.length = 0;
      const booked = oneEvent(el, 'ehr-appointment-booked') as Promise<CustomEvent<{ appointment: Appointment; slot: Slot }>>;
      q(el, '.confirm .primary')!.click();
      const { detail } = await booked;
      expect(requests).to.deep.equal(['POST (root)']); // one request per booking: the transaction
      expect(detail.appointment.id).to.be.a('string');
      expect(detail.appointment.status).to.equal('booked');
      expect(detail.slot.status).to.equal('busy');
      await el.updateComplete;
      expect(text(q(el, '.message.success'))).to.contain('You are booked.');
      expect(text(q(el, '.message.success'))).to.contain('Monday 1 February, 09:30–10:00');
      expect(active(el)).to.equal(q(el, '.message.success'));
      await expect(el).to.be.accessible();
      cspClean(el);

      const slot = await client.read('Slot', s.slots[1]!.id!);
      expect(slot.status).to.equal('busy');
      const appts = await appointmentsForSlot(client, s.slots[1]!.id!);
      expect(appts).to.have.length(1);
      const a = appts[0]!;
      expect(a.start).to.equal(s.slots[1]!.start);
      expect(a.end).to.equal(s.slots[1]!.end);
      expect(a.participant!.map((p) => [p.actor!.reference, p.status])).to.deep.equal([
        [`Patient/${patientId}`, 'accepted'],
        [`Practitioner/${s.practitionerId}`, 'accepted'],
      ]);
      expect(a.serviceType![0]!.coding![0]!.code).to.equal('124');
      await validateFhir(a);
    });

    it('starts over on another calendar after a booking (host changes practitioner-id)', async () => {
      const { client } = await server.fresh();
      const a = await seed(client, { zone: NY, days: DAYS3(['09:00']) });
      const b = await seed(client, { zone: NY, days: DAYS3(['16:00']) });
      const el = await mount(client, { practitionerId: a.practitionerId, book: true, patientId: await newPatient(client) });
      await loaded(el);
      qa(el, '.time')[0]!.click();
      await el.updateComplete;
      const booked = oneEvent(el, 'ehr-appointment-booked');
      q(el, '.confirm .primary')!.click();
      await booked;
      el.practitionerId = b.practitionerId;
      await until(() => qa(el, '.time').map(text).join() === '16:00');
      expect(q(el, '.message.success')).to.equal(null);
    });

    it('books by keyboard only', async () => {
      const { client, s, el } = await bookingPicker();
      await tabToDays(el);
      expect(active(el)!.dataset.day).to.equal('2027-02-01');
      await sendKeys({ press: 'ArrowRight' });
      await el.updateComplete;
      expect(active(el)!.dataset.day).to.equal('2027-02-02');
      expect(active(el)!.getAttribute('aria-selected')).to.equal('true');
      await sendKeys({ press: 'End' });
      expect(active(el)!.dataset.day).to.equal('2027-02-07');
      await sendKeys({ press: 'Home' });
      await sendKeys({ press: 'ArrowRight' });
      await sendKeys({ press: 'ArrowDown' }); // into the times of Tuesday
      await el.updateComplete;
      expect(text(active(el))).to.equal('09:00');
      await sendKeys({ press: 'ArrowRight' });
      await sendKeys({ press: 'ArrowRight' });
      expect(text(active(el))).to.equal('10:00');
      await sendKeys({ press: 'End' });
      expect(text(active(el))).to.equal('18:00');
      await sendKeys({ press: 'Home' });
      await sendKeys({ press: 'ArrowDown' }); // next row of times, or next part of day
      expect(['14:00', '14:30', '10:00']).to.include(text(active(el)));
      await sendKeys({ press: 'Home' });
      // Only one tab stop in the times: Tab leaves the grid.
      expect(qa(el, '.time[tabindex="0"]')).to.have.length(1);
      await sendKeys({ press: 'ArrowRight' });
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      await until(() => active(el)?.classList.contains('primary'));
      expect(text(q(el, '.confirm .when'))).to.equal('Tuesday 2 February, 09:30 to 10:00');
      const booked = oneEvent(el, 'ehr-appointment-booked');
      await sendKeys({ press: 'Enter' });
      await booked;
      const appts = await appointmentsForSlot(client, s.slots[7]!.id!);
      expect(appts).to.have.length(1);
      expect((await client.read('Slot', s.slots[7]!.id!)).status).to.equal('busy');
    });

    it('PageDown/PageUp move by a week and keep the weekday in focus', async () => {
      const { client, requests } = await server.fresh();
      const s = await seed(client, { zone: NY, days: [...DAYS3(), { day: '2027-02-09', times: ['11:00'] }] });
      const el = await mount(client, { practitionerId: s.practitionerId });
      await loaded(el);
      await tabToDays(el);
      await sendKeys({ press: 'ArrowRight' });
      requests.length = 0;
      await sendKeys({ press: 'PageDown' });
      await until(() => active(el)?.dataset.day === '2027-02-09');
      expect(requests).to.have.length(1);
      expect(text(q(el, '.range'))).to.equal('Monday 8 February – Sunday 14 February');
      expect(qa(el, '.time').map(text)).to.deep.equal(['11:00']);
      await sendKeys({ press: 'PageUp' });
      await until(() => active(el)?.dataset.day === '2027-02-02');
      // into the times: the remembered place (11:00 on the 9th) becomes the nearest time of day (10:00)
      await sendKeys({ press: 'ArrowDown' });
      await el.updateComplete;
      expect(text(active(el))).to.equal('10:00');
      // from the times: PageDown keeps the weekday and the nearest time
      await sendKeys({ press: 'PageDown' });
      await until(() => text(active(el)) === '11:00');
      expect(q(el, '[role="tab"][aria-selected="true"]')!.dataset.day).to.equal('2027-02-09');
    });

    it('by mouse: later/earlier days, and a day without times offers the next day that has some', async () => {
      const { client } = await server.fresh();
      const s = await seed(client, { zone: NY, days: [...DAYS3(['10:00']), { day: '2027-02-10', times: ['12:00'] }] });
      const el = await mount(client, { practitionerId: s.practitionerId });
      await loaded(el);
      const [earlier, later] = qa<HTMLButtonElement>(el, '.nav');
      expect(earlier!.getAttribute('aria-label')).to.equal('Earlier days');
      later!.click();
      await until(() => text(q(el, '.range')) === 'Monday 8 February – Sunday 14 February');
      await loaded(el);
      expect(q(el, '[role="tab"][aria-selected="true"]')!.dataset.day).to.equal('2027-02-10');
      qa(el, '[role="tab"]')[0]!.click(); // Monday 8th: nothing
      await el.updateComplete;
      expect(text(q(el, '.panel .message'))).to.contain('No free times on this day.');
      await expect(el).to.be.accessible();
      q(el, '.panel .message button')!.click();
      await until(() => qa(el, '.time').map(text).join() === '12:00');
      expect(active(el)!.dataset.day).to.equal('2027-02-10');
      qa<HTMLButtonElement>(el, '.nav')[0]!.click();
      await until(() => text(q(el, '.range')) === 'Monday 1 February – Sunday 7 February');
    });

    it('the loser of a race is told plainly, sees fresh times, and keeps their place', async () => {
      const { client } = await server.fresh();
      const s = await seed(client, { zone: NY, days: DAYS3() });
      const [p1, p2] = await Promise.all([newPatient(client), newPatient(client)]);
      const winner = await mount(client, { practitionerId: s.practitionerId, book: true, patientId: p1 });
      const loser = await mount(client, { practitionerId: s.practitionerId, book: true, patientId: p2 });
      await Promise.all([loaded(winner), loaded(loser)]);
      // both choose Monday 14:00
      qa(winner, '.time')[3]!.click();
      qa(loser, '.time')[3]!.click();
      await Promise.all([winner.updateComplete, loser.updateComplete]);
      const won = oneEvent(winner, 'ehr-appointment-booked');
      q(winner, '.confirm .primary')!.click();
      await won;
      const errors: unknown[] = [];
      loser.addEventListener('ehr-error', (e: Event) => errors.push((e as CustomEvent).detail));
      let bookedTwice = false;
      loser.addEventListener('ehr-appointment-booked', () => (bookedTwice = true));
      q(loser, '.confirm .primary')!.click();
      await until(() => q(loser, '.message.conflict'));
      await loaded(loser);
      expect(text(q(loser, '.message.conflict'))).to.contain('Sorry, someone else booked that time just before you.');
      expect(q(loser, '.message.conflict')!.getAttribute('role')).to.equal('alert');
      expect(bookedTwice).to.equal(false);
      expect(errors).to.have.length(1);
      // fresh times: 14:00 is gone; same day, same part of day, focus on the nearest time
      await until(() => !qa(loser, '.time').map(text).includes('14:00'));
      expect(q(loser, '[role="tab"][aria-selected="true"]')!.dataset.day).to.equal('2027-02-01');
      await until(() => text(active(loser)) === '14:30');
      await expect(loser).to.be.accessible();
      expect(await appointmentsForSlot(client, s.slots[3]!.id!)).to.have.length(1);
    });

    it('50 concurrent bookings of one slot: exactly one Appointment and one busy Slot', async () => {
      const { client } = await server.fresh();
      const s = await seed(client, { zone: NY, days: [{ day: WEEK, times: ['09:00'] }] });
      const slot = await client.read('Slot', s.slots[0]!.id!);
      const patients = await Promise.all(Array.from({ length: 50 }, () => newPatient(client)));
      const results = await Promise.allSettled(
        patients.map((p) => client.transaction(buildBooking({ slot, patient: `Patient/${p}`, actors: [`Practitioner/${s.practitionerId}`] }).bundle)),
      );
      const ok = results.filter((r) => r.status === 'fulfilled');
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(ok).to.have.length(1);
      expect(failed.map((r) => (r.reason as { status?: number }).status).every((st) => st === 412 || st === 409)).to.equal(true);
      const appts = await appointmentsForSlot(client, slot.id!);
      expect(appts).to.have.length(1);
      expect(appts[0]!.status).to.equal('booked');
      expect((await client.searchResources('Appointment', [['_count', '100']])).length).to.equal(1);
      const after = await client.read('Slot', slot.id!);
      expect(after.status).to.equal('busy');
      await validateFhir(appts[0]!);
    });

    it('50 people in 50 pickers press Book on the same time: one is booked, 49 are told it was taken', async function () {
      this.timeout(180_000);
      const { client } = await server.fresh();
      const s = await seed(client, { zone: NY, days: [{ day: WEEK, times: ['09:00', '09:30'] }] });
      const patients = await Promise.all(Array.from({ length: 50 }, () => newPatient(client)));
      const wrapper = await fixture<HTMLElement>(html`<div>
        ${patients.map((p) => html`<ehr-slot-picker .client=${client} practitioner-id=${s.practitionerId} start=${WEEK} days="1" patient-id=${p} book></ehr-slot-picker>`)}
      </div>`);
      const pickers = [...wrapper.querySelectorAll('ehr-slot-picker')];
      await Promise.all(pickers.map((el) => loaded(el, 60_000)));
      let booked = 0;
      for (const el of pickers) {
        el.addEventListener('ehr-appointment-booked', () => booked++);
        qa(el, '.time')[0]!.click();
      }
      await Promise.all(pickers.map((el) => el.updateComplete));
      for (const el of pickers) q(el, '.confirm .primary')!.click();
      await until(() => pickers.every((el) => q(el, '.message.success') || q(el, '.message.conflict')), 120_000);
      expect(booked).to.equal(1);
      expect(pickers.filter((el) => q(el, '.message.conflict'))).to.have.length(49);
      expect(await appointmentsForSlot(client, s.slots[0]!.id!)).to.have.length(1);
      expect((await client.read('Slot', s.slots[0]!.id!)).status).to.equal('busy');
      // every loser sees the times refreshed: 09:00 gone, 09:30 offered
      for (const el of pickers.filter((x) => q(x, '.message.conflict'))) await until(() => qa(el, '.time').map(text).join() === '09:30', 60_000);
    });

    it('reschedules in one transaction: new Slot busy, old Slot free, old Appointment cancelled', async () => {
      const { client, requests } = await server.fresh();
      const { s, patientId, oldAppt, el } = await movingVisit(client);
      expect(text(el.shadowRoot!.querySelectorAll('.zone')[1]!)).to.equal('Moving your visit on Monday 1 February, 09:00.');
      const target = qa(el, '.time').find((b) => text(b) === '14:00')!;
      target.click();
      await el.updateComplete;
      expect(text(q(el, '.confirm h3'))).to.equal('Move your visit to this time?');
      requests.length = 0;
      const moved = oneEvent(el, 'ehr-appointment-booked') as Promise<CustomEvent<{ appointment: Appointment; cancelled?: Appointment }>>;
      q(el, '.confirm .primary')!.click();
      const { detail } = await moved;
      expect(requests).to.deep.equal(['POST (root)']);
      expect(detail.cancelled?.id).to.equal(oldAppt.id);
      expect(text(q(el, '.message.success'))).to.contain('Your visit has been moved.');
      expect((await client.read('Slot', s.slots[0]!.id!)).status).to.equal('free');
      expect((await client.read('Slot', s.slots[3]!.id!)).status).to.equal('busy');
      const old = await client.read('Appointment', oldAppt.id!);
      expect(old.status).to.equal('cancelled');
      const fresh = await appointmentsForSlot(client, s.slots[3]!.id!);
      expect(fresh).to.have.length(1);
      expect(fresh[0]!.participant![0]!.actor!.reference).to.equal(`Patient/${patientId}`);
      await validateFhir(old);
      await validateFhir(fresh[0]!);
    });

    it('a reschedule that lost the race changes nothing (all or nothing)', async () => {
      const { client } = await server.fresh();
      const { s, oldAppt, el } = await movingVisit(client);
      qa(el, '.time').find((b) => text(b) === '14:00')!.click();
      await el.updateComplete;
      // someone else takes 14:00 first
      await client.transaction(buildBooking({ slot: s.slots[3]!, patient: `Patient/${await newPatient(client)}` }).bundle);
      q(el, '.confirm .primary')!.click();
      await until(() => q(el, '.message.conflict'));
      expect((await client.read('Slot', s.slots[0]!.id!)).status).to.equal('busy');
      expect((await client.read('Appointment', oldAppt.id!)).status).to.equal('booked');
      expect(await appointmentsForSlot(client, s.slots[3]!.id!)).to.have.length(1);
    });

    it('a reschedule whose old Appointment changed meanwhile is rolled back whole (new Slot stays free)', async () => {
      const { client } = await server.fresh();
      const { s, oldAppt, el } = await movingVisit(client);
      qa(el, '.time').find((b) => text(b) === '14:00')!.click();
      await el.updateComplete;
      // the clinic edits the old appointment: its version moves on, so the 4th entry's If-Match fails
      await client.update({ ...(await client.read('Appointment', oldAppt.id!)), comment: 'Bring your glasses' });
      q(el, '.confirm .primary')!.click();
      await until(() => q(el, '.message.conflict') || q(el, '.confirm .message'));
      // nothing of the transaction stayed: the new Slot was PUT first, and it is free again
      expect((await client.read('Slot', s.slots[3]!.id!)).status).to.equal('free');
      expect((await client.read('Slot', s.slots[0]!.id!)).status).to.equal('busy');
      expect((await client.read('Appointment', oldAppt.id!)).status).to.equal('booked');
      expect(await appointmentsForSlot(client, s.slots[3]!.id!)).to.have.length(0);
    });

    it('shows one schedule (schedule-id) and books with the patient from the provider launch context', async () => {
      const { client, requests } = await server.fresh();
      const s = await seed(client, { zone: NY, days: DAYS3() });
      const patientId = await newPatient(client);
      requests.length = 0;
      const wrapper = await fixture<HTMLElement>(html`<ehr-provider .client=${client} .launchContext=${{ patient: patientId }}>
        <ehr-slot-picker schedule-id=${s.scheduleId} start=${WEEK} book></ehr-slot-picker>
      </ehr-provider>`);
      const el = wrapper.querySelector('ehr-slot-picker')!;
      await loaded(el);
      expect(requests[0]).to.match(new RegExp(`^GET Slot\\?schedule=Schedule/${s.scheduleId}&status=free`));
      qa(el, '.time')[2]!.click();
      await el.updateComplete;
      const booked = oneEvent(el, 'ehr-appointment-booked') as Promise<CustomEvent<{ appointment: Appointment }>>;
      q(el, '.confirm .primary')!.click();
      const { detail } = await booked;
      expect(detail.appointment.participant![0]!.actor!.reference).to.equal(`Patient/${patientId}`);
      await validateFhir((await appointmentsForSlot(client, s.slots[2]!.id!))[0]!);
    });

    it('with book but no patient, says so and writes nothing', async () => {
      const { client, requests } = await server.fresh();
      const s = await seed(client, { zone: NY, days: DAYS3() });
      const el = await mount(client, { practitionerId: s.practitionerId, book: true });
      await loaded(el);
      qa(el, '.time')[0]!.click();
      await el.updateComplete;
      requests.length = 0;
      q(el, '.confirm .primary')!.click();
      await until(() => q(el, '.confirm .message.error'));
      expect(text(q(el, '.confirm .message'))).to.contain('We do not know who this visit is for.');
      expect(requests).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });

    it('finds times by location (location-id) and takes the zone from the Location when the Schedule has none', async () => {
      const { client, requests } = await server.fresh();
      const loc = await client.create<Location>({ resourceType: 'Location', name: 'Kreuzberg clinic', extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/timezone', valueCode: BERLIN }] });
      const s = await seed(client, { zone: BERLIN, days: DAYS3(['08:30']), zoneOnSchedule: false });
      const schedule = await client.read('Schedule', s.scheduleId);
      await client.update({ ...schedule, actor: [...schedule.actor, { reference: `Location/${loc.id}` }] });
      requests.length = 0;
      const el = await mount(client, { locationId: loc.id!, days: 3 });
      await loaded(el);
      expect(requests[0]).to.match(new RegExp(`^GET Slot\\?schedule.actor=Location/${loc.id}&`));
      expect(requests[1]).to.equal(`GET Location/${loc.id}`);
      expect(qa(el, '.time').map(text)).to.deep.equal(['08:30']);
      expect(text(q(el, '.zone'))).to.contain('Berlin');
    });

    it('filters by service type (service-type)', async () => {
      const { client } = await server.fresh();
      const s = await seed(client, { zone: NY, days: DAYS3(['09:00']) });
      const dental = { system: 'http://terminology.hl7.org/CodeSystem/service-type', code: '10', display: 'Dental' };
      await seed(client, { zone: NY, days: DAYS3(['11:00']), serviceType: dental }).then(async (other) => {
        // move the dental slots onto the same practitioner's second schedule
        const sched = await client.read('Schedule', other.scheduleId);
        await client.update({ ...sched, actor: [{ reference: `Practitioner/${s.practitionerId}` }] });
      });
      const el = await mount(client, { practitionerId: s.practitionerId, days: 3 });
      await loaded(el);
      expect(qa(el, '.time').map(text)).to.deep.equal(['09:00', '11:00']);
      el.serviceType = `${dental.system}|${dental.code}`;
      await until(() => qa(el, '.time').map(text).join() === '11:00');
    });

    it('a lost answer during booking is checked, not blindly retried: booked once', async () => {
      const { client, requests, faults, s, el } = await bookingPicker();
      qa(el, '.time')[0]!.click();
      await el.updateComplete;
      faults.push({ match: (r) => r === 'POST (root)', kind: 'drop-after' });
      requests.length = 0;
      const booked = oneEvent(el, 'ehr-appointment-booked');
      q(el, '.confirm .primary')!.click();
      await booked;
      expect(requests.filter((r) => r === 'POST (root)')).to.have.length(1);
      expect(requests.some((r) => r.startsWith('GET Appointment?identifier='))).to.equal(true);
      expect(await appointmentsForSlot(client, s.slots[0]!.id!)).to.have.length(1);
      expect(text(q(el, '.message.success'))).to.contain('You are booked.');
    });

    it('a booking that never reached the server says so; Try again re-checks, then books once', async () => {
      const { client, requests, faults, s, el } = await bookingPicker();
      qa(el, '.time')[0]!.click();
      await el.updateComplete;
      faults.push({ match: (r) => r === 'POST (root)', kind: 'drop-before' });
      faults.push({ match: (r) => r.startsWith('GET Appointment?identifier='), kind: 'drop-before' });
      q(el, '.confirm .primary')!.click();
      await until(() => q(el, '.confirm .message.unsure'));
      expect(text(q(el, '.confirm .message'))).to.contain('We could not confirm your booking.');
      await expect(el).to.be.accessible();
      requests.length = 0;
      const booked = oneEvent(el, 'ehr-appointment-booked');
      q(el, '.confirm .primary')!.click(); // "Try again"
      await booked;
      // checked first (appointment by key, slot state), then sent once
      expect(requests[0]).to.match(/^GET Appointment\?identifier=/);
      expect(requests.filter((r) => r === 'POST (root)')).to.have.length(1);
      expect(await appointmentsForSlot(client, s.slots[0]!.id!)).to.have.length(1);
    });

    for (const week of [
      { zone: NY, name: 'New York, March (23-hour Sunday)', start: '2027-03-12', change: '2027-03-14' },
      { zone: NY, name: 'New York, November (25-hour Sunday)', start: '2027-11-05', change: '2027-11-07' },
      { zone: BERLIN, name: 'Berlin, March', start: '2027-03-26', change: '2027-03-28' },
      { zone: BERLIN, name: 'Berlin, October', start: '2027-10-29', change: '2027-10-31' },
    ]) {
      it(`DST week in ${week.name}: 09:00 stays 09:00 and every day has its own times`, async () => {
        const { client } = await server.fresh();
        const days = Array.from({ length: 5 }, (_, i) => ({
          day: new Date(Date.parse(`${week.start}T12:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10),
          times: ['00:30', '09:00', '23:30'],
        }));
        const s = await seed(client, { zone: week.zone, days });
        // no timezone attribute: the clinic's zone comes from the Schedule
        const el = await mount(client, { practitionerId: s.practitionerId, start: week.start, days: 5 });
        await loaded(el);
        const tabs = qa(el, '[role="tab"]');
        expect(tabs.map((t) => t.dataset.day)).to.deep.equal(days.map((d) => d.day));
        expect(tabs.map((t) => dayName(t).split(', ')[1])).to.deep.equal(Array(5).fill('3 times'));
        for (const tab of tabs) {
          tab.click();
          await el.updateComplete;
          expect(qa(el, '.time').map(text), tab.dataset.day).to.deep.equal(['00:30', '09:00', '23:30']);
        }
        expect(text(q(el, '.zone'))).to.contain(week.zone.split('/')[1]!.replace('_', ' '));
        // the stored instants are the server's: the Sunday's 09:00 is what was seeded
        const change = tabs.find((t) => t.dataset.day === week.change)!;
        change.click();
        await el.updateComplete;
        const nine = qa(el, '.time')[1]!;
        const selected = oneEvent(el, 'ehr-slot-selected') as Promise<CustomEvent<{ slot: Slot }>>;
        nine.click();
        const chosen = (await selected).detail.slot;
        const seeded = s.slots.find((x) => x.start === chosen.start);
        expect(seeded, 'instant untouched').to.exist;
      });
    }

    it('shows the week in another zone when asked (timezone attribute), naming it', async () => {
      const { client } = await server.fresh();
      const s = await seed(client, { zone: NY, days: DAYS3(['09:00']) });
      const el = await mount(client, { practitionerId: s.practitionerId, timezone: BERLIN, days: 3 });
      await loaded(el);
      expect(qa(el, '.time').map(text)).to.deep.equal(['15:00']);
      expect(text(q(el, '.zone'))).to.equal('Times are in Central European Standard Time (Berlin).');
    });

    it('0 slots: says so and offers the next available day', async () => {
      const { client, requests } = await server.fresh();
      const s = await seed(client, { zone: NY, days: [{ day: '2027-03-03', times: ['10:00'] }] });
      requests.length = 0;
      const el = await mount(client, { practitionerId: s.practitionerId });
      await loaded(el);
      expect(text(q(el, '.message'))).to.contain('No free times on these days.');
      expect(text(q(el, '.message'))).to.contain('The next free time is on Wednesday 3 March.');
      expect(requests).to.have.length(2); // the view, then the first free time after it
      await expect(el).to.be.accessible();
      q(el, '.message .primary')!.click();
      await until(() => qa(el, '.time').map(text).join() === '10:00');
      expect(q(el, '[role="tab"][aria-selected="true"]')!.dataset.day).to.equal('2027-03-03');
    });

    it('no slots at all: an empty state with words, never a blank box', async () => {
      const { client } = await server.fresh();
      const s = await seed(client, { zone: NY, days: [] });
      const el = await mount(client, { practitionerId: s.practitionerId });
      await loaded(el);
      expect(text(q(el, '.message'))).to.equal('No free times on these days. Please check again later or contact the clinic.');
      await expect(el).to.be.accessible();
    });

    it('hides past slots', async () => {
      const { client } = await server.fresh();
      const today = new Date().toISOString().slice(0, 10);
      const now = Date.now();
      const s = await seed(client, { zone: 'UTC', days: [] });
      await client.transaction({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [-3, 3].map((h) => ({
          resource: { resourceType: 'Slot', schedule: { reference: `Schedule/${s.scheduleId}` }, status: 'free', start: new Date(now + h * 3_600_000).toISOString(), end: new Date(now + h * 3_600_000 + 1_800_000).toISOString() } as Slot,
          request: { method: 'POST', url: 'Slot' },
        })),
      });
      const el = await mount(client, { practitionerId: s.practitionerId, start: today, days: 2, timezone: 'UTC' });
      await loaded(el);
      const total = qa(el, '[role="tab"]').reduce((n, t) => n + Number(/(\d+) time/.exec(dayName(t))?.[1] ?? 0), 0);
      expect(total).to.equal(1);
    });

    it('an error says what happened and Try again recovers', async () => {
      const { client, faults } = await server.fresh();
      const s = await seed(client, { zone: NY, days: DAYS3() });
      faults.push({ match: (r) => r.startsWith('GET Slot?'), kind: 503 });
      const el = await mount(client, { practitionerId: s.practitionerId });
      await until(() => q(el, '.message.error'));
      expect(text(q(el, '.message.error'))).to.contain('The server had a problem');
      await expect(el).to.be.accessible();
      q(el, '.message.error button')!.focus();
      await sendKeys({ press: 'Enter' });
      await until(() => qa(el, '.time').length === 6);
      await until(() => text(active(el)) === '09:00'); // focus is not lost with the Retry button
    });

    it('falls back to Schedule-then-Slot when the server refuses chained search', async () => {
      const { client, requests, faults } = await server.fresh();
      const s = await seed(client, { zone: NY, days: DAYS3() });
      faults.push({ match: (r) => r.includes('schedule.actor='), kind: 400, times: 99 });
      requests.length = 0;
      const el = await mount(client, { practitionerId: s.practitionerId });
      await loaded(el);
      expect(qa(el, '.time')).to.have.length(6);
      expect(requests.map((r) => r.split('?')[0])).to.deep.equal(['GET Slot', 'GET Schedule', 'GET Slot']);
      expect(requests[2]).to.contain(`schedule=Schedule/${s.scheduleId}`);
    });

    it('5,000 slots: pages through them all and shows every day', async function () {
      this.timeout(180_000);
      const { client, requests } = await server.fresh();
      const days = Array.from({ length: 7 }, (_, i) => ({
        day: new Date(Date.parse(`${WEEK}T12:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10),
        times: Array.from({ length: 715 }, (_, k) => `${String(Math.floor(k / 60) + 6).padStart(2, '0')}:${String(k % 60).padStart(2, '0')}`).slice(0, i < 6 ? 715 : 710),
      }));
      const opts: SeedOptions = { zone: NY, days, minutes: 1 };
      const s = await seed(client, opts);
      expect(s.slots).to.have.length(5000);
      requests.length = 0;
      const el = await mount(client, { practitionerId: s.practitionerId });
      await loaded(el, 60_000);
      const counts = qa(el, '[role="tab"]').map((t) => Number(/(\d+) times/.exec(dayName(t))![1]));
      expect(counts.reduce((a, b) => a + b, 0)).to.equal(5000);
      expect(requests.length).to.be.greaterThan(1); // followed link[next]
      expect(qa(el, '.time')).to.have.length(715);
    });

    it('speaks Spanish', async () => {
      const { client } = await server.fresh();
      const s = await seed(client, { zone: BERLIN, days: DAYS3(['10:00']) });
      document.documentElement.lang = 'es';
      const el = await mount(client, { practitionerId: s.practitionerId, days: 3 });
      await loaded(el);
      await until(() => text(q(el, '.zone')).startsWith('Los horarios'));
      expect(qa(el, '.time')[0]!.getAttribute('aria-label')).to.equal('lunes 1 de febrero, de 10:00 a 10:30');
      expect(dayName(q(el, '[role="tab"]')!)).to.equal('lunes 1 de febrero, 1 horario');
      expect(text(q(el, '.part h3'))).to.equal('Mañana');
      expect(text(q(el, '.zone'))).to.contain('Berlin');
      await expect(el).to.be.accessible();
    });
  });
}
