import { expect } from '@open-wc/testing';
import type { Patient } from '@medplum/fhirtypes';
import {
  BCP47,
  CONTACT_ROLE,
  INTAKE_KEY_SYSTEM,
  US_CORE_BIRTHSEX,
  US_CORE_ETHNICITY,
  US_CORE_PATIENT,
  US_CORE_RACE,
  emptyState,
  fieldForExpression,
  fromPatient,
  likelyDuplicates,
  toPatient,
  type PatientFormState,
} from '../../packages/patient-form/src/model.js';
import { normalizers } from '../../packages/patient-form/src/validation.js';

const opts = { normalize: normalizers, defaultCountry: 'US', intakeKey: '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d' };
const state = (over: Partial<PatientFormState>): PatientFormState => ({ ...emptyState(), ...over });

/** A Patient the form only partly understands: everything it does not show must survive a save. */
const rich: Patient = {
  resourceType: 'Patient',
  id: 'p1',
  meta: { versionId: '3', lastUpdated: '2024-01-01T00:00:00Z', profile: [US_CORE_PATIENT], tag: [{ code: 'vip' }] },
  text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Ana</div>' },
  extension: [
    { url: 'http://example.org/fav-color', valueString: 'teal' },
    {
      url: US_CORE_RACE,
      extension: [
        { url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: '2106-3', display: 'White' } },
        { url: 'detailed', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: '2108-9', display: 'European' } },
        { url: 'text', valueString: 'White' },
      ],
    },
  ],
  identifier: [
    { system: 'http://hospital.example.org/mrn', value: 'MRN-1', type: { text: 'MRN' } },
    { system: 'urn:oid:2.16.840.1.113883.4.1', value: '999-99-9999' },
  ],
  active: true,
  name: [
    { use: 'old', family: 'Maiden', given: ['Ana'] },
    { use: 'official', family: 'García', given: ['Ana', 'María', 'José'], prefix: ['Dr.'], period: { start: '2001-01-01' } },
    { use: 'usual', given: ['Anita'] },
  ],
  telecom: [
    { system: 'fax', value: '+15550000000' },
    { system: 'phone', value: '(555) 010-0000', use: 'home', rank: 2 },
    { system: 'email', value: 'ana@example.org' },
    { system: 'phone', value: '+34 612 345 678', use: 'mobile' },
  ],
  gender: 'female',
  birthDate: '1980-02-29',
  address: [
    { use: 'old', line: ['1 Old Rd'], city: 'Oldtown' },
    { use: 'home', line: ['12 Main St', 'Apt 4'], city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US', district: 'Sangamon' },
  ],
  maritalStatus: { text: 'Married' },
  communication: [
    { language: { coding: [{ system: BCP47, code: 'es' }], text: 'Spanish' }, preferred: true },
    { language: { coding: [{ system: BCP47, code: 'en' }] } },
  ],
  contact: [
    { relationship: [{ coding: [{ system: CONTACT_ROLE, code: 'N' }] }], name: { text: 'Next Of Kin' } },
    {
      relationship: [{ coding: [{ system: CONTACT_ROLE, code: 'C', display: 'Emergency Contact' }] }, { text: 'Brother' }],
      name: { text: 'Luis García' },
      telecom: [{ system: 'phone', value: '+13125550100' }],
      gender: 'male',
    },
  ],
  generalPractitioner: [{ reference: 'Practitioner/123' }],
};

