// <ehr-patient-form> in every state. The plain stories use the preview's mock FHIR worker through
// <ehr-provider>; the failure and timing stories inject a `client` on their own in-page mock (its
// fetch), so their faults never leak into other stories.
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import type { Patient } from '@medplum/fhirtypes';
import { FhirClient } from '@ehr-kit/fhir-client';
import { createMockFhir, fixtures, type MockFhir } from '@ehr-kit/mock-fhir';
import '@ehr-kit/patient-form/define';
import type { EhrPatientForm } from '@ehr-kit/patient-form';

interface Args {
  patientId: string;
  fields: string;
  required: string;
  readonly: boolean;
  noDuplicateCheck: boolean;
}

const ANA = fixtures.patients.ana.id;

/** A private mock and a client on it, for stories that inject faults. */
function ownMock(setup?: (mock: MockFhir) => void, fetchOverride?: typeof fetch): FhirClient {
  const mock = createMockFhir({ baseUrl: 'http://stories.mock/fhir', seed: 'demo' });
  setup?.(mock);
  return new FhirClient({ baseUrl: mock.baseUrl, fetch: fetchOverride ?? mock.fetch, retry: { attempts: 1 } });
}

const form = (canvas: HTMLElement) => canvas.querySelector('ehr-patient-form') as EhrPatientForm;

