// The built single-file bundle (packages/kit/dist/ehr-kit.js, from `npm run build`) as a
// <script type="module"> page gets it: it registers every tag itself, carries one Lit, talks to a
// FHIR server through <ehr-provider>, and loads Spanish from its lazy chunk. Nothing in this file
// imports an element from source (that would register the tags first); the mock and the FHIR
// client come from source, which define no tags.
import { expect, waitUntil } from '@open-wc/testing';
import { FhirClient } from '@ehr-kit/fhir-client';
import { createMockFhir, fixtures } from '@ehr-kit/mock-fhir';
import type { Patient, Slot } from '@medplum/fhirtypes';
import { expectNoWaterfall, fetched, showFormAndPicker } from './chunk-requests.js';

const BUNDLE = '/packages/kit/dist/ehr-kit.js';
const AUTOLOADER = '/packages/kit/dist/autoloader.js';

/** Whether the server has the built file (it is absent until `npm run build`). */
async function built(url: string): Promise<boolean> {
  const res = await fetch(url, { method: 'HEAD' }).catch(() => undefined);
  return !!res?.ok && /javascript/.test(res.headers.get('content-type') ?? '');
}

type LitGlobals = typeof globalThis & { litElementVersions?: string[]; litHtmlVersions?: string[] };
const g = globalThis as LitGlobals;
const q = (el: Element, sel: string) => el.shadowRoot!.querySelector(sel);
const qa = (el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll(sel)];
const chunkRequests = () =>
  performance.getEntriesByType('resource').filter((e) => e.name.includes('/packages/kit/dist/chunks/')).map((e) => e.name);
const next = <T>(el: Element, type: string) =>
  new Promise<CustomEvent<T>>((resolve) => el.addEventListener(type, (e) => resolve(e as CustomEvent<T>), { once: true }));
/** The form's text field whose visible label starts with `text`. */
const input = (form: Element, text: string) => {
  const label = qa(form, 'label[for]').find((l) => l.textContent!.trim().startsWith(text));
  return label ? (form.shadowRoot!.getElementById((label as HTMLLabelElement).htmlFor) as HTMLInputElement) : null;
};

