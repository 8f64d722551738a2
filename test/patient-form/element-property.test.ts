// Property-based, through the real element: random text pasted into its fields, then Save. No
// uncaught error; every body that reaches the server is a valid R4 + US Core Patient; refused input
// stays in the fields. (The 1,000+ run property lives on the model, property.test.ts; this one keeps
// the element honest with fewer, slower runs.)
import { expect, fixture, html } from '@open-wc/testing';
import fc from 'fast-check';
import type { Patient } from '@medplum/fhirtypes';
import { FhirClient } from '@ehr-kit/fhir-client';
import { createMockFhir } from '@ehr-kit/mock-fhir';
import '../../packages/patient-form/src/define.js';
import type { EhrPatientForm } from '../../packages/patient-form/src/patient-form.js';
import { US_CORE_PATIENT } from '../../packages/patient-form/src/model.js';
import { fhirIssues, loadDefinitions } from '../support/validate.js';
import { choose, click, field, paste, ready, root, until } from './helpers.js';

const text = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: fc.nat(0xffff).map((n) => String.fromCharCode(n)), maxLength: 8 }),
  fc.constantFrom('<b>x</b>', 'Zoë', 'אַבְרָהָם', '👩🏽‍⚕️'),
);
const name = () => fc.oneof({ arbitrary: fc.constantFrom('Ana', 'Zoë', 'O’Brien', '<b>x</b>', 'אַבְרָהָם', '👩🏽‍⚕️', 'e\u0301'), weight: 6 }, text);

describe('<ehr-patient-form>, property-based through the element', function () {
  this.timeout(180_000);
  before(() => loadDefinitions());

  it('random input never throws and never sends an invalid Patient', async () => {
    const uncaught: unknown[] = [];
    const onError = (e: ErrorEvent) => uncaught.push(e.error ?? e.message);
    const onRejection = (e: PromiseRejectionEvent) => uncaught.push(e.reason);
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onRejection);
    let sent = 0;
    let refused = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          // Mostly plausible, sometimes hostile, so both "sent" and "refused" happen often.
          fc.record({
            given: name(),
            family: name(),
            email: fc.oneof({ arbitrary: fc.constant(''), weight: 3 }, fc.emailAddress(), text),
            phone: fc.oneof({ arbitrary: fc.constant(''), weight: 2 }, fc.constantFrom('(312) 555-0100', '+44 20 7946 0018'), fc.stringMatching(/^\+?[0-9 ()-]{7,16}$/), text),
            city: name(),
            postalCode: fc.oneof({ arbitrary: fc.constant(''), weight: 2 }, fc.stringMatching(/^\d{5}$/), text),
            birthDate: fc.oneof({ arbitrary: fc.constant('1990-01-01'), weight: 4 }, fc.constantFrom('', '2999-01-01', '1800-01-01')),
          }),
          fc.oneof({ arbitrary: fc.constantFrom('Female', 'Male', 'Other', 'Prefer not to say'), weight: 4 }, fc.constant('Choose…')),
          async (input, gender) => {
            const mock = createMockFhir({ baseUrl: 'http://prop.mock/fhir', seed: () => [] });
            const bodies: Patient[] = [];
            const client = new FhirClient({
              baseUrl: mock.baseUrl,
              retry: { attempts: 1 },
              fetch: async (req, init) => {
                if (init?.method === 'POST' || init?.method === 'PUT') bodies.push(JSON.parse(String(init.body)));
                return mock.fetch(req, init);
              },
            });
            const el = await fixture<EhrPatientForm>(html`<ehr-patient-form no-duplicate-check .client=${client}></ehr-patient-form>`);
            await ready(el);
            for (const [label, key] of [['First name', 'given'], ['Last name', 'family'], ['Email', 'email'], ['Phone', 'phone'], ['City', 'city'], ['Postal code', 'postalCode'], ['Date of birth', 'birthDate']] as const) {
              await paste(el, label, input[key]);
            }
            await choose(el, 'Gender', gender);
            let saved = false;
            el.addEventListener('ehr-patient-saved', () => (saved = true));
            await click(el, 'Save');
            await until(() => saved || !!root(el).querySelector('.error-summary, [part=error]'), 'saved or refused');
            for (const body of bodies) {
              const issues = [...(await fhirIssues(body)), ...(await fhirIssues(body, US_CORE_PATIENT))].filter((i) => i.severity === 'error');
              expect(issues, JSON.stringify(body).slice(0, 500)).to.deep.equal([]);
              sent++;
            }
            if (!saved) {
              refused++;
              expect(bodies, 'nothing sent when refused').to.have.length(0);
              expect(field(el, 'Last name').value, 'input kept').to.equal(input.family);
            }
          },
        ),
        { numRuns: 40, seed: 5 },
      );
    } finally {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
    }
    expect(uncaught).to.deep.equal([]);
    expect(sent, 'inputs that were valid and sent').to.be.greaterThan(5);
    expect(refused, 'inputs that were refused').to.be.greaterThan(5);
  });
});
