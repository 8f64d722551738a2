/**
 * Validation rules for the patient form, as error codes (the element turns them into words).
 * Pure TypeScript: no DOM, no clock unless given one.
 */
import { BIRTH_SEX_CODES, ETHNICITIES, GENDERS, PHONE_USES, RACES, REQUIRED_FIELDS, SECTIONS, localToday, oldestBirthDate, type FieldKey, type PatientFormState, type SectionKey } from './fields.js';
import { clean, fromPatient } from './model.js';

export { REQUIRED_FIELDS, localToday };

export type FieldError =
  | 'required'
  | 'name-required'
  | 'date-invalid'
  | 'date-future'
  | 'date-too-old'
  | 'email'
  | 'phone'
  | 'postal-code'
  | 'characters'
  | 'too-long'
  | 'choice';

export type FieldErrors = Partial<Record<FieldKey, FieldError>>;

/** Calling codes and national-number rules for the countries we normalize to E.164. */
const PHONE_RULES: Record<string, { cc: string; nsn: RegExp; trunk?: string }> = {
  US: { cc: '1', nsn: /^[2-9]\d{2}[2-9]\d{6}$/ },
  CA: { cc: '1', nsn: /^[2-9]\d{2}[2-9]\d{6}$/ },
  MX: { cc: '52', nsn: /^\d{10}$/ },
  GB: { cc: '44', nsn: /^[1-9]\d{8,9}$/, trunk: '0' },
  DE: { cc: '49', nsn: /^[1-9]\d{5,12}$/, trunk: '0' },
  ES: { cc: '34', nsn: /^[6-9]\d{8}$/ },
  FR: { cc: '33', nsn: /^[1-9]\d{8}$/, trunk: '0' },
};

/** Postal code patterns; other countries are accepted leniently. */
const POSTAL_RULES: Record<string, RegExp> = {
  US: /^\d{5}(-\d{4})?$/,
  CA: /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d$/,
  GB: /^(GIR 0AA|[A-PR-UWYZ](\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRV-Y\d]?) \d[ABD-HJLNP-UW-Z]{2})$/,
  DE: /^\d{5}$/,
  ES: /^(0[1-9]|[1-4]\d|5[0-2])\d{3}$/,
  MX: /^\d{5}$/,
  FR: /^\d{5}$/,
  IT: /^\d{5}$/,
  NL: /^[1-9]\d{3} ?[A-Z]{2}$/,
};
const LENIENT_POSTAL = /^[\p{L}\p{N}][\p{L}\p{N} -]{0,11}$/u;

/** ISO 3166 alpha-2 from what an address holds ('US', 'us', 'USA', 'United States'…), else ''. */
export function countryCode(country: string | undefined): string {
  const c = (country ?? '').trim().toUpperCase();
  if (/^[A-Z]{2}$/.test(c)) return c;
  const aliases: Record<string, string> = {
    USA: 'US', 'UNITED STATES': 'US', 'UNITED STATES OF AMERICA': 'US', CAN: 'CA', CANADA: 'CA',
    MEX: 'MX', MEXICO: 'MX', 'MÉXICO': 'MX', GBR: 'GB', UK: 'GB', 'UNITED KINGDOM': 'GB',
    DEU: 'DE', GERMANY: 'DE', DEUTSCHLAND: 'DE', ESP: 'ES', SPAIN: 'ES', 'ESPAÑA': 'ES', FRA: 'FR', FRANCE: 'FR',
  };
  return aliases[c] ?? '';
}

/**
 * Phone number → E.164 when it can be decided (a leading + or 00, or a known country);
 * otherwise the number as typed (trimmed) if it looks like a phone number; undefined if it is not one.
 */
export function normalizePhone(value: string, country?: string): string | undefined {
  const raw = value.trim();
  if (!raw) return undefined;
  // Only digits and the usual separators; an extension or letters are not a number we can dial.
  if (!/^\+?[\d\s().\-/]+$/.test(raw)) return undefined;
  let digits = raw.replace(/\D/g, '');
  let international = raw.startsWith('+');
  if (!international && digits.startsWith('00')) {
    international = true;
    digits = digits.slice(2);
  }
  if (international) return /^[1-9]\d{6,14}$/.test(digits) ? `+${digits}` : undefined;
  const rule = PHONE_RULES[countryCode(country)];
  if (!rule) return digits.length >= 7 && digits.length <= 15 ? raw : undefined;
  let nsn = digits;
  if (rule.trunk && nsn.startsWith(rule.trunk)) nsn = nsn.slice(rule.trunk.length);
  else if (nsn.startsWith(rule.cc) && !rule.nsn.test(nsn)) nsn = nsn.slice(rule.cc.length);
  return rule.nsn.test(nsn) ? `+${rule.cc}${nsn}` : undefined;
}