describe('kit single-file bundle (dist/ehr-kit.js)', function () {
  this.timeout(30_000);
  const warnings: string[] = [];
  let litElementBefore = 0;
  let litHtmlBefore = 0;
  let mod: Record<string, unknown> | undefined;

  before(async function () {
    if (!(await built(BUNDLE))) {
      console.warn(`skipped: ${BUNDLE} is not built — run \`npm run build\` first (.ci/run does)`);
      this.skip();
    }
    litElementBefore = g.litElementVersions?.length ?? 0;
    litHtmlBefore = g.litHtmlVersions?.length ?? 0;
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      warnings.push(args.map(String).join(' '));
      warn.apply(console, args);
    };
    try {
      mod = (await import(/* @vite-ignore */ BUNDLE)) as Record<string, unknown>;
    } finally {
      console.warn = warn;
    }
  });

  after(() => {
    document.querySelectorAll('ehr-provider').forEach((el) => el.remove());
  });

  it('registers the elements itself and exports the API', () => {
    for (const tag of ['ehr-provider', 'ehr-patient-form', 'ehr-slot-picker']) {
      expect(customElements.get(tag), `${tag} defined by the bundle`).to.exist;
    }
    expect(customElements.get('ehr-slot-picker')).to.equal(mod!.EhrSlotPicker);
    expect(customElements.get('ehr-provider')).to.equal(mod!.EhrProvider);
    expect(mod!.FhirClient, 'the whole API is exported too').to.be.a('function');
  });

  it('carries exactly one Lit', () => {
    // The test page's own helpers may have loaded a Lit before; the bundle must add one of each, not two.
    expect((g.litElementVersions?.length ?? 0) - litElementBefore, 'LitElement copies added by the bundle').to.equal(1);
    expect((g.litHtmlVersions?.length ?? 0) - litHtmlBefore, 'lit-html copies added by the bundle').to.equal(1);
    expect(warnings.filter((w) => /multiple versions of lit/i.test(w))).to.deep.equal([]);
    expect(chunkRequests(), 'Spanish and SMART stay lazy').to.deep.equal([]);
  });

  it('shows a patient form and free times from their views, each view and what it imports in one round trip, no re-export file; both still work', async () => {
    const { mock, provider, form, picker } = await showFormAndPicker('http://bundle-views.mock/fhir');
    await waitUntil(() => form.shadowRoot && input(form, 'Last name')?.value, 'the form never showed the patient', { timeout: 10_000 });
    await waitUntil(() => picker.shadowRoot && qa(picker, '.time').length > 0, 'no times shown', { timeout: 10_000 });

    const dist = '/packages/kit/dist/';
    const views = fetched(dist).filter((r) => /\/chunks\/view-[^/]+\.js$/.test(r.url));
    expect(views, 'one view chunk per element, each fetched once').to.have.length(2);
    await expectNoWaterfall(dist);

    // They work as before: the form saves an edit, the picker hands over the chosen Slot.
    const family = input(form, 'Last name')!;
    family.value = 'García-Pérez';
    family.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    const saved = next<{ patient: Patient; created: boolean }>(form, 'ehr-patient-saved');
    (qa(form, 'button').find((b) => b.textContent!.trim().startsWith('Save')) as HTMLElement).click();
    const { detail } = await saved;
    expect(detail.created).to.equal(false);
    expect(mock.get<Patient>('Patient', fixtures.patients.ana.id)!.name![0]!.family).to.equal('García-Pérez');
    const selected = next<{ slot: Slot }>(picker, 'ehr-slot-selected');
    (qa(picker, '.time')[0] as HTMLElement).click();
    expect((await selected).detail.slot.resourceType).to.equal('Slot');
    provider.remove();
  });

  it('shows free times through a provider, and switches to Spanish from its lazy chunk', async () => {
    const mock = createMockFhir({ baseUrl: 'http://bundle.mock/fhir', seed: 'demo' });
    const provider = document.createElement('ehr-provider') as HTMLElement & { client?: FhirClient; lang: string };
    provider.client = new FhirClient({ baseUrl: mock.baseUrl, fetch: mock.fetch, retry: { attempts: 1 } });
    const picker = document.createElement('ehr-slot-picker');
    picker.setAttribute('practitioner-id', fixtures.practitioners.nguyen.id);
    provider.append(picker);
    document.body.append(provider);

    await waitUntil(() => picker.shadowRoot && qa(picker, '.time').length > 0, 'no times shown', { timeout: 10_000 });
    const days = () => q(picker, '[role=tablist]')!.getAttribute('aria-label');
    expect(days()).to.equal('Days');

    provider.lang = 'es';
    await waitUntil(() => days() === 'Días', 'never re-rendered in Spanish', { timeout: 10_000 });
    expect(chunkRequests().filter((n) => /\/chunks\/es-[^/]+\.js$/.test(n)).length, 'the translations came from a lazy chunk next to the bundle').to.be.greaterThan(0);
    expect(qa(picker, '.time').length, 'still showing the times').to.be.greaterThan(0);

    provider.lang = 'en';
    await waitUntil(() => days() === 'Days', 'never went back to English', { timeout: 10_000 });
    provider.remove();
  });
});

describe('kit autoloader (dist/autoloader.js)', function () {
  this.timeout(30_000);

  it('exists next to the bundle and loads as a module', async function () {
    if (!(await built(AUTOLOADER))) {
      console.warn(`skipped: ${AUTOLOADER} is not built — run \`npm run build\` first`);
      this.skip();
    }
    // The bundle above already defined the tags; the built autoloader must load without clashing.
    const mod = (await import(/* @vite-ignore */ AUTOLOADER)) as Record<string, unknown>;
    expect(mod.discover).to.be.a('function');
  });
});
