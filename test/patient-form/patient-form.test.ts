// <ehr-patient-form> against the in-memory mock FHIR server (its fetch, in the page).
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { Patient } from '@medplum/fhirtypes';
import { FhirClient } from '@ehr-kit/fhir-client';
import { setEhrLocale } from '@ehr-kit/core';
import '@ehr-kit/core/define';
import '../../packages/patient-form/src/define.js';
import type { EhrPatientForm } from '../../packages/patient-form/src/patient-form.js';
import { INTAKE_KEY_SYSTEM, US_CORE_PATIENT } from '../../packages/patient-form/src/model.js';
import { createMockFhir, type MockFhir } from '@ehr-kit/mock-fhir';
import { validateFhir } from '../support/validate.js';
import { button, choose, click, field, fillMinimum, next, paste, ready, root, text, type, typeDate, until, untilShown } from './helpers.js';

const BASE = 'http://mock.test/fhir';

/** A patient with data the form does not show, which must survive every save. */
const seeded: Patient = {
  resourceType: 'Patient',
  id: 'pat-1',
  meta: { profile: [US_CORE_PATIENT] },
  identifier: [{ system: 'http://hospital.example.org/mrn', value: 'MRN-77' }],
  extension: [{ url: 'http://example.org/fav-color', valueString: 'teal' }],
  name: [{ use: 'official', family: 'Okafor', given: ['Ngozi'] }, { use: 'old', family: 'Eze' }],
  gender: 'female',
  birthDate: '1975-07-04',
  telecom: [{ system: 'phone', value: '+13125550100', use: 'mobile' }],
  maritalStatus: { text: 'Married' },
};

async function expectValid(p: Patient) {
  await validateFhir(p);
  await validateFhir(p, US_CORE_PATIENT);
}

