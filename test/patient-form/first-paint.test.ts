// Its own page, so the form's on-demand code (rules, saving, panels) is not loaded yet when the
// person presses Save: the press waits for it, then behaves exactly as it would have.
// Since the shell/view split, a new form's first paint is the skeleton and the form follows once
// its view chunk is in (started by the element); `updateComplete` waits for it, with no request.
import { expect, fixture, html } from '@open-wc/testing';
import { FhirClient } from '@ehr-kit/fhir-client';
import { createMockFhir } from '@ehr-kit/mock-fhir';
import '../../packages/patient-form/src/define.js';
import type { EhrPatientForm } from '../../packages/patient-form/src/patient-form.js';
import { button, field, root } from './helpers.js';

const flowRequested = () => performance.getEntriesByType('resource').some((e) => /\/patient-form\/src\/flow\.ts/.test(e.name));

describe('<ehr-patient-form> before its on-demand code is in', () => {
  it('a new form needs only its view chunk, no request; Save right away still refuses an empty form, focusing the summary', async () => {
    const mock = createMockFhir({ baseUrl: 'http://mock.test/fhir', seed: 'empty' });
    const sent: string[] = [];
    const client = new FhirClient({ baseUrl: 'http://mock.test/fhir', fetch: (input, init) => (sent.push(new Request(input, init).method), mock.fetch(input, init)) });
    const el = await fixture<EhrPatientForm>(html`<ehr-patient-form .client=${client}></ehr-patient-form>`);
    expect(field(el, 'First name'), 'form painted').to.exist;
    button(el, 'Save').click();
    await el.updateComplete;
    expect(flowRequested(), 'the rules were fetched').to.equal(true);
    const summary = root(el).querySelector<HTMLElement>('.error-summary');
    expect(summary, 'error summary').to.exist;
    expect(summary!.textContent).to.include('First name');
    await el.updateComplete;
    expect(root(el).activeElement).to.equal(summary);
    expect(sent).to.deep.equal([]);
    await expect(el).to.be.accessible();
  });
});
