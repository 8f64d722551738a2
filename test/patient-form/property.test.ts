// Property-based: whatever a person (or a script) puts in the form, the model never throws, and
// anything it would send validates against FHIR R4 and US Core Patient. Runs on the model layer,
// where the element decides what to send, so 1,000+ cases stay fast.
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import type { Patient } from '@medplum/fhirtypes';
import {
  ALWAYS_SHOWN,
  FIELD_KEYS,
  GENDERS,
  LANGUAGES,
  PHONE_USES,
  RACE_CODES,
  SECTIONS,
  SECTION_KEYS,
  US_CORE_PATIENT,
  fromPatient,
  toPatient,
  type FieldKey,
  type PatientFormState,
  type SectionKey,
} from '../../packages/patient-form/src/model.js';
import { localToday, normalizers, validate } from '../../packages/patient-form/src/validation.js';
import { fhirIssues, loadDefinitions } from '../support/validate.js';

const today = localToday();

/** Text as people type (and paste) it: empty, plain, unicode graphemes, any UTF-16 unit, hostile markup. */
const anyText = fc.oneof(
  fc.constant(''),
  fc.constantFrom(' ', '  Ana  ', '<script>alert(1)</script>', 'O’Brien-Smith', 'אַבְרָהָם', 'e\u0301', '👩🏽‍⚕️', 'x'.repeat(10_000), '\u0000', '\uD800'),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: fc.nat(0xffff).map((n) => String.fromCharCode(n)), maxLength: 12 }),
);
const phoneText = fc.oneof(
  anyText,
  fc.stringMatching(/^\+?[0-9 ()\-.]{0,18}$/),
  fc.constantFrom('(312) 555-0100', '+44 20 7946 0018', '612345678', '030 123456', '555-0100'),
);
const dateText = fc.oneof(
  anyText,
  fc.date({ min: new Date('1850-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
);
const coded = (codes: readonly string[]) => fc.oneof(fc.constant(''), fc.constantFrom(...codes), anyText);

const stateArb: fc.Arbitrary<PatientFormState> = fc.record({
  given: anyText, middle: anyText, family: anyText, suffix: anyText, preferred: anyText,
  birthDate: dateText,
  gender: coded(GENDERS),
  phone: phoneText, phoneUse: coded(PHONE_USES), phone2: phoneText, phone2Use: coded(PHONE_USES),
  email: fc.oneof(anyText, fc.emailAddress()),
  line1: anyText, line2: anyText, city: anyText, state: anyText,
  postalCode: fc.oneof(anyText, fc.stringMatching(/^[0-9A-Z -]{3,10}$/)),
  country: coded(['US', 'CA', 'MX', 'GB', 'DE', 'ES', 'FR', 'BR', 'JP']),
  language: coded(Object.keys(LANGUAGES)),
  contactName: anyText, contactRelationship: anyText, contactPhone: phoneText,
  race: fc.oneof(fc.subarray(Object.keys(RACE_CODES)).map((a) => a.join(' ')), anyText),
  ethnicity: coded(['2135-2', '2186-5', 'UNK', 'ASKU']),
  birthSex: coded(['F', 'M', 'UNK']),
});

/** Existing records to edit: a US Core patient with data the form does not show. */
const bases: (Patient | undefined)[] = [
  undefined,
  {
    resourceType: 'Patient', id: 'b1', meta: { versionId: '4', profile: [US_CORE_PATIENT] },
    identifier: [{ system: 'http://hospital.example.org/mrn', value: 'M1' }],
    name: [{ use: 'official', family: 'Díaz', given: ['Eva', 'Luz'] }, { use: 'maiden', family: 'Ruiz' }],
    gender: 'female', birthDate: '1961-12-31', active: true,
    telecom: [{ system: 'fax', value: '+15550001111' }, { system: 'phone', value: 'ask at desk' }],
    address: [{ use: 'home', line: ['Calle 1'], city: 'Madrid', postalCode: '28013', country: 'ES', period: { start: '2001-01-01' } }],
    extension: [{ url: 'http://example.org/x', valueBoolean: true }],
    contact: [{ relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'C' }] }], name: { family: 'Díaz', given: ['Ana'] } }],
  },
];

const errorsOnly = (issues: { severity?: string }[]) => issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');

describe('patient-form model, property-based', function () {
  this.timeout(120_000);
  before(() => loadDefinitions());

  it('never throws, and never sends an invalid resource (≥ 1,000 random inputs)', async () => {
    let sent = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        stateArb,
        fc.subarray(SECTION_KEYS),
        fc.subarray(SECTION_KEYS),
        fc.constantFrom(...bases),
        fc.subarray(FIELD_KEYS),
        async (typed, shownPick, required, base, touched) => {
          const sections: SectionKey[] = [...new Set([...ALWAYS_SHOWN, ...shownPick])];
          const initial = fromPatient(base);
          // Like the element: only shown fields can change, and only the ones the person touched.
          const visible = new Set(sections.flatMap((s) => SECTIONS[s] as readonly FieldKey[]));
          const state = { ...initial };
          for (const k of touched) if (visible.has(k)) state[k] = typed[k];
          const errors = validate(state, { sections, required, today, defaultCountry: 'US', ...(base ? { initial } : {}) });
          if (Object.keys(errors).length) {
            refused++;
            return;
          }
          const patient = toPatient(state, base, { normalize: normalizers, defaultCountry: 'US', intakeKey: '0b7b1d2e-6f3a-4c41-9b8a-2f1f4d1c9e11' });
          // What goes on the wire is JSON.
          const wire = JSON.parse(JSON.stringify(patient)) as Patient;
          const issues = [...errorsOnly(await fhirIssues(wire)), ...errorsOnly(await fhirIssues(wire, US_CORE_PATIENT))];
          expect(issues, JSON.stringify({ state, issues }).slice(0, 2000)).to.deep.equal([]);
          // What the person typed is what is stored (trimmed; phones/postal codes normalized).
          const back = fromPatient(wire);
          for (const k of ['given', 'family', 'city', 'line1', 'contactName'] as const) {
            if (state[k] !== initial[k]) expect(back[k], k).to.equal(state[k].trim());
          }
          sent++;
        },
      ),
      { numRuns: 1200, seed: 20261129 },
    );
    // Both branches were really exercised.
    expect(sent, 'cases that were sent').to.be.greaterThan(100);
    expect(refused, 'cases that were refused').to.be.greaterThan(100);
  });

  it('an untouched record round-trips exactly, whatever sections are shown', () => {
    fc.assert(
      fc.property(fc.constantFrom(...bases.filter(Boolean)), (base) => {
        expect(toPatient(fromPatient(base), base)).to.deep.equal(base);
      }),
      { numRuns: 50 },
    );
  });
});