/** Postal code in its country's canonical form (upper case, one space), or undefined if invalid. */
export function normalizePostalCode(value: string, country?: string): string | undefined {
  const code = countryCode(country);
  let v = value.trim().toUpperCase().replace(/\s+/g, ' ');
  if (!v) return undefined;
  if (code === 'CA' || code === 'GB') {
    const compact = v.replace(/ /g, '');
    v = compact.length > 3 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact;
  }
  const rule = POSTAL_RULES[code];
  if (rule) return rule.test(v) ? v : undefined;
  return LENIENT_POSTAL.test(value.trim()) ? value.trim() : undefined;
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/u;
export function isEmail(value: string): boolean {
  const v = value.trim();
  return v.length <= 254 && EMAIL.test(v) && !v.includes('..');
}

/** Characters FHIR strings cannot carry: C0 controls other than tab/CR/LF, and lone surrogates. */
const BAD_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export function hasBadCharacters(value: string): boolean {
  return BAD_CHARS.test(value);
}

/** Birth date rule: a real calendar date, not in the future, not more than 130 years ago. */
export function checkBirthDate(value: string, today: string): FieldError | undefined {
  const m = value.trim().match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (!m) return 'date-invalid';
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1 || date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return 'date-invalid';
  const v = value.trim();
  if (v > today) return 'date-future';
  if (v < oldestBirthDate(today)) return 'date-too-old';
  return undefined;
}

/** Longest value a field takes (FHIR: a string SHALL NOT exceed 1 MB). */
export const MAX_LENGTH = 100_000;

export interface ValidateOptions {
  /** Sections shown; fields outside them are neither required nor checked. */
  sections: SectionKey[];
  /** Sections whose main fields must be filled in. */
  required: SectionKey[];
  /** Today's date (YYYY-MM-DD) for the birth-date rule. */
  today: string;
  /** Country for phone numbers when the address has none. */
  defaultCountry?: string;
  /**
   * The state as loaded (edit). Format rules only apply to values the user changed, so an old
   * record's odd value never blocks saving an unrelated fix; required rules always apply.
   */
  initial?: PatientFormState;
}

/** Every field error of a state. Empty object = valid. */
export function validate(state: PatientFormState, o: ValidateOptions): FieldErrors {
  const errors: FieldErrors = {};
  const shown = new Set<FieldKey>(o.sections.flatMap((s) => SECTIONS[s] as FieldKey[]));
  const initial = o.initial ?? fromPatient(undefined);
  const changed = (k: FieldKey) => state[k] !== initial[k] || !o.initial;
  const country = clean(state.country) ?? o.defaultCountry ?? '';

  for (const k of shown) {
    if (hasBadCharacters(state[k])) errors[k] = 'characters';
    // FHIR strings are at most 1 MB; far beyond any real value, so this only stops runaway pastes.
    else if (state[k].length > MAX_LENGTH) errors[k] = 'too-long';
  }
  for (const section of o.required) {
    if (!o.sections.includes(section)) continue;
    for (const k of REQUIRED_FIELDS[section] ?? []) if (!errors[k] && !clean(state[k])) errors[k] = 'required';
  }
  // US Core: a patient has a name (given or family) and an administrative gender, whatever `required` says.
  if (!clean(state.given) && !clean(state.family)) {
    if (shown.has('family')) errors.family ??= 'name-required';
    if (shown.has('given')) errors.given ??= 'name-required';
  }
  if (shown.has('gender') && !clean(state.gender)) errors.gender ??= 'required';
  // A middle name needs a first name, a second address line a first (FHIR lists have no holes).
  if (clean(state.middle) && !clean(state.given) && shown.has('given')) errors.given ??= 'required';
  if (clean(state.line2) && !clean(state.line1) && shown.has('line1')) errors.line1 ??= 'required';
  // FHIR pat-1: a contact needs details (a name or a phone), not just a relationship.
  if (clean(state.contactRelationship) && !clean(state.contactName) && !clean(state.contactPhone) && shown.has('contactName')) errors.contactName ??= 'required';

  const check = (k: FieldKey, rule: (v: string) => FieldError | undefined) => {
    if (!shown.has(k) || errors[k] || !clean(state[k]) || !changed(k)) return;
    const e = rule(state[k]);
    if (e) errors[k] = e;
  };
  // Coded fields only take their codes (a select cannot do otherwise, but a property set from script can).
  const oneOf = (k: FieldKey, codes: readonly string[]) => check(k, (v) => (v.trim().split(/\s+/).every((c) => codes.includes(c)) ? undefined : 'choice'));
  oneOf('gender', GENDERS);
  oneOf('phoneUse', PHONE_USES);
  oneOf('phone2Use', PHONE_USES);
  oneOf('ethnicity', ETHNICITIES);
  oneOf('birthSex', BIRTH_SEX_CODES);
  oneOf('race', RACES);
  check('language', (v) => (/^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(v.trim()) ? undefined : 'choice'));
  check('birthDate', (v) => checkBirthDate(v, o.today));
  check('email', (v) => (isEmail(v) ? undefined : 'email'));
  for (const k of ['phone', 'phone2', 'contactPhone'] as const) check(k, (v) => (normalizePhone(v, country) ? undefined : 'phone'));
  // A new country re-checks the postal code under that country's rules.
  if (changed('country') && clean(state.postalCode) && shown.has('postalCode') && !errors.postalCode) {
    if (!normalizePostalCode(state.postalCode, country)) errors.postalCode = 'postal-code';
  }
  check('postalCode', (v) => (normalizePostalCode(v, country) ? undefined : 'postal-code'));
  return errors;
}

/** The normalizers toPatient() uses: E.164 phones and canonical postal codes where decidable. */
export const normalizers = {
  phone: (v: string, country: string) => normalizePhone(v, country) ?? v.trim(),
  postalCode: (v: string, country: string) => normalizePostalCode(v, country) ?? v.trim(),
};
