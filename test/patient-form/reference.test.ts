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

  /** A Patient on the server to edit. */
  const seed = () =>
    server.create<Patient>({
      resourceType: 'Patient',
      meta: { profile: [US_CORE_PATIENT] },
      identifier: [{ system: 'http://hospital.example.org/mrn', value: 'R-2' }],
      name: [{ use: 'official', family: 'Kowalski', given: ['Jan'] }],
      gender: 'male',
      birthDate: '1958-02-01',
    });

  it('401 mid-edit (session expired at a token-checking gateway): input kept, saved after signing in again', async () => {
    const original = await seed();
    // A gateway in front of the reference server that only lets the current token through.
    let validToken = 'token-1';
    let heldToken = 'token-1';
    const gated = new FhirClient({
      baseUrl: base,
      retry: { attempts: 1 },
      tokenSource: async () => heldToken,
      fetch: async (input, init) => {
        const auth = new Request(input, init).headers.get('Authorization');
        if (auth !== `Bearer ${validToken}`) {
          return new Response(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login', diagnostics: 'token expired' }] }), {
            status: 401,
            headers: { 'content-type': 'application/fhir+json' },
          });
        }
        return fetch(input, init);
      },
    });
    const el = await fixture<EhrPatientForm>(html`<ehr-patient-form patient-id=${original.id!} .client=${gated}></ehr-patient-form>`);
    await ready(el);
    await type(el, 'Email', 'jan@example.org');
    await type(el, 'First name', 'Janek');
    validToken = 'token-2'; // the session expires while the person types
    await click(el, 'Save changes');
    await until(() => !!root(el).querySelector('[part=error]'), 'error shown');
    expect(text(el)).to.include('sign in again');
    expect(field(el, 'Email').value).to.equal('jan@example.org');
    expect(field(el, 'First name').value).to.equal('Janek');
    expect((await server.read('Patient', original.id!)).meta?.versionId).to.equal(original.meta?.versionId);
    heldToken = 'token-2'; // signed in again
    const saved = next(el, 'ehr-patient-saved');
    await click(el, 'Try again');
    await saved;
    const stored = await server.read('Patient', original.id!);
    expect(stored.name![0].given).to.deep.equal(['Janek']);
    expect(stored.telecom).to.deep.equal([{ system: 'email', value: 'jan@example.org' }]);
    await expectValid(stored);
  });

  it('the server’s own validation issues land on the field their expression names', async () => {
    const original = await seed();
    // Stand-in for a server-side rule the form cannot know: the body is altered on the way, so
    // the reference server itself answers with its OperationOutcome and FHIRPath expressions.
    const tampering = new FhirClient({
      baseUrl: base,
      retry: { attempts: 1 },
      fetch: async (input, init) => {
        if (init?.method === 'PUT' && typeof init.body === 'string') {
          const body = JSON.parse(init.body) as Patient;
          (body as { birthDate: unknown }).birthDate = 'not a date';
          return fetch(input, { ...init, body: JSON.stringify(body) });
        }
        return fetch(input, init);
      },
    });
    const el = await fixture<EhrPatientForm>(html`<ehr-patient-form patient-id=${original.id!} .client=${tampering}></ehr-patient-form>`);
    await ready(el);
    await type(el, 'Last name', 'Kowalska');
    await click(el, 'Save changes');
    await until(() => field(el, 'Date of birth').getAttribute('aria-invalid') === 'true', 'birth date marked by the server');
    expect(root(el).querySelector('.error-summary')!.textContent).to.include('Date of birth');
    expect(field(el, 'Last name').value).to.equal('Kowalska');
    await expect(el).to.be.accessible();
  });
});
