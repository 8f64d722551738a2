// Its own page, so the form's on-demand code is not loaded yet: when it cannot be fetched
// (offline, a deploy replaced the chunk), Save is an error with Try again, never lost input.
import { expect, fixture, html } from '@open-wc/testing';
import { FhirClient } from '@ehr-kit/fhir-client';
import { createMockFhir } from '@ehr-kit/mock-fhir';
import '../../packages/patient-form/src/define.js';
import type { EhrPatientForm } from '../../packages/patient-form/src/patient-form.js';
import { importers } from '../../packages/patient-form/src/lazy.js';
import { click, field, root, text, type, until } from './helpers.js';

describe('<ehr-patient-form> when its on-demand code fails to load', function () {
  this.timeout(30_000);
  const original = { ...importers };
  afterEach(() => Object.assign(importers, original));

  it('Save shows an error with Try again, keeps the input, sends nothing; Try again then works', async () => {
    let attempts = 0;
    importers.flow = () => (attempts++, Promise.reject(new TypeError('Failed to fetch dynamically imported module')));
    const mock = createMockFhir({ baseUrl: 'http://mock.test/fhir', seed: 'empty' });
    const sent: string[] = [];
    const client = new FhirClient({ baseUrl: 'http://mock.test/fhir', fetch: (input, init) => (sent.push(new Request(input, init).method), mock.fetch(input, init)) });
    const el = await fixture<EhrPatientForm>(html`<ehr-patient-form .client=${client}></ehr-patient-form>`);
    const errors: { operation: string }[] = [];
    el.addEventListener('ehr-error', (e) => errors.push(e.detail as { operation: string }));
    await type(el, 'First name', 'Ana');
    await click(el, 'Save');
    await until(() => !!root(el).querySelector('[part=error]'), 'error shown');
    // A ChunkLoadError (core's chunk()): "Part of this page could not be loaded", no longer the generic offline words.
    expect(text(el)).to.include('could not be loaded').and.include('Nothing you entered has been lost');
    expect(field(el, 'First name').value).to.equal('Ana');
    expect(errors.map((e) => e.operation)).to.deep.equal(['load ehr-patient-form code']);
    expect(sent).to.deep.equal([]);
    expect(attempts, 'focus prefetched, Save asked again').to.be.at.least(2);
    await expect(el).to.be.accessible();

    Object.assign(importers, original);
    await click(el, 'Try again');
    await until(() => !!root(el).querySelector('.error-summary'), 'the rules ran');
    expect(root(el).querySelector('[part=error]'), 'the load error is gone').to.equal(null);
    expect(root(el).querySelector('.error-summary')!.textContent).to.include('Last name');
    expect(field(el, 'First name').value).to.equal('Ana');
    expect(sent).to.deep.equal([]);
  });
});
