// The picker's lazy chunks (the view; booking; the searches beyond the first). The element's eager
// code is a shell: the skeleton first, the search sent at once, in parallel with the view's code,
// and the times when both are in. A chunk that fails to load is an error the person can retry —
// with nothing sent twice. Each test swaps in fresh chunk loaders (core's chunk()), so what an
// earlier test loaded does not matter.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { Appointment, Patient } from '@medplum/fhirtypes';
import { chunk } from '@ehr-kit/core';
import { createMockFhir } from '@ehr-kit/mock-fhir';
import '@ehr-kit/slot-picker/define';
import type { EhrSlotPicker } from '@ehr-kit/slot-picker';
import { chunks } from '../../packages/slot-picker/src/lazy.js';
import { countingClient, seed, until } from './helpers.js';

const NY = 'America/New_York';
const q = (el: Element, s: string) => el.shadowRoot!.querySelector<HTMLElement>(s);
const qa = (el: Element, s: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(s)];
const text = (e: Element | null | undefined) => (e?.textContent ?? '').replace(/\s+/g, ' ').trim();
const offline = () => Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
const importView = () => import('../../packages/slot-picker/src/view.js');

function fresh() {
  const base = `https://mock-${crypto.randomUUID().slice(0, 8)}.test/fhir`;
  return countingClient(base, createMockFhir({ baseUrl: base, seed: 'empty' }).fetch);
}

describe('<ehr-slot-picker> lazy chunks', function () {
  this.timeout(30_000);
  const original = { ...chunks };
  afterEach(() => Object.assign(chunks, original));

  it('skeleton first (axe-clean), the search sent before the view is in, then the view with no extra request', async () => {
    const { client, requests } = fresh();
    const s = await seed(client, { zone: NY, days: [{ day: '2027-02-01', times: ['09:00', '09:30'] }] });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    chunks.view = chunk(() => gate.then(importView));
    requests.length = 0;
    const el = await fixture<EhrSlotPicker>(html`<ehr-slot-picker .client=${client} practitioner-id=${s.practitionerId} start="2027-02-01" days="3"></ehr-slot-picker>`);
    expect(q(el, '[part="loading"][role="status"]'), 'the skeleton').to.exist;
    expect(q(el, '.base')!.getAttribute('aria-busy')).to.equal('true');
    expect(q(el, '[part="loading"] .visually-hidden')!.textContent).to.equal('Looking for free times…');
    await until(() => requests.length === 1); // the search went out while the view's code was still on its way
    expect(requests[0]).to.match(/^GET Slot\?schedule\.actor=Practitioner\//);
    await new Promise((r) => setTimeout(r, 100));
    expect(qa(el, '.time'), 'no times before the view is in').to.have.length(0);
    expect(q(el, '[part="loading"]')).to.exist;
    await expect(el).to.be.accessible();
    release();
    await until(() => qa(el, '.time').length === 2);
    expect(q(el, '.base')!.getAttribute('aria-busy')).to.equal('false');
    expect(requests, 'first content needs the one search, as before').to.have.length(1);
    expect(getComputedStyle(q(el, '.base')!).backgroundColor, "the view's stylesheet is adopted").to.equal('rgb(255, 255, 255)');
    expect(el.shadowRoot!.querySelectorAll('[style], style').length, 'no inline styles (strict CSP)').to.equal(0);
  });

  it('a view that fails to load: an error with Try again (axe-clean), nothing written; Try again shows the times', async () => {
    const { client, requests } = fresh();
    const s = await seed(client, { zone: NY, days: [{ day: '2027-02-01', times: ['09:00', '09:30'] }] });
    chunks.view = chunk(offline);
    const errors: Array<{ operation: string }> = [];
    requests.length = 0;
    const el = await fixture<EhrSlotPicker>(html`<ehr-slot-picker .client=${client} practitioner-id=${s.practitionerId} start="2027-02-01" days="3" book @ehr-error=${(e: CustomEvent<{ operation: string }>) => errors.push(e.detail)}></ehr-slot-picker>`);
    await until(() => q(el, '.message.error'));
    expect(text(q(el, '.message.error'))).to.contain('Part of this calendar could not be loaded');
    expect(text(q(el, '.message.error button'))).to.equal('Try again');
    expect(errors.map((e) => e.operation)).to.deep.equal(['search Slot']);
    await expect(el).to.be.accessible();
    await until(() => requests.length === 1); // the search that went out in parallel; nothing else
    chunks.view = chunk(importView);
    q(el, '.message.error button')!.click();
    await until(() => qa(el, '.time').length === 2);
    expect(requests.every((r) => r.startsWith('GET Slot?')), 'only searches, nothing written').to.equal(true);
    expect(requests).to.have.length(2); // one search per attempt
  });

  it('booking code that fails to load: an error with Try again, nothing written, then booked once', async () => {
    const { client, requests } = fresh();
    const s = await seed(client, { zone: NY, days: [{ day: '2027-02-01', times: ['09:00', '09:30'] }] });
    const patient = await client.create<Patient>({ resourceType: 'Patient', name: [{ family: 'Ng' }] });
    chunks.book = chunk(offline);
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

    chunks.book = original.book;
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
    chunks.search = chunk(offline);
    const el = await fixture<EhrSlotPicker>(html`<ehr-slot-picker .client=${client} practitioner-id=${s.practitionerId} start="2027-02-01"></ehr-slot-picker>`);
    await until(() => q(el, '.message.error'));
    expect(text(q(el, '.message.error'))).to.contain('Part of this calendar could not be loaded');
    await expect(el).to.be.accessible();
    chunks.search = original.search;
    q(el, '.message.error button')!.click();
    await until(() => text(q(el, '.message')).includes('The next free time is on Wednesday 3 March.'));
  });

  it('the first view does not wait for the booking and search chunks', async () => {
    const { client, requests } = fresh();
    const s = await seed(client, { zone: NY, days: [{ day: '2027-02-01', times: ['09:00'] }] });
    let asked = 0;
    const never = () => (asked++, new Promise<never>(() => {})); // never arrive
    chunks.book = chunk(never);
    chunks.search = chunk(never);
    requests.length = 0;
    const el = await fixture<EhrSlotPicker>(html`<ehr-slot-picker .client=${client} practitioner-id=${s.practitionerId} start="2027-02-01" days="3" book></ehr-slot-picker>`);
    await until(() => qa(el, '.time').length === 1);
    expect(requests).to.have.length(1);
    await until(() => asked >= 2); // prefetched once the first view is up
  });
});