describe('patient-form model', () => {
  it('reads the fields the form shows from a rich Patient', () => {
    const s = fromPatient(rich);
    expect(s).to.include({
      given: 'Ana', middle: 'María José', family: 'García', preferred: 'Anita', birthDate: '1980-02-29', gender: 'female',
      phone: '(555) 010-0000', phoneUse: 'home', phone2: '+34 612 345 678', phone2Use: 'mobile', email: 'ana@example.org',
      line1: '12 Main St', line2: 'Apt 4', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US',
      language: 'es', contactName: 'Luis García', contactRelationship: 'Brother', contactPhone: '+13125550100', race: '2106-3',
    });
  });

  it('sends an untouched Patient back exactly as loaded', () => {
    expect(toPatient(fromPatient(rich), rich, opts)).to.deep.equal(rich);
  });

  it('changes only what the user changed and keeps every unknown field', () => {
    const s = { ...fromPatient(rich), family: 'García-López', email: 'ana@new.example', postalCode: '62702-1234' };
    const out = toPatient(s, rich, opts);
    const expected = structuredClone(rich);
    expected.name![1].family = 'García-López';
    expected.telecom![2].value = 'ana@new.example';
    expected.address![1].postalCode = '62702-1234';
    expect(out).to.deep.equal(expected);
    expect(rich.name![1].family, 'base not mutated').to.equal('García');
  });

  it('changing the first name keeps middle names; clearing the middle name keeps the first', () => {
    const out = toPatient({ ...fromPatient(rich), given: 'Anna' }, rich, opts);
    expect(out.name![1].given).to.deep.equal(['Anna', 'María', 'José']);
    const out2 = toPatient({ ...fromPatient(rich), middle: '' }, rich, opts);
    expect(out2.name![1].given).to.deep.equal(['Ana']);
  });

  it('creates a US Core Patient with the intake key, normalized phone and coded extras', () => {
    const p = toPatient(
      state({
        given: 'Ana', family: 'Ng', birthDate: '1990-05-06', gender: 'female', phone: '(312) 555-0100', phoneUse: 'mobile',
        email: 'ana@example.org', line1: '1 Main', city: 'Chicago', state: 'IL', postalCode: '60601', country: 'US',
        language: 'es', contactName: 'Bo Ng', contactPhone: '312 555 0199', contactRelationship: 'Spouse',
        race: '2028-9 2106-3', ethnicity: '2186-5', birthSex: 'F', preferred: 'Annie',
      }),
      undefined,
      opts,
    );
    expect(p.meta?.profile).to.deep.equal([US_CORE_PATIENT]);
    expect(p.identifier).to.deep.equal([{ system: INTAKE_KEY_SYSTEM, value: opts.intakeKey }]);
    expect(p.name).to.deep.equal([{ use: 'official', given: ['Ana'], family: 'Ng' }, { use: 'usual', given: ['Annie'] }]);
    expect(p.telecom).to.deep.equal([
      { system: 'phone', value: '+13125550100', use: 'mobile' },
      { system: 'email', value: 'ana@example.org' },
    ]);
    expect(p.address).to.deep.equal([{ use: 'home', line: ['1 Main'], city: 'Chicago', state: 'IL', postalCode: '60601', country: 'US' }]);
    expect(p.communication).to.deep.equal([{ language: { coding: [{ system: BCP47, code: 'es', display: 'Español' }] }, preferred: true }]);
    expect(p.contact).to.deep.equal([
      {
        relationship: [{ coding: [{ system: CONTACT_ROLE, code: 'C', display: 'Emergency Contact' }] }, { text: 'Spouse' }],
        name: { text: 'Bo Ng' },
        telecom: [{ system: 'phone', value: '+13125550199' }],
      },
    ]);
    const race = p.extension!.find((e) => e.url === US_CORE_RACE)!;
    expect(race.extension!.map((e) => e.valueCoding?.code ?? e.valueString)).to.deep.equal(['2028-9', '2106-3', 'Asian, White']);
    expect(race.extension![0].valueCoding!.system).to.equal('urn:oid:2.16.840.1.113883.6.238');
    const eth = p.extension!.find((e) => e.url === US_CORE_ETHNICITY)!;
    expect(eth.extension).to.deep.equal([
      { url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: '2186-5', display: 'Not Hispanic or Latino' } },
      { url: 'text', valueString: 'Not Hispanic or Latino' },
    ]);
    expect(p.extension!.find((e) => e.url === US_CORE_BIRTHSEX)).to.deep.equal({ url: US_CORE_BIRTHSEX, valueCode: 'F' });
  });

  it('writes nothing empty: a country alone is no address, blank fields are absent', () => {
    const p = toPatient(state({ given: 'A', family: 'B', gender: 'unknown', country: 'US', phoneUse: 'mobile' }), undefined, opts);
    expect(Object.keys(p).sort()).to.deep.equal(['gender', 'identifier', 'meta', 'name', 'resourceType']);
  });

  it('clearing fields removes them without touching neighbours', () => {
    const s = { ...fromPatient(rich), email: '', preferred: '', contactName: '', contactPhone: '', contactRelationship: '', language: '', race: '' };
    const out = toPatient(s, rich, opts);
    expect(out.telecom!.map((t) => t.system)).to.deep.equal(['fax', 'phone', 'phone']);
    expect(out.name!.map((n) => n.use)).to.deep.equal(['old', 'official']);
    expect(out.contact).to.deep.equal([rich.contact![0]]);
    expect(out.communication).to.deep.equal([rich.communication![1]]);
    expect(out.extension).to.deep.equal([rich.extension![0]]);
  });

  it('keeps detailed race codes when the OMB categories change', () => {
    const out = toPatient({ ...fromPatient(rich), race: '2106-3 2054-5' }, rich, opts);
    const race = out.extension!.find((e) => e.url === US_CORE_RACE)!;
    expect(race.extension!.map((e) => e.url)).to.deep.equal(['ombCategory', 'ombCategory', 'detailed', 'text']);
  });

  it('keeps hostile, long, emoji, RTL and combining strings byte-for-byte', () => {
    const odd = [
      '<img src=x onerror=alert(1)>',
      'x'.repeat(10_000),
      '👩🏽‍⚕️🏳️‍🌈',
      'مرحبا بالعالم',
      'e\u0301 n\u0303 A\u030A',
      '"; DROP TABLE patients; --',
    ];
    for (const v of odd) {
      const p = toPatient(state({ given: v, family: v, gender: 'other', contactName: v, line1: v, city: v }), undefined, opts);
      const back = fromPatient(JSON.parse(JSON.stringify(p)));
      expect(back.given).to.equal(v);
      expect(back.family).to.equal(v);
      expect(back.contactName).to.equal(v);
      expect(back.line1).to.equal(v);
      expect(back.city).to.equal(v);
    }
  });

  it('maps server issue expressions back to fields', () => {
    expect(fieldForExpression('Patient.birthDate', rich)).to.equal('birthDate');
    expect(fieldForExpression('Patient.name[1].family', rich)).to.equal('family');
    expect(fieldForExpression('Patient.name[1].given[1]', rich)).to.equal('middle');
    expect(fieldForExpression('Patient.name[2].given[0]', rich)).to.equal('preferred');
    expect(fieldForExpression('Patient.telecom[2].value', rich)).to.equal('email');
    expect(fieldForExpression('Patient.telecom[3]', rich)).to.equal('phone2');
    expect(fieldForExpression('Patient.address[1].postalCode', rich)).to.equal('postalCode');
    expect(fieldForExpression('Patient.contact[1].telecom[0].value', rich)).to.equal('contactPhone');
    expect(fieldForExpression('Patient.extension[1]', rich)).to.equal('race');
    expect(fieldForExpression('Patient.maritalStatus', rich)).to.equal(undefined);
  });

  it('finds likely duplicates by exact family (accent- and case-insensitive) and birth date, never its own record', () => {
    const s = state({ family: 'Garcia', birthDate: '1980-02-29' });
    const hits: Patient[] = [
      rich,
      { resourceType: 'Patient', name: [{ family: 'Garciaparra' }], birthDate: '1980-02-29' },
      { resourceType: 'Patient', name: [{ family: 'garcía' }], birthDate: '1980-03-01' },
      { resourceType: 'Patient', name: [{ family: 'GARCIA' }], birthDate: '1980-02-29', identifier: [{ system: INTAKE_KEY_SYSTEM, value: 'k1' }] },
    ];
    expect(likelyDuplicates(s, hits, 'k1')).to.deep.equal([rich]);
  });
});
