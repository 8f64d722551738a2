// <ehr-patient-form> against the independent reference server (Medplum FhirRouter + MemoryRepository
// over HTTP, test/support/10-reference-fhir.server.node.ts): each test gets its own empty store.
import { expect, fixture, html } from '@open-wc/testing';
import type { Patient } from '@medplum/fhirtypes';
import { FhirClient } from '@ehr-kit/fhir-client';
import '../../packages/patient-form/src/define.js';
import type { EhrPatientForm } from '../../packages/patient-form/src/patient-form.js';
import { INTAKE_KEY_SYSTEM, US_CORE_PATIENT } from '../../packages/patient-form/src/model.js';
import { referenceFhirBase } from '../support/reference-fhir.js';
import { validateFhir } from '../support/validate.js';
import { click, field, fillMinimum, next, ready, root, text, type, until } from './helpers.js';

async function expectValid(p: Patient) {
  await validateFhir(p);
  await validateFhir(p, US_CORE_PATIENT);
}

describe('<ehr-patient-form> with the reference server', function () {
  this.timeout(30_000);
  let base: string;
  let server: FhirClient;
  /** When set, the next POST reaches the server but its answer is lost, like a dropped connection. */
  let dropNextPost: boolean;
  let client: FhirClient;

  beforeEach(() => {
    base = referenceFhirBase();
    server = new FhirClient({ baseUrl: base });
    dropNextPost = false;
    client = new FhirClient({
      baseUrl: base,
      retry: { attempts: 1 },
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        if (dropNextPost && new Request(input, init).method === 'POST') {
          dropNextPost = false;
          throw new TypeError('Failed to fetch');
        }
        return res;
      },
    });
  });

  it('creates a Patient that validates against R4 and US Core', async () => {
    const el = await fixture<EhrPatientForm>(html`<ehr-patient-form .client=${client}></ehr-patient-form>`);
    await ready(el);
    await fillMinimum(el, { given: 'Mateo', family: 'Quispe' });
    await type(el, 'Phone', '(415) 555-0142');
    await type(el, 'Email', 'mateo@example.org');
    const saved = next<{ patient: Patient; created: boolean }>(el, 'ehr-patient-saved');
    await click(el, 'Save');
    const { detail } = await saved;
    expect(detail.created).to.equal(true);
    const stored = await server.read('Patient', detail.patient.id!);
    expect(stored.telecom).to.deep.include({ system: 'phone', value: '+14155550142', use: 'mobile' });
    await expectValid(stored);
  });

  it('warns of a likely duplicate found by the server’s own search', async () => {
    await server.create<Patient>({
      resourceType: 'Patient', identifier: [{ system: 'urn:test', value: '1' }],
      name: [{ family: 'Quispe', given: ['Rosa'] }], gender: 'female', birthDate: '1984-03-15',
    });
    // "Quispe-Mamani" contains "Quispe" (the reference's string search) but is not the same family.
    await server.create<Patient>({
      resourceType: 'Patient', name: [{ family: 'Quispe-Mamani', given: ['Luz'] }], gender: 'female', birthDate: '1984-03-15',
    });
    const el = await fixture<EhrPatientForm>(html`<ehr-patient-form .client=${client}></ehr-patient-form>`);
    await ready(el);
    await fillMinimum(el, { given: 'Mateo', family: 'Quispe', birthDate: '1984-03-15' });
    await click(el, 'Save');
    await until(() => !!root(el).querySelector('[part=duplicate]'), 'duplicate notice');
    expect(text(el)).not.to.include('Rosa');
    const saved = next(el, 'ehr-patient-saved');
    await click(el, 'Save as a new patient');
    await saved;
    expect(await server.searchResources('Patient', { family: 'Quispe' })).to.have.length(3);
  });

  it('a dropped connection during create, then Try again → exactly one Patient', async () => {
    const el = await fixture<EhrPatientForm>(html`<ehr-patient-form .client=${client}></ehr-patient-form>`);
    await ready(el);
    await fillMinimum(el, { given: 'Yuki', family: 'Sato' });
    dropNextPost = true;
    await click(el, 'Save');
    await until(() => !!root(el).querySelector('[part=error]'), 'error shown');
    expect(field(el, 'Last name').value).to.equal('Sato');
    expect(await server.searchResources('Patient', { family: 'Sato' })).to.have.length(1);
    const saved = next<{ patient: Patient }>(el, 'ehr-patient-saved');
    await click(el, 'Try again');
    const { detail } = await saved;
    const all = await server.searchResources('Patient', { family: 'Sato' });
    expect(all).to.have.length(1);
    expect(all[0].id).to.equal(detail.patient.id);
    const key = all[0].identifier!.find((i) => i.system === INTAKE_KEY_SYSTEM)!.value;
    expect(await server.searchResources('Patient', { identifier: `${INTAKE_KEY_SYSTEM}|${key}` })).to.have.length(1);
    await expectValid(all[0]);
  });

  it('edits with If-Match; a 412 is resolved field by field, and nothing is lost', async () => {
    const original = await server.create<Patient>({
      resourceType: 'Patient',
      meta: { profile: [US_CORE_PATIENT] },
      identifier: [{ system: 'http://hospital.example.org/mrn', value: 'R-1' }],
      extension: [{ url: 'http://example.org/fav-color', valueString: 'teal' }],
      name: [{ use: 'official', family: 'Haddad', given: ['Layla'] }],
      gender: 'female',
      birthDate: '1990-10-10',
      maritalStatus: { text: 'Single' },
    });
    const el = await fixture<EhrPatientForm>(html`<ehr-patient-form patient-id=${original.id!} .client=${client}></ehr-patient-form>`);
    await ready(el);
    expect(field(el, 'Last name').value).to.equal('Haddad');
    // Someone else saves a new last name and phone first.
    await server.update({ ...original, name: [{ use: 'official', family: 'Haddad-Khoury', given: ['Layla'] }], telecom: [{ system: 'phone', value: '+13125550177' }] });
    await type(el, 'Last name', 'Haddad-Saleh');
    await type(el, 'Email', 'layla@example.org');
    await click(el, 'Save changes');
    await until(() => !!root(el).querySelector('[part=conflict]'), 'conflict panel');
    const family = root(el).querySelector('[data-field=family]')!;
    expect(family.textContent).to.include('Haddad-Saleh').and.include('Haddad-Khoury');
    await expect(el).to.be.accessible();
    const saved = next<{ patient: Patient }>(el, 'ehr-patient-saved');
    await click(el, 'Save with these choices');
    await saved;
    const stored = await server.read('Patient', original.id!);
    expect(stored.name![0].family).to.equal('Haddad-Saleh');
    expect(stored.telecom).to.deep.include({ system: 'phone', value: '+13125550177' });
    expect(stored.telecom).to.deep.include({ system: 'email', value: 'layla@example.org' });
    expect(stored.extension).to.deep.equal(original.extension);
    expect(stored.maritalStatus).to.deep.equal(original.maritalStatus);
    expect(stored.meta?.versionId).not.to.equal(original.meta?.versionId);
    await expectValid(stored);
  });
});