/** Types into the form's fields by name, as the inputs would report it. */
async function fill(el: EhrPatientForm, values: Record<string, string>): Promise<void> {
  await el.updateComplete;
  await new Promise((r) => setTimeout(r, 50));
  await el.updateComplete;
  for (const [name, value] of Object.entries(values)) {
    const input = el.shadowRoot!.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`);
    if (!input) continue;
    input.value = value;
    input.dispatchEvent(new Event(input instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true, composed: true }));
    await el.updateComplete;
  }
}

const intake = { given: 'Ana María', family: 'García Pérez', birthDate: '1987-04-12', gender: 'female' };

const meta: Meta<Args> = {
  title: 'Elements/Patient form',
  component: 'ehr-patient-form',
  args: { patientId: '', fields: '', required: '', readonly: false, noDuplicateCheck: false },
  argTypes: {
    patientId: { control: 'text', description: 'Patient to edit; empty = create' },
    fields: { control: 'text', description: 'Sections to show (space-separated)' },
    required: { control: 'text', description: 'Sections that must be filled in' },
  },
  render: (a) => html`<ehr-patient-form
    patient-id=${a.patientId || nothing}
    fields=${a.fields || nothing}
    required=${a.required || nothing}
    ?readonly=${a.readonly}
    ?no-duplicate-check=${a.noDuplicateCheck}
  ></ehr-patient-form>`,
};
export default meta;
type Story = StoryObj<Args>;

/** A new patient at a clinic's front desk (create). */
export const Create: Story = {};

/** Editing a seeded patient. */
export const Edit: Story = { args: { patientId: ANA } };

/** Every section, including the optional US Core race, ethnicity and birth sex. */
export const AllSections: Story = {
  args: { fields: 'name birth-date gender birth-sex phone email address language contact race ethnicity', required: 'name birth-date gender phone address' },
};

/** Read-only. */
export const Readonly: Story = { args: { patientId: ANA, readonly: true } };

/** Loading skeleton (the server never answers). */
export const Loading: Story = {
  render: () => html`<ehr-patient-form patient-id=${ANA} .client=${ownMock((m) => m.faults.latency('GET Patient/*', 10 ** 9))}></ehr-patient-form>`,
};

/** The record could not be loaded; "Try again" works. */
export const LoadError: Story = {
  render: () => html`<ehr-patient-form patient-id=${ANA} .client=${ownMock((m) => m.faults.fail('GET Patient/*', 503, { times: 1 }))}></ehr-patient-form>`,
};

/** Save pressed with nothing filled in: inline errors and a focused error summary. */
export const ValidationErrors: Story = {
  play: async ({ canvasElement }) => {
    const el = form(canvasElement);
    await fill(el, { email: 'ana@', birthDate: '2999-01-01' });
    await el.save();
  },
};

/** A likely duplicate, as a patient sees it: no one else's details. */
export const DuplicateWarning: Story = {
  render: () => html`<ehr-patient-form .client=${ownMock()}></ehr-patient-form>`,
  play: async ({ canvasElement }) => {
    const el = form(canvasElement);
    const client = el.client!;
    const ana = await client.read('Patient', ANA);
    await fill(el, { ...intake, family: ana.name?.[0]?.family ?? '', birthDate: ana.birthDate ?? '' });
    await el.save();
  },
};

/** The same warning for a signed-in clinician, who may see who is already on file. */
export const DuplicateWarningClinician: Story = {
  parameters: { ehrProvider: false },
  render: () => html`<ehr-provider auth="token" .accessToken=${'demo-token'}><ehr-patient-form .client=${ownMock()}></ehr-patient-form></ehr-provider>`,
  play: DuplicateWarning.play,
};

/** Saving in progress. */
export const Saving: Story = {
  render: () => html`<ehr-patient-form no-duplicate-check .client=${ownMock((m) => m.faults.latency('POST Patient', 10 ** 9))}></ehr-patient-form>`,
  play: async ({ canvasElement }) => {
    const el = form(canvasElement);
    await fill(el, intake);
    void el.save();
  },
};

/** Saved. */
export const Saved: Story = {
  render: () => html`<ehr-patient-form no-duplicate-check .client=${ownMock()}></ehr-patient-form>`,
  play: async ({ canvasElement }) => {
    const el = form(canvasElement);
    await fill(el, intake);
    await el.save();
  },
};

/** The connection dropped while creating: everything typed is kept, "Try again" is safe. */
export const NetworkError: Story = {
  render: () => html`<ehr-patient-form no-duplicate-check .client=${ownMock((m) => m.faults.drop('POST Patient', { after: true, times: 1 }))}></ehr-patient-form>`,
  play: Saved.play,
};

/** The session ended mid-edit (401): input kept. */
export const SignedOut: Story = {
  render: () => html`<ehr-patient-form patient-id=${ANA} .client=${ownMock((m) => m.faults.fail('PUT Patient/*', 401, { times: 1 }))}></ehr-patient-form>`,
  play: async ({ canvasElement }) => {
    const el = form(canvasElement);
    await fill(el, { email: 'ana.garcia@example.org' });
    await el.save();
  },
};

/** Someone else saved first (412): their values beside yours, keep either per field. */
export const Conflict: Story = {
  render: () =>
    html`<ehr-patient-form patient-id=${ANA} .client=${ownMock((m) => {
      const p = m.get<Patient>('Patient', ANA)!;
      (globalThis as { __storyConflict?: () => void }).__storyConflict = () =>
        m.put({ ...p, telecom: [{ system: 'phone', value: '+12125550123', use: 'home' }], name: [{ ...p.name![0], family: 'García-Ruiz' }] });
    })}></ehr-patient-form>`,
  play: async ({ canvasElement }) => {
    const el = form(canvasElement);
    await fill(el, { family: 'García-López', email: 'ana.garcia@example.org' });
    (globalThis as { __storyConflict?: () => void }).__storyConflict?.();
    await el.save();
  },
};

/** The server refused a value (422): its message sits on the field it names. */
export const ServerRejected: Story = {
  render: () => {
    const mock = createMockFhir({ baseUrl: 'http://stories.mock/fhir', seed: 'demo' });
    const outcome = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'invalid', diagnostics: 'This clinic does not accept this postal code', expression: ['Patient.address[0].postalCode'] }],
    };
    const client = new FhirClient({
      baseUrl: mock.baseUrl,
      retry: { attempts: 1 },
      fetch: async (input, init) =>
        new Request(input, init).method === 'PUT' ? new Response(JSON.stringify(outcome), { status: 422, headers: { 'content-type': 'application/fhir+json' } }) : mock.fetch(input, init),
    });
    return html`<ehr-patient-form patient-id=${ANA} .client=${client}></ehr-patient-form>`;
  },
  play: async ({ canvasElement }) => {
    const el = form(canvasElement);
    await fill(el, { line1: '1 Main St', city: 'Brooklyn', postalCode: '11201', country: 'US' });
    await el.save();
  },
};

/** Odd and hostile text is just text: markup, RTL, emoji, combining marks. */
export const OddText: Story = {
  render: () => html`<ehr-patient-form no-duplicate-check .client=${ownMock()}></ehr-patient-form>`,
  play: async ({ canvasElement }) => {
    const el = form(canvasElement);
    await fill(el, { given: '<img src=x onerror=alert(1)>', family: 'فاطمة الزهراء', preferred: '👩🏽‍⚕️ Zoë e\u0301', birthDate: '1990-01-01', gender: 'other' });
  },
};

/** Spanish. */
export const Spanish: Story = { globals: { locale: 'es' } };

/** A phone-sized screen. */
export const Mobile: Story = { globals: { viewport: { value: 'mobile1', isRotated: false } } };
