import { expect } from '@open-wc/testing';
import { DEFAULT_REQUIRED, DEFAULT_SECTIONS, SECTION_KEYS, emptyState, type PatientFormState } from '../../packages/patient-form/src/model.js';
import {
  checkBirthDate,
  isEmail,
  normalizePhone,
  normalizePostalCode,
  validate,
} from '../../packages/patient-form/src/validation.js';

const today = '2026-11-29';
const base = (over: Partial<PatientFormState> = {}): PatientFormState => ({
  ...emptyState(),
  given: 'Ana',
  family: 'Ng',
  birthDate: '1990-01-01',
  gender: 'female',
  ...over,
});
const v = (s: PatientFormState, extra: Partial<Parameters<typeof validate>[1]> = {}) =>
  validate(s, { sections: DEFAULT_SECTIONS, required: DEFAULT_REQUIRED, today, defaultCountry: 'US', ...extra });

describe('patient-form validation', () => {
  it('accepts a minimal intake', () => {
    expect(v(base())).to.deep.equal({});
  });

  it('requires the default intake fields, and US Core name + gender whatever `required` says', () => {
    expect(v(emptyState())).to.deep.equal({ given: 'required', family: 'required', birthDate: 'required', gender: 'required' });
    expect(v(emptyState(), { required: [] })).to.deep.equal({ given: 'name-required', family: 'name-required', gender: 'required' });
    expect(v(base({ given: '' }), { required: [] })).to.deep.equal({});
  });

  it('requires what `required` names, only in shown sections', () => {
    expect(v(base(), { required: ['phone', 'email', 'address', 'contact'] })).to.deep.equal({
      phone: 'required', email: 'required', line1: 'required', city: 'required', postalCode: 'required', country: 'required',
      contactName: 'required', contactPhone: 'required',
    });
    expect(v(base(), { sections: ['name', 'gender'], required: ['birth-date', 'phone'] })).to.deep.equal({});
  });

  it('birth date: a real date, not in the future, not over 130 years ago', () => {
    expect(checkBirthDate('2024-02-29', today)).to.equal(undefined);
    expect(checkBirthDate('2023-02-29', today)).to.equal('date-invalid');
    expect(checkBirthDate('1990-13-01', today)).to.equal('date-invalid');
    expect(checkBirthDate('01/02/1990', today)).to.equal('date-invalid');
    expect(checkBirthDate('2026-11-29', today)).to.equal(undefined);
    expect(checkBirthDate('2026-11-30', today)).to.equal('date-future');
    expect(checkBirthDate('1896-11-29', today)).to.equal(undefined);
    expect(checkBirthDate('1896-11-28', today)).to.equal('date-too-old');
    expect(v(base({ birthDate: '3000-01-01' }))).to.deep.equal({ birthDate: 'date-future' });
  });

  it('email', () => {
    for (const ok of ['a@b.co', 'ana.maria+intake@clinic.example.org', 'josé@correo.es']) expect(isEmail(ok), ok).to.equal(true);
    for (const bad of ['a@b', 'a b@c.com', '@c.com', 'a@@c.com', 'a@c..com', '<a@c.com>']) expect(isEmail(bad), bad).to.equal(false);
    expect(v(base({ email: 'nope' }))).to.deep.equal({ email: 'email' });
  });

  it('phone: E.164 where the country is known, lenient elsewhere', () => {
    expect(normalizePhone('(312) 555-0100', 'US')).to.equal('+13125550100');
    expect(normalizePhone('1-312-555-0100', 'US')).to.equal('+13125550100');
    expect(normalizePhone('416 555 0100', 'CA')).to.equal('+14165550100');
    expect(normalizePhone('020 7946 0018', 'GB')).to.equal('+442079460018');
    expect(normalizePhone('030 123456', 'DE')).to.equal('+4930123456');
    expect(normalizePhone('612 34 56 78', 'ES')).to.equal('+34612345678');
    expect(normalizePhone('55 1234 5678', 'MX')).to.equal('+525512345678');
    expect(normalizePhone('01 23 45 67 89', 'FR')).to.equal('+33123456789');
    expect(normalizePhone('+34 612 345 678', 'US')).to.equal('+34612345678');
    expect(normalizePhone('0034 612 345 678', 'US')).to.equal('+34612345678');
    expect(normalizePhone('555-0100', 'US')).to.equal(undefined);
    expect(normalizePhone('(123) 555-0100', 'US')).to.equal(undefined);
    expect(normalizePhone('call me', 'US')).to.equal(undefined);
    expect(normalizePhone('8 800 555 35 35', 'RU')).to.equal('8 800 555 35 35');
    expect(normalizePhone('12', 'RU')).to.equal(undefined);
    expect(v(base({ phone: '555' }))).to.deep.equal({ phone: 'phone' });
    expect(v(base({ phone: '612345678', country: 'ES' }))).to.deep.equal({});
  });

  it('postal code per country', () => {
    expect(normalizePostalCode('62701', 'US')).to.equal('62701');
    expect(normalizePostalCode('62701-1234', 'US')).to.equal('62701-1234');
    expect(normalizePostalCode('6270', 'US')).to.equal(undefined);
    expect(normalizePostalCode('k1a0b1', 'CA')).to.equal('K1A 0B1');
    expect(normalizePostalCode('D1A 0B1', 'CA')).to.equal(undefined);
    expect(normalizePostalCode('sw1a1aa', 'GB')).to.equal('SW1A 1AA');
    expect(normalizePostalCode('EC1A 1BB', 'GB')).to.equal('EC1A 1BB');
    expect(normalizePostalCode('10115', 'DE')).to.equal('10115');
    expect(normalizePostalCode('1011', 'DE')).to.equal(undefined);
    expect(normalizePostalCode('28013', 'ES')).to.equal('28013');
    expect(normalizePostalCode('53000', 'ES')).to.equal(undefined);
    expect(normalizePostalCode('06600', 'MX')).to.equal('06600');
    expect(normalizePostalCode('75008', 'FR')).to.equal('75008');
    expect(normalizePostalCode('C1425', 'AR')).to.equal('C1425');
    expect(normalizePostalCode('<script>', 'AR')).to.equal(undefined);
    expect(v(base({ line1: '1 Main', postalCode: 'ABCDE', country: 'US' }))).to.deep.equal({ postalCode: 'postal-code' });
    expect(v(base({ line1: '1 Rue', postalCode: 'ABCDE', country: 'BR' }))).to.deep.equal({});
  });

  it('edit: old odd values do not block an unrelated save; changing them re-checks', () => {
    const initial = base({ phone: 'ask at desk', email: 'not-an-email' });
    expect(v({ ...initial, family: 'Ngo' }, { initial })).to.deep.equal({});
    expect(v({ ...initial, phone: 'still bad' }, { initial })).to.deep.equal({ phone: 'phone' });
  });

  it('keeps lists without holes and contacts with details (FHIR pat-1)', () => {
    expect(v(base({ given: '', middle: 'Luz' }))).to.deep.equal({ given: 'required' });
    expect(v(base({ line2: 'Apt 4' }))).to.deep.equal({ line1: 'required' });
    expect(v(base({ contactRelationship: 'Mother' }))).to.deep.equal({ contactName: 'required' });
    expect(v(base({ contactRelationship: 'Mother', contactPhone: '312 555 0100' }))).to.deep.equal({});
  });

  it('rejects characters FHIR strings cannot carry', () => {
    expect(v(base({ given: 'A\u0000B' }))).to.deep.equal({ given: 'characters' });
    expect(v(base({ city: 'x\uD800' }))).to.deep.equal({ city: 'characters' });
    expect(v(base({ family: 'x'.repeat(10_000) }))).to.deep.equal({});
    expect(v(base({ family: 'x'.repeat(100_001) }))).to.deep.equal({ family: 'too-long' });
  });

  it('every section can be shown and required', () => {
    expect(Object.keys(v(emptyState(), { sections: SECTION_KEYS, required: SECTION_KEYS })).length).to.be.greaterThan(15);
  });
});
