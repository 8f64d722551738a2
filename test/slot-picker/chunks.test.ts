// The picker's lazy chunks (booking; the searches beyond the first): first paint does not wait for
// them, and a chunk that fails to load is an error the person can retry — with nothing sent twice.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { Appointment, Patient } from '@medplum/fhirtypes';
import { createMockFhir } from '@ehr-kit/mock-fhir';
import '@ehr-kit/slot-picker/define';
import type { EhrSlotPicker } from '@ehr-kit/slot-picker';
import { importers } from '../../packages/slot-picker/src/lazy.js';
import { countingClient, seed, until } from './helpers.js';

const NY = 'America/New_York';
const q = (el: Element, s: string) => el.shadowRoot!.querySelector<HTMLElement>(s);
const qa = (el: Element, s: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(s)];
const text = (e: Element | null | undefined) => (e?.textContent ?? '').replace(/\s+/g, ' ').trim();
const offline = () => Promise.reject(new TypeError('Failed to fetch dynamically imported module'));

function fresh() {
  const base = `https://mock-${crypto.randomUUID().slice(0, 8)}.test/fhir`;
  return countingClient(base, createMockFhir({ baseUrl: base, seed: 'empty' }).fetch);
}

describe('<ehr-slot-picker> lazy chunks', function () {
  this.timeout(30_000);
  const original = { ...importers };
  afterEach(() => Object.assign(importers, original));

  it('booking code that fails to load: an error with Try again, nothing written, then booked once', async () => {
    const { client, requests } = fresh();
    const s = await seed(client, { zone: NY, days: [{ day: '2027-02-01', times: ['09:00', '09:30'] }] });
    const patient = await client.create<Patient>({ resourceType: 'Patient', name: [{ family: 'Ng' }] });
    importers.book = offline;
    const el = await fixture<EhrSlotPicker>(html`<ehr-slot-picker .client=${client} practitioner-id=${s.practitionerId} patient-id=${patient.id!} start="2027-02-01" days="3" book></ehr-slot-picker>`);
    await until(() => qa(el, '.time').length === 2);
    qa(el, '.time')[1]!.click();
    await el.updateComplete;
    requests.length = 0;
    q(el, '.confirm .primary')!.click();
    await until(() => q(el, '.confirm .message.error'));
    expect(text(q(el, '.confirm .message'))).to.contain('Part of this calendar could not be loaded');
    expect(text(q(el, '.confirm .primary'))).to.equal('Try again');
    expect(requests, 'nothing reached the server').to.deep.equal([]);
    await expect(el).to.be.accessible();

    importers.book = original.book;
    const booked = oneEvent(el, 'ehr-appointment-booked') as Promise<CustomEvent<{ appointment: Appointment }>>;
    q(el, '.confirm .primary')!.click();
    const { detail } = await booked;
    expect(requests).to.deep.equal(['POST (root)']);
    expect(detail.appointment.status).to.equal('booked');
    expect(await client.searchResources('Appointment', [['slot', `Slot/${s.slots[1]!.id}`]])).to.have.length(1);
  });

  it('search code that fails to load (an empty week needs "next available"): an error with Try again', async () => {
    const { client } = fresh();
    const s = await seed(client, { zone: NY, days: [{ day: '2027-03-03', times: ['10:00'] }] });
    importers.search = offline;
    const el = await fixture<EhrSlotPicker>(html`<ehr-slot-picker .client=${client} practitioner-id=${s.practitionerId} start="2027-02-01"></ehr-slot-picker>`);
    await until(() => q(el, '.message.error'));
    expect(text(q(el, '.message.error'))).to.contain('Part of this calendar could not be loaded');
    await expect(el).to.be.accessible();
    importers.search = original.search;
    q(el, '.message.error button')!.click();
    await until(() => text(q(el, '.message')).includes('The next free time is on Wednesday 3 March.'));
  });

  it('the first view does not wait for the lazy chunks', async () => {
    const { client, requests } = fresh();
    const s = await seed(client, { zone: NY, days: [{ day: '2027-02-01', times: ['09:00'] }] });
    let asked = 0;
    importers.book = importers.search = () => (asked++, new Promise<never>(() => {})); // never arrive
    requests.length = 0;
    const el = await fixture<EhrSlotPicker>(html`<ehr-slot-picker .client=${client} practitioner-id=${s.practitionerId} start="2027-02-01" days="3" book></ehr-slot-picker>`);
    await until(() => qa(el, '.time').length === 1);
    expect(requests).to.have.length(1);
    await until(() => asked >= 2); // prefetched once the first view is up
  });
});