describe('<ehr-patient-form> with the mock server', function () {
  // Typing key by key is slow on a loaded 2-core machine.
  this.timeout(40_000);
  let mock: MockFhir;
  let client: FhirClient;
  /** Every request the form made, as "METHOD path". */
  let requests: { method: string; url: string; headers: Headers; body?: string }[];

  beforeEach(async () => {
    mock = createMockFhir({ baseUrl: BASE, seed: () => [structuredClone(seeded)] });
    requests = [];
    const spy: typeof fetch = async (input, init) => {
      const req = new Request(input, init);
      requests.push({ method: req.method, url: req.url, headers: req.headers, body: init?.body as string | undefined });
      return mock.fetch(input, init);
    };
    // One attempt: the person decides when to try again (the client would retry idempotent requests itself).
    client = new FhirClient({ baseUrl: BASE, fetch: spy, retry: { attempts: 1 } });
    await setViewport({ width: 1024, height: 900 });
  });

  async function createForm(attrs = html``): Promise<EhrPatientForm> {
    void attrs;
    const el = await fixture<EhrPatientForm>(html`<ehr-patient-form .client=${client}></ehr-patient-form>`);
    await ready(el);
    return el;
  }

  it('creates a US Core Patient from what a person types, with an idempotency key', async () => {
    const el = await createForm();
    await expect(el).to.be.accessible();
    await fillMinimum(el);
    await type(el, 'Phone', '(312) 555-0188');
    await type(el, 'Email', 'ana@example.org');
    await type(el, 'Street address', '1 Main St');
    await type(el, 'City', 'Chicago');
    await type(el, 'Postal code', '60601');
    await choose(el, 'Preferred language', 'Español');
    await type(el, 'Emergency contact name', 'Chidi Okafor');
    await type(el, 'Emergency contact phone', '312 555 0199');
    const saved = next<{ patient: Patient; created: boolean }>(el, 'ehr-patient-saved');
    await click(el, 'Save');
    const { detail } = await saved;
    expect(detail.created).to.equal(true);
    const stored = mock.all<Patient>('Patient').filter((p) => p.id !== 'pat-1');
    expect(stored).to.have.length(1);
    const p = stored[0];
    expect(p.name?.[0]).to.deep.include({ family: 'Okafor', given: ['Ana'] });
    expect(p.birthDate).to.equal('1984-03-15');
    expect(p.telecom).to.deep.include({ system: 'phone', value: '+13125550188', use: 'mobile' });
    expect(p.address?.[0]).to.deep.include({ line: ['1 Main St'], city: 'Chicago', postalCode: '60601', country: 'US' });
    expect(p.communication?.[0].language.coding?.[0]).to.deep.include({ system: 'urn:ietf:bcp:47', code: 'es' });
    expect(p.contact?.[0].relationship?.[0].coding?.[0]).to.deep.include({ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'C' });
    const key = p.identifier?.find((i) => i.system === INTAKE_KEY_SYSTEM)?.value;
    expect(key).to.match(/^[0-9a-f-]{36}$/);
    const post = requests.find((r) => r.method === 'POST')!;
    expect(post.headers.get('If-None-Exist')).to.equal(`identifier=${INTAKE_KEY_SYSTEM}|${key}`);
    await expectValid(detail.patient);
    await until(() => text(el).includes('Saved.'), 'saved message');
    await expect(el).to.be.accessible();
  });

  it('refuses to save with problems: summary takes focus, links lead to fields, nothing is sent', async () => {
    const el = await createForm();
    await type(el, 'Email', 'not-an-email');
    await click(el, 'Save');
    await until(() => !!root(el).querySelector('.error-summary'), 'summary');
    const summary = root(el).querySelector<HTMLElement>('.error-summary')!;
    expect(root(el).activeElement).to.equal(summary);
    expect(summary.textContent).to.include('First name').and.include('Email');
    expect(field(el, 'First name').getAttribute('aria-invalid')).to.equal('true');
    expect(field(el, 'Email').getAttribute('aria-describedby')).to.include('f-email-error');
    await expect(el).to.be.accessible();
    (summary.querySelector('a[href="#f-email"]') as HTMLAnchorElement).click();
    expect(root(el).activeElement).to.equal(field(el, 'Email'));
    expect(requests.filter((r) => r.method !== 'GET')).to.have.length(0);
  });

  it('checks dates as a person expects', async () => {
    const el = await createForm();
    await typeDate(el, 'Date of birth', '2099-01-01');
    field(el, 'Date of birth').blur();
    await el.updateComplete;
    expect(text(el)).to.include('cannot be in the future');
    await typeDate(el, 'Date of birth', '1850-01-01');
    field(el, 'Date of birth').blur();
    await el.updateComplete;
    expect(text(el)).to.include('more than 130 years ago');
  });

  it('warns of a likely duplicate without showing an anonymous user who it is', async () => {
    const el = await createForm();
    await fillMinimum(el, { given: 'Ada', family: 'okafor', birthDate: '1975-07-04' });
    await click(el, 'Save');
    await until(() => !!root(el).querySelector('[part=duplicate]'), 'duplicate notice');
    expect(text(el)).to.include('A record like this may already exist');
    expect(text(el)).not.to.include('Ngozi');
    expect(text(el)).not.to.include('pat-1');
    expect(root(el).activeElement).to.equal(root(el).querySelector('[part=duplicate]'));
    expect(mock.all('Patient')).to.have.length(1);
    await expect(el).to.be.accessible();
    const saved = next(el, 'ehr-patient-saved');
    await click(el, 'Save as a new patient');
    await saved;
    expect(mock.all('Patient')).to.have.length(2);
  });

  it('the duplicate notice stays when Save is pressed with Enter from a text field', async () => {
    const el = await createForm();
    await fillMinimum(el, { given: 'Ada', family: 'Okafor', birthDate: '1975-07-04' });
    await type(el, 'Email', 'ada@example.org');
    await sendKeys({ press: 'Enter' });
    await until(() => !!root(el).querySelector('[part=duplicate]'), 'duplicate notice');
    await new Promise((r) => setTimeout(r, 100));
    expect(root(el).querySelector('[part=duplicate]'), 'still shown after focus moved').to.exist;
    expect(root(el).activeElement).to.equal(root(el).querySelector('[part=duplicate]'));
  });

  it('shows a signed-in clinician who the likely duplicate is', async () => {
    const wrapper = await fixture<HTMLElement>(html`<ehr-provider fhir-base-url=${BASE} .accessToken=${'t0ken'}>
      <ehr-patient-form .client=${client}></ehr-patient-form></ehr-provider>`);
    const el = wrapper.querySelector('ehr-patient-form')!;
    await ready(el);
    await fillMinimum(el, { given: 'Ada', family: 'Okafor', birthDate: '1975-07-04' });
    await click(el, 'Save');
    await until(() => !!root(el).querySelector('[part=duplicate]'), 'duplicate notice');
    expect(text(el)).to.include('Ngozi Okafor');
    await click(el, 'Go back');
    expect(root(el).querySelector('[part=duplicate]')).to.equal(null);
    expect(mock.all('Patient')).to.have.length(1);
  });

  it('when the server does not let this user search (403), creating goes ahead without a warning', async () => {
    const el = await createForm();
    await fillMinimum(el, { family: 'Okafor', birthDate: '1975-07-04' });
    mock.faults.fail('GET Patient', 403);
    const saved = next(el, 'ehr-patient-saved');
    await click(el, 'Save');
    await saved;
    expect(requests.some((r) => r.method === 'GET' && r.url.includes('Patient?'))).to.equal(true);
    expect(root(el).querySelector('[part=duplicate]')).to.equal(null);
    expect(mock.all('Patient')).to.have.length(2);
  });

  it('no-duplicate-check creates without searching', async () => {
    const el = await fixture<EhrPatientForm>(html`<ehr-patient-form no-duplicate-check .client=${client}></ehr-patient-form>`);
    await ready(el);
    await fillMinimum(el, { family: 'Okafor', birthDate: '1975-07-04' });
    const saved = next(el, 'ehr-patient-saved');
    await click(el, 'Save');
    await saved;
    expect(requests.some((r) => r.method === 'GET' && r.url.includes('Patient?'))).to.equal(false);
    expect(mock.all('Patient')).to.have.length(2);
  });

  it('a dropped connection during create keeps the input, and retrying makes exactly one Patient', async () => {
    const el = await createForm();
    await fillMinimum(el, { family: 'Adeyemi' });
    mock.faults.drop('POST Patient', { after: true, times: 1 });
    const errors: unknown[] = [];
    el.addEventListener('ehr-error', (e) => errors.push(e.detail));
    await click(el, 'Save');
    await until(() => !!root(el).querySelector('[part=error]'), 'error shown');
    expect(text(el)).to.include('offline');
    expect(field(el, 'Last name').value).to.equal('Adeyemi');
    expect(errors).to.have.length(1);
    expect((errors[0] as { operation: string }).operation).to.equal('create Patient');
    // The write happened; only the answer was lost.
    expect(mock.all('Patient')).to.have.length(2);
    await expect(el).to.be.accessible();
    const saved = next<{ patient: Patient; created: boolean }>(el, 'ehr-patient-saved');
    await click(el, 'Try again');
    const { detail } = await saved;
    expect(mock.all<Patient>('Patient').filter((p) => p.name?.[0]?.family === 'Adeyemi')).to.have.length(1);
    const posts = requests.filter((r) => r.method === 'POST');
    expect(posts).to.have.length(2);
    expect(posts[0].headers.get('If-None-Exist')).to.equal(posts[1].headers.get('If-None-Exist'));
    expect(detail.created).to.equal(true);
  });

  it('5xx during create keeps everything typed and offers to try again', async () => {
    const el = await createForm();
    await fillMinimum(el);
    await type(el, 'Email', 'ana@example.org');
    mock.faults.fail('POST Patient', 503, { times: 1 });
    await click(el, 'Save');
    await until(() => !!root(el).querySelector('[part=error]'), 'error shown');
    expect(field(el, 'Email').value).to.equal('ana@example.org');
    const saved = next(el, 'ehr-patient-saved');
    await click(el, 'Try again');
    await saved;
  });

  it('edits: loads behind a skeleton, saves with If-Match, keeps every unknown field', async () => {
    mock.faults.latency('GET Patient/pat-1', 300, { times: 1 });
    const el = await fixture<EhrPatientForm>(html`<ehr-patient-form patient-id="pat-1" .client=${client}></ehr-patient-form>`);
    expect(root(el).querySelector('[part=loading]')).to.exist;
    await expect(el).to.be.accessible();
    await ready(el);
    expect(field(el, 'Last name').value).to.equal('Okafor');
    expect(field(el, 'Phone').value).to.equal('+13125550100');
    await type(el, 'Last name', 'Okafor-Eze');
    const saved = next<{ patient: Patient; created: boolean }>(el, 'ehr-patient-saved');
    await click(el, 'Save changes');
    const { detail } = await saved;
    expect(detail.created).to.equal(false);
    const put = requests.find((r) => r.method === 'PUT')!;
    expect(put.headers.get('If-Match')).to.equal('W/"1"');
    const stored = mock.get<Patient>('Patient', 'pat-1')!;
    expect(stored.name).to.deep.equal([{ use: 'official', family: 'Okafor-Eze', given: ['Ngozi'] }, { use: 'old', family: 'Eze' }]);
    expect(stored.extension).to.deep.equal(seeded.extension);
    expect(stored.identifier).to.deep.equal(seeded.identifier);
    expect(stored.maritalStatus).to.deep.equal(seeded.maritalStatus);
    await expectValid(stored);
    // A second save goes on from the new version.
    await type(el, 'Email', 'n@example.org');
    const again = next(el, 'ehr-patient-saved');
    await click(el, 'Save changes');
    await again;
    expect(requests.filter((r) => r.method === 'PUT')[1].headers.get('If-Match')).to.equal('W/"2"');
  });

  describe('a partial birth date on record', () => {
    async function editPartial(birthDate: string): Promise<EhrPatientForm> {
      mock.reset(() => [{ ...structuredClone(seeded), birthDate }]);
      const el = await fixture<EhrPatientForm>(html`<ehr-patient-form patient-id="pat-1" .client=${client}></ehr-patient-form>`);
      await ready(el);
      return el;
    }
    const hint = (el: EhrPatientForm) => root(el).getElementById('f-birthDate-hint');

    it('is shown, said to screen readers, and saved untouched when not changed', async () => {
      const el = await editPartial('1980');
      expect(hint(el)?.textContent).to.include('Only the year is on record: 1980');
      expect(field(el, 'Date of birth').getAttribute('aria-describedby')).to.include('f-birthDate-hint');
      await expect(el).to.be.accessible();
      await type(el, 'Last name', 'Okafor-Eze');
      const saved = next<{ patient: Patient }>(el, 'ehr-patient-saved');
      await click(el, 'Save changes');
      const { detail } = await saved;
      const put = requests.find((r) => r.method === 'PUT')!;
      expect((JSON.parse(put.body!) as Patient).birthDate, 'sent').to.equal('1980');
      expect(detail.patient.birthDate).to.equal('1980');
      await expectValid(detail.patient);
      // Still shown after the save, since it is still what is on record.
      await el.updateComplete;
      expect(hint(el)?.textContent).to.include('1980');
    });

    it('year and month are shown as such', async () => {
      const el = await editPartial('1980-04');
      expect(hint(el)?.textContent).to.include('Only the month and year are on record: April 1980');
    });

    it('a full date typed over it is sent as typed, and a bad one is still refused', async () => {
      const el = await editPartial('1980');
      await typeDate(el, 'Date of birth', '2099-01-01');
      field(el, 'Date of birth').blur();
      await click(el, 'Save changes');
      await until(() => text(el).includes('cannot be in the future'), 'future date refused');
      expect(requests.filter((r) => r.method === 'PUT')).to.have.length(0);
      await typeDate(el, 'Date of birth', '1980-04-12');
      expect(hint(el), 'hint gone once changed').to.equal(null);
      const saved = next<{ patient: Patient }>(el, 'ehr-patient-saved');
      await click(el, 'Save changes');
      const { detail } = await saved;
      const put = requests.find((r) => r.method === 'PUT')!;
      expect((JSON.parse(put.body!) as Patient).birthDate).to.equal('1980-04-12');
      expect(mock.get<Patient>('Patient', 'pat-1')!.birthDate).to.equal('1980-04-12');
      await expectValid(detail.patient);
    });

    it('speaks Spanish', async () => {
      await setEhrLocale('es');
      try {
        const el = await editPartial('1980-04');
        await until(() => !!hint(el)?.textContent?.includes('Solo consta el mes y el año: abril de 1980'), 'Spanish hint');
      } finally {
        await setEhrLocale('en');
      }
    });
  });

  it('412: shows the server’s values beside the user’s, per field, and keeps either', async () => {
    const el = await fixture<EhrPatientForm>(html`<ehr-patient-form patient-id="pat-1" .client=${client}></ehr-patient-form>`);
    await ready(el);
    // Someone else saves first: new phone and a new last name.
    const other = mock.get<Patient>('Patient', 'pat-1')!;
    mock.put({ ...other, name: [{ ...other.name![0], family: 'Okafor-Bello' }, other.name![1]], telecom: [{ system: 'phone', value: '+13125550111', use: 'home' }] });
    await type(el, 'Last name', 'Okafor-Nwosu');
    await type(el, 'Email', 'ngozi@example.org');
    await click(el, 'Save changes');
    await untilShown(el, '[part=conflict]', 'conflict panel', 10_000);
    const panel = root(el).querySelector<HTMLElement>('[part=conflict]')!;
    expect(root(el).activeElement).to.equal(panel);
    const family = panel.querySelector('[data-field=family]')!;
    expect(family.textContent).to.include('Okafor-Nwosu').and.include('Okafor-Bello');
    expect((family.querySelector('input[value=mine]') as HTMLInputElement).checked).to.equal(true);
    expect(panel.querySelector('[data-field=phone]')!.textContent).to.include('+13125550111');
    expect(field(el, 'Last name').value, 'input kept').to.equal('Okafor-Nwosu');
    await expect(el).to.be.accessible();
    // Keep the server's last name this time, by keyboard.
    (family.querySelector('input[value=theirs]') as HTMLInputElement).focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    const saved = next(el, 'ehr-patient-saved');
    await click(el, 'Save with these choices');
    await saved;
    const stored = mock.get<Patient>('Patient', 'pat-1')!;
    expect(stored.name![0].family).to.equal('Okafor-Bello');
    expect(stored.telecom).to.deep.include({ system: 'phone', value: '+13125550111', use: 'home' });
    expect(stored.telecom).to.deep.include({ system: 'email', value: 'ngozi@example.org' });
    expect(stored.meta?.versionId).to.equal('3');
  });

  it('a dropped connection during an edit, then Try again: saved once, no false conflict', async () => {
    const el = await fixture<EhrPatientForm>(html`<ehr-patient-form patient-id="pat-1" .client=${client}></ehr-patient-form>`);
    await ready(el);
    await type(el, 'Last name', 'Okafor-Eze');
    mock.faults.drop('PUT Patient/pat-1', { after: true, times: 1 });
    await click(el, 'Save changes');
    await untilShown(el, '[part=error]', 'error shown');
    expect(mock.get<Patient>('Patient', 'pat-1')!.meta?.versionId, 'the write happened').to.equal('2');
    const errors: unknown[] = [];
    el.addEventListener('ehr-error', (e) => errors.push(e.detail));
    const saved = next<{ patient: Patient; created: boolean }>(el, 'ehr-patient-saved');
    await click(el, 'Try again');
    const { detail } = await saved;
    expect(root(el).querySelector('[part=conflict]')).to.equal(null);
    expect(errors, 'our own lost answer is not reported as a conflict').to.have.length(0);
    expect(detail.created).to.equal(false);
    expect(detail.patient.meta?.versionId).to.equal('2');
    expect(mock.get<Patient>('Patient', 'pat-1')!.meta?.versionId, 'not written twice').to.equal('2');
    expect(text(el)).to.include('Saved.');
  });

  it('401 mid-edit keeps the input and saves after signing in again', async () => {
    const el = await fixture<EhrPatientForm>(html`<ehr-patient-form patient-id="pat-1" .client=${client}></ehr-patient-form>`);
    await ready(el);
    await type(el, 'First name', 'Ngozika');
    mock.faults.fail('PUT Patient/pat-1', 401, { times: 1 });
    await click(el, 'Save changes');
    await until(() => !!root(el).querySelector('[part=error]'), 'error shown');
    expect(text(el)).to.include('sign in again');
    expect(field(el, 'First name').value).to.equal('Ngozika');
    await expect(el).to.be.accessible();
    const saved = next(el, 'ehr-patient-saved');
    await click(el, 'Try again');
    await saved;
    expect(mock.get<Patient>('Patient', 'pat-1')!.name![0].given).to.deep.equal(['Ngozika']);
  });

  it('422: the server’s issues land on the fields their expressions name', async () => {
    const outcome = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'invariant', diagnostics: 'Birth date is before the clinic accepts patients', expression: ['Patient.birthDate'] }],
    };
    const failing = new FhirClient({
      baseUrl: BASE,
      retry: { attempts: 1 },
      fetch: async (input, init) =>
        new Request(input, init).method === 'PUT'
          ? new Response(JSON.stringify(outcome), { status: 422, headers: { 'content-type': 'application/fhir+json' } })
          : mock.fetch(input, init),
    });
    const el = await fixture<EhrPatientForm>(html`<ehr-patient-form patient-id="pat-1" .client=${failing}></ehr-patient-form>`);
    await ready(el);
    await typeDate(el, 'Date of birth', '1901-01-02');
    await click(el, 'Save changes');
    await until(() => field(el, 'Date of birth').getAttribute('aria-invalid') === 'true', 'field marked');
    expect(root(el).getElementById('f-birthDate-error')!.textContent).to.include('before the clinic accepts');
    expect(root(el).querySelector('.error-summary')!.textContent).to.include('Date of birth');
    expect(field(el, 'Date of birth').value).to.equal('1901-01-02');
    await expect(el).to.be.accessible();
    // Editing the field clears the server's complaint.
    await typeDate(el, 'Date of birth', '1975-07-04');
    expect(field(el, 'Date of birth').getAttribute('aria-invalid')).to.equal('false');
  });

  it('load failure shows an error with retry', async () => {
    mock.faults.fail('GET Patient/pat-1', 503, { times: 1 });
    const el = await fixture<EhrPatientForm>(html`<ehr-patient-form patient-id="pat-1" .client=${client}></ehr-patient-form>`);
    await until(() => !!root(el).querySelector('[part=error]'), 'error shown');
    await expect(el).to.be.accessible();
    await click(el, 'Try again');
    await ready(el);
    expect(field(el, 'Last name').value).to.equal('Okafor');
  });

  it('readonly shows the record without a way to change it', async () => {
    const el = await fixture<EhrPatientForm>(html`<ehr-patient-form readonly patient-id="pat-1" .client=${client}></ehr-patient-form>`);
    await ready(el);
    expect(field(el, 'Last name').readOnly).to.equal(true);
    expect(field<HTMLSelectElement>(el, 'Gender').disabled).to.equal(true);
    expect(root(el).querySelector('[part=submit]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('fields and required choose what is shown and what must be filled in', async () => {
    const el = await fixture<EhrPatientForm>(
      html`<ehr-patient-form fields="name gender phone race ethnicity birth-sex" required="name phone" .client=${client}></ehr-patient-form>`,
    );
    await ready(el);
    expect(() => field(el, 'Email')).to.throw();
    expect(() => field(el, 'Date of birth')).to.throw();
    expect(field(el, 'Phone').getAttribute('aria-required')).to.equal('true');
    await expect(el).to.be.accessible();
    await type(el, 'First name', 'Kai');
    await type(el, 'Last name', 'Ng');
    await choose(el, 'Gender', 'Other');
    await click(el, 'Save');
    expect(root(el).querySelector('.error-summary')!.textContent).to.include('Phone');
    await type(el, 'Phone', '+44 20 7946 0018');
    const box = [...root(el).querySelectorAll<HTMLInputElement>('input[name=race]')].find((i) => i.value === '2028-9')!;
    box.focus();
    await sendKeys({ press: 'Space' });
    await choose(el, 'Ethnicity', 'Not Hispanic or Latino');
    await choose(el, 'Sex assigned at birth', 'Male');
    const saved = next<{ patient: Patient }>(el, 'ehr-patient-saved');
    await click(el, 'Save');
    const { detail } = await saved;
    expect(detail.patient.telecom?.[0].value).to.equal('+442079460018');
    expect(detail.patient.birthDate).to.equal(undefined);
    await expectValid(detail.patient);
  });

  it('hostile, long, emoji, RTL and combining text is data, saved byte-for-byte', async () => {
    const el = await createForm();
    const xss = '<img src=x onerror="window.__pwned=1">';
    const long = 'Ñ'.repeat(10_000);
    await paste(el, 'First name', xss);
    await paste(el, 'Last name', long);
    await type(el, 'Preferred name', 'אַבְרָהָם');
    await paste(el, 'Middle name', '👩🏽‍⚕️ Zoë e\u0301');
    await typeDate(el, 'Date of birth', '2000-01-01');
    await choose(el, 'Gender', 'Other');
    const saved = next<{ patient: Patient }>(el, 'ehr-patient-saved');
    await click(el, 'Save');
    const { detail } = await saved;
    const stored = mock.get<Patient>('Patient', detail.patient.id!)!;
    expect(stored.name![0].given).to.deep.equal([xss, '👩🏽‍⚕️ Zoë e\u0301']);
    expect(stored.name![0].family).to.equal(long);
    expect(stored.name![1].given).to.deep.equal(['אַבְרָהָם']);
    expect(root(el).querySelector('img')).to.equal(null);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    expect(field(el, 'First name').value).to.equal(xss);
    await expectValid(stored);
  });

  it('works by keyboard alone: Enter in a field saves', async () => {
    const el = await createForm();
    await fillMinimum(el, { family: 'Tanaka' });
    field(el, 'Last name').focus();
    const saved = next(el, 'ehr-patient-saved');
    await sendKeys({ press: 'Enter' });
    await saved;
  });

  it('fits a phone-sized screen', async () => {
    await setViewport({ width: 360, height: 740 });
    const el = await createForm();
    expect(el.scrollWidth).to.be.at.most(360);
    const first = field(el, 'First name').getBoundingClientRect();
    const last = field(el, 'Last name').getBoundingClientRect();
    expect(last.top, 'fields stack').to.be.greaterThan(first.top);
    await expect(el).to.be.accessible();
  });

  it('dark theme keeps errors and warnings readable (axe contrast)', async () => {
    const el = await fixture<EhrPatientForm>(html`<ehr-patient-form theme="dark" .client=${client}></ehr-patient-form>`);
    await ready(el);
    await fillMinimum(el, { given: 'Ada', family: 'Okafor', birthDate: '1975-07-04' });
    await type(el, 'Email', 'nope');
    await click(el, 'Save');
    await until(() => !!root(el).querySelector('.error-summary'), 'summary');
    await expect(el).to.be.accessible();
    await type(el, 'Email', '');
    await click(el, 'Save');
    await until(() => !!root(el).querySelector('[part=duplicate]'), 'duplicate notice');
    await expect(el).to.be.accessible();
  });

  it('speaks Spanish', async () => {
    await setEhrLocale('es');
    try {
      const el = await createForm();
      await until(() => text(el).includes('Apellido'), 'Spanish labels');
      await click(el, 'Guardar');
      expect(root(el).querySelector('.error-summary')!.textContent).to.include('Obligatorio');
      await expect(el).to.be.accessible();
    } finally {
      await setEhrLocale('en');
    }
  });

  it('saving shows progress and ignores a second press', async () => {
    const el = await createForm();
    await fillMinimum(el, { family: 'Moreau' });
    mock.faults.latency('POST Patient', 300, { times: 1 });
    const saved = next(el, 'ehr-patient-saved');
    await click(el, 'Save');
    await until(() => button(el, 'Saving').getAttribute('aria-disabled') === 'true', 'saving');
    expect(root(el).querySelector('form')!.getAttribute('aria-busy')).to.equal('true');
    await expect(el).to.be.accessible();
    button(el, 'Saving').click();
    await saved;
    expect(requests.filter((r) => r.method === 'POST')).to.have.length(1);
  });
});
