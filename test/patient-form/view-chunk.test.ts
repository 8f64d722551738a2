// Its own page, with the form's view (its lazily loaded chunk) failing or held back from before the
// first element is made: what a person sees while it is on its way (the skeleton; an edit's Patient is
// fetched alongside, not after), and when it cannot be fetched (an error in plain words with Try
// again, nothing written). Then, with the view in, a form's first content needs exactly the
// requests it always needed: none to create, one read to edit.
import { expect, fixture, html } from '@open-wc/testing';
import type { Patient } from '@medplum/fhirtypes';
import { FhirClient } from '@ehr-kit/fhir-client';
import { createMockFhir } from '@ehr-kit/mock-fhir';
import type { EhrPatientForm } from '../../packages/patient-form/src/patient-form.js';
import { importers } from '../../packages/patient-form/src/lazy.js';
import { click, field, ready, root, text, until } from './helpers.js';

const BASE = 'http://mock.test/fhir';
const patient: Patient = { resourceType: 'Patient', id: 'pat-1', name: [{ family: 'Okafor', given: ['Ngozi'] }], gender: 'female', birthDate: '1975-07-04' };
const offline = () => Promise.reject(new TypeError('Failed to fetch dynamically imported module'));

describe('<ehr-patient-form> while its view is loading, or cannot be loaded', function () {
  this.timeout(30_000);
  const original = { ...importers };
  let attempts = 0;
  let requests: string[];
  let client: FhirClient;
  /** The operation of every ehr-error (they bubble and are composed). */
  let errors: string[];
  const onError = (e: Event) => errors.push((e as CustomEvent<{ operation: string }>).detail.operation);

  before(async () => {
    importers.view = () => (attempts++, offline());
    // Registered after the swap: the first element's early load of the view fails too (silently).
    await import('../../packages/patient-form/src/define.js');
  });
  after(() => Object.assign(importers, original));

  beforeEach(() => {
    errors = [];
    document.addEventListener('ehr-error', onError);
    const mock = createMockFhir({ baseUrl: BASE, seed: () => [structuredClone(patient)] });
    requests = [];
    const spy: typeof fetch = (input, init) => {
      const r = new Request(input, init);
      requests.push(`${r.method} ${new URL(r.url).pathname}`);
      return mock.fetch(input, init);
    };
    client = new FhirClient({ baseUrl: BASE, fetch: spy, retry: { attempts: 1 } });
  });
  afterEach(() => document.removeEventListener('ehr-error', onError));

  const errorShown = (el: EhrPatientForm) => until(() => !!root(el).querySelector('[part=error]'), 'error shown');

  it('a new form whose view cannot be fetched: an error with Try again, nothing sent; trying again tries the fetch again', async () => {
    // Since the view loads with the first element, not with the define module: nothing before it.
    expect(attempts, 'registering the tag loads nothing').to.equal(0);
    const el = await fixture<EhrPatientForm>(html`<ehr-patient-form .client=${client}></ehr-patient-form>`);
    await errorShown(el);
    const tried = attempts;
    expect(tried, 'the element tried to fetch its view').to.be.at.least(1);
    expect(text(el)).to.include('could not be loaded');
    expect(root(el).querySelector('form')).to.equal(null);
    expect(requests).to.deep.equal([]);
    // The shell's own styles, with none of the view's: the error boxed, Try again a 44px target.
    expect(getComputedStyle(root(el).querySelector('[part=error]')!).borderTopStyle, 'error boxed').to.equal('solid');
    expect(root(el).querySelector('[part=retry]')!.getBoundingClientRect().height, 'Try again target').to.be.at.least(44);
    await expect(el).to.be.accessible();

    await click(el, 'Try again');
    await errorShown(el);
    expect(attempts, 'Try again fetched it again').to.equal(tried + 1);
    expect(errors).to.deep.equal(['load ehr-patient-form code', 'load ehr-patient-form code']);
    expect(requests).to.deep.equal([]);
  });

  it('an edit: the Patient is read while the view loads; Try again shows the skeleton, then the form once the view is in', async () => {
    const el = await fixture<EhrPatientForm>(html`<ehr-patient-form patient-id="pat-1" .client=${client}></ehr-patient-form>`);
    await errorShown(el);
    expect(text(el)).to.include('could not be loaded');
    expect(requests, 'read in parallel with the view').to.deep.equal(['GET /fhir/Patient/pat-1']);

    // The connection is back, but slow: the view arrives only when released.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    importers.view = () => (attempts++, gate.then(() => original.view()));
    await click(el, 'Try again');
    expect(root(el).querySelector('[part=loading]'), 'skeleton while the view loads').to.exist;
    expect(root(el).querySelector('[part=error]')).to.equal(null);
    await until(() => requests.length === 2, 'the Patient read again, alongside the view');
    await expect(el).to.be.accessible();
    expect(root(el).querySelector('[part=loading]'), 'still the skeleton: the view is not in').to.exist;
    const skeleton = el.getBoundingClientRect().height;

    release();
    await ready(el);
    expect(field(el, 'Last name').value).to.equal('Okafor');
    // One skeleton block per field, in the form's columns: the page below moves little when the form comes.
    expect(skeleton / el.getBoundingClientRect().height, `skeleton ${skeleton}px`).to.be.within(0.6, 1.1);
    expect(requests).to.deep.equal(['GET /fhir/Patient/pat-1', 'GET /fhir/Patient/pat-1']);
    expect(errors, 'only the failed load was reported').to.deep.equal(['load ehr-patient-form code']);
  });

  it('with the view in, a new form appears with no request, and an edit needs exactly one read', async () => {
    const create = await fixture<EhrPatientForm>(html`<ehr-patient-form .client=${client}></ehr-patient-form>`);
    expect(field(create, 'First name'), 'form shown once updated').to.exist;
    expect(requests).to.deep.equal([]);
    // The view's own stylesheet is adopted with it (adopted sheets pass a strict CSP; no inline styles).
    expect(getComputedStyle(root(create).querySelector('fieldset.section')!).borderTopLeftRadius, "the view's stylesheet").to.equal('8px');
    expect(getComputedStyle(root(create).querySelector('.field')!).display, 'core fieldStyles').to.equal('grid');
    // Core's tokens and button styles come with the view (the shell carries none of them).
    expect(getComputedStyle(root(create).querySelector('[part=submit]')!).backgroundColor, "core's .btn-primary").to.equal('rgb(11, 92, 173)');
    expect(root(create).querySelectorAll('[style], style')).to.have.length(0);

    const edit = await fixture<EhrPatientForm>(html`<ehr-patient-form patient-id="pat-1" .client=${client}></ehr-patient-form>`);
    await ready(edit);
    expect(field(edit, 'Last name').value).to.equal('Okafor');
    expect(requests).to.deep.equal(['GET /fhir/Patient/pat-1']);
  });
});
