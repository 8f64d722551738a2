// <ehr-patient-form> the way a page uses it: inside <ehr-provider fhir-base-url>, on real fetch,
// with the mock FHIR server answering through its MSW service worker (as in Storybook and the demo).
import { expect, fixture, html } from '@open-wc/testing';
import type { Patient } from '@medplum/fhirtypes';
import { startMockFhirWorker } from '@ehr-kit/mock-fhir/browser';
import '@ehr-kit/core/define';
import '../../packages/patient-form/src/define.js';
import type { EhrPatientForm } from '../../packages/patient-form/src/patient-form.js';
import { INTAKE_KEY_SYSTEM, US_CORE_PATIENT } from '../../packages/patient-form/src/model.js';
import { validateFhir } from '../support/validate.js';
import { click, field, fillMinimum, next, ready, type } from './helpers.js';

describe('<ehr-patient-form> in a provider, on the MSW mock worker', function () {
  this.timeout(40_000);
  const baseUrl = new URL('/worker-fhir', location.href).href;
  let worker: Awaited<ReturnType<typeof startMockFhirWorker>>;

  before(async () => {
    worker = await startMockFhirWorker({ baseUrl, seed: 'empty', signalingUrl: false });
  });
  after(() => worker.stop());

  it('creates, then edits the same patient, over real fetch', async () => {
    const wrapper = await fixture<HTMLElement>(html`<ehr-provider fhir-base-url=${baseUrl} auth="none"><ehr-patient-form></ehr-patient-form></ehr-provider>`);
    const el = wrapper.querySelector('ehr-patient-form') as EhrPatientForm;
    await ready(el);
    await fillMinimum(el, { given: 'Søren', family: 'Ødegård' });
    const created = next<{ patient: Patient; created: boolean }>(el, 'ehr-patient-saved');
    await click(el, 'Save');
    const first = (await created).detail;
    expect(first.created).to.equal(true);
    expect(first.patient.identifier?.[0].system).to.equal(INTAKE_KEY_SYSTEM);
    // The form now edits what it created: the next save is an update of the same Patient.
    await type(el, 'Email', 'soren@example.org');
    const updated = next<{ patient: Patient; created: boolean }>(el, 'ehr-patient-saved');
    await click(el, 'Save changes');
    const second = (await updated).detail;
    expect(second.created).to.equal(false);
    expect(second.patient.id).to.equal(first.patient.id);
    expect(worker.mock.all('Patient')).to.have.length(1);
    const stored = worker.mock.get<Patient>('Patient', first.patient.id!)!;
    expect(stored.meta?.versionId).to.equal('2');
    expect(stored.name?.[0].family).to.equal('Ødegård');
    expect(field(el, 'Email').value).to.equal('soren@example.org');
    await validateFhir(stored);
    await validateFhir(stored, US_CORE_PATIENT);
  });
});
