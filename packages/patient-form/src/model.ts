/**
 * The form's model: a flat, string-valued form state and its mapping to and from a FHIR R4
 * Patient (US Core). Pure TypeScript, no DOM, no Lit, so it is fast to test exhaustively.
 *
 * Round-trip rule: `toPatient(state, base)` starts from a deep copy of `base` and writes only the
 * fields whose value differs from `fromPatient(base)`. Whatever the form does not show (other
 * names, identifiers, extensions, periods, a partial birth date, a second address…) and whatever
 * the user did not change is sent back exactly as it was loaded.
 */
import type {
  Address,
  CodeableConcept,
  ContactPoint,
  Extension,
  HumanName,
  Patient,
  PatientCommunication,
  PatientContact,
} from '@medplum/fhirtypes';
import { FIELD_KEYS, LANGUAGES, emptyState, type FieldKey, type PatientFormState } from './fields.js';

export {
  ALWAYS_SHOWN, BIRTH_SEX_CODES, DEFAULT_REQUIRED, DEFAULT_SECTIONS, FIELD_KEYS, GENDERS, LANGUAGES, PHONE_USES, SECTIONS,
  SECTION_KEYS, emptyState, parseSections, type FieldKey, type PatientFormState, type SectionKey,
} from './fields.js';

export const US_CORE_PATIENT = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient';
export const US_CORE_RACE = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race';
export const US_CORE_ETHNICITY = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity';
export const US_CORE_BIRTHSEX = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex';
/** CDC Race & Ethnicity code system (OMB categories). */
export const CDC_RACE_ETHNICITY = 'urn:oid:2.16.840.1.113883.6.238';
export const NULL_FLAVOR = 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor';
export const BCP47 = 'urn:ietf:bcp:47';
export const CONTACT_ROLE = 'http://terminology.hl7.org/CodeSystem/v2-0131';
/** The system of the client-generated key that makes a create idempotent (conditional create). */
export const INTAKE_KEY_SYSTEM = 'urn:ehr-kit:intake-key';

/** OMB race categories (plus the two null flavours US Core allows), code → English display. */
export const RACE_CODES: Record<string, string> = {
  '1002-5': 'American Indian or Alaska Native',
  '2028-9': 'Asian',
  '2054-5': 'Black or African American',
  '2076-8': 'Native Hawaiian or Other Pacific Islander',
  '2106-3': 'White',
  UNK: 'Unknown',
  ASKU: 'Asked but no answer',
};
/** OMB ethnicity categories (plus null flavours). */
export const ETHNICITY_CODES: Record<string, string> = {
  '2135-2': 'Hispanic or Latino',
  '2186-5': 'Not Hispanic or Latino',
  UNK: 'Unknown',
  ASKU: 'Asked but no answer',
};
// ---- locating the parts of a Patient the form edits --------------------------------------------

/** The name the form edits: the official one, else the first without a use other than usual/nickname. */
function mainNameIndex(p: Patient): number {
  const names = p.name ?? [];
  const official = names.findIndex((n) => n.use === 'official');
  if (official >= 0) return official;
  const plain = names.findIndex((n) => !n.use);
  if (plain >= 0) return plain;
  return names.findIndex((n) => n.use !== 'usual' && n.use !== 'nickname' && n.use !== 'old' && n.use !== 'maiden');
}
function preferredNameIndex(p: Patient, main: number): number {
  return (p.name ?? []).findIndex((n, i) => i !== main && n.use === 'usual');
}
function telecomIndexes(p: Patient, system: ContactPoint['system']): number[] {
  const out: number[] = [];
  (p.telecom ?? []).forEach((t, i) => {
    if (t.system === system) out.push(i);
  });
  return out;
}
function addressIndex(p: Patient): number {
  const a = p.address ?? [];
  const home = a.findIndex((x) => x.use === 'home' && !x.period?.end);
  return home >= 0 ? home : a.findIndex((x) => x.use !== 'old' && x.use !== 'billing');
}
function communicationIndex(p: Patient): number {
  const c = p.communication ?? [];
  const pref = c.findIndex((x) => x.preferred);
  return pref >= 0 ? pref : c.length ? 0 : -1;
}
const isEmergencyRel = (r: CodeableConcept) => !!r.coding?.some((c) => c.system === CONTACT_ROLE && c.code === 'C');
function contactIndex(p: Patient): number {
  return (p.contact ?? []).findIndex((c) => c.relationship?.some(isEmergencyRel));
}
function extIndex(p: Patient, url: string): number {
  return (p.extension ?? []).findIndex((e) => e.url === url);
}
function subCodes(ext: Extension | undefined, url: string): string[] {
  return (ext?.extension ?? []).filter((e) => e.url === url).map((e) => e.valueCoding?.code ?? '').filter(Boolean);
}
function bcp47(cc: CodeableConcept | undefined): string {
  return cc?.coding?.find((c) => c.system === BCP47)?.code ?? cc?.coding?.[0]?.code ?? '';
}

/** Reads the form state out of a Patient. Missing parts are empty strings. */
export function fromPatient(p: Patient | undefined): PatientFormState {
  const s = emptyState();
  if (!p) return s;
  const mi = mainNameIndex(p);
  const name = mi >= 0 ? p.name![mi] : undefined;
  s.given = name?.given?.[0] ?? '';
  s.middle = name?.given?.slice(1).join(' ') ?? '';
  s.family = name?.family ?? '';
  s.suffix = name?.suffix?.join(' ') ?? '';
  const pi = preferredNameIndex(p, mi);
  s.preferred = pi >= 0 ? (p.name![pi].given?.[0] ?? '') : '';
  s.birthDate = p.birthDate ?? '';
  s.gender = p.gender ?? '';
  const phones = telecomIndexes(p, 'phone');
  const t = p.telecom ?? [];
  if (phones[0] !== undefined) {
    s.phone = t[phones[0]].value ?? '';
    s.phoneUse = t[phones[0]].use ?? '';
  }
  if (phones[1] !== undefined) {
    s.phone2 = t[phones[1]].value ?? '';
    s.phone2Use = t[phones[1]].use ?? '';
  }
  const ei = telecomIndexes(p, 'email')[0];
  s.email = ei !== undefined ? (t[ei].value ?? '') : '';
  const ai = addressIndex(p);
  if (ai >= 0) {
    const a = p.address![ai];
    s.line1 = a.line?.[0] ?? '';
    s.line2 = a.line?.slice(1).join(', ') ?? '';
    s.city = a.city ?? '';
    s.state = a.state ?? '';
    s.postalCode = a.postalCode ?? '';
    s.country = a.country ?? '';
  }
  const ci = communicationIndex(p);
  s.language = ci >= 0 ? bcp47(p.communication![ci].language) : '';
  const ki = contactIndex(p);
  if (ki >= 0) {
    const c = p.contact![ki];
    s.contactName = c.name?.text ?? [...(c.name?.given ?? []), c.name?.family ?? ''].filter(Boolean).join(' ');
    s.contactRelationship = c.relationship?.find((r) => !isEmergencyRel(r))?.text ?? '';
    s.contactPhone = c.telecom?.find((x) => x.system === 'phone')?.value ?? '';
  }
  const ext = p.extension ?? [];
  s.race = subCodes(ext[extIndex(p, US_CORE_RACE)], 'ombCategory').join(' ');
  s.ethnicity = subCodes(ext[extIndex(p, US_CORE_ETHNICITY)], 'ombCategory')[0] ?? '';
  s.birthSex = ext[extIndex(p, US_CORE_BIRTHSEX)]?.valueCode ?? '';
  return s;
}

/** Fields whose value differs between two states. */
export function changedFields(a: PatientFormState, b: PatientFormState): FieldKey[] {
  return FIELD_KEYS.filter((k) => a[k] !== b[k]);
}

/** Trims, and turns an empty result into undefined so nothing empty is ever written. */
export function clean(v: string | undefined): string | undefined {
  const t = (v ?? '').trim();
  return t ? t : undefined;
}

/** Sets `obj[key]` to value, or deletes it when undefined / an empty array or object. */
function put<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): void {
  const empty =
    value === undefined ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0);
  if (empty) delete obj[key];
  else obj[key] = value as T[K];
}

/** Removes entries left empty by the edits (and the array itself when nothing remains). */
function prune<T extends object>(arr: T[] | undefined): T[] | undefined {
  const kept = (arr ?? []).filter((x) => Object.keys(x).length > 0);
  return kept.length ? kept : undefined;
}

function coding(system: string, code: string, display?: string) {
  return display ? { system, code, display } : { system, code };
}

export interface ToPatientOptions {
  /** How phone numbers and postal codes are written (validation.ts supplies the normalizers). */
  normalize?: { phone?(value: string, country: string): string; postalCode?(value: string, country: string): string };
  /** Country used for phone numbers when the address has none. */
  defaultCountry?: string;
  /** On create: the client-generated key (uuid) stored as an identifier; see INTAKE_KEY_SYSTEM. */
  intakeKey?: string;
}

/**
 * Builds the Patient to send: a copy of `base` with the fields the user changed written in.
 * With no base (create) every non-empty field is written and US Core is claimed.
 */
export function toPatient(state: PatientFormState, base?: Patient, options: ToPatientOptions = {}): Patient {
  const p: Patient = base ? structuredClone(base) : { resourceType: 'Patient' };
  const initial = fromPatient(base);
  const changed = new Set(changedFields(initial, state));
  const has = (...keys: FieldKey[]) => keys.some((k) => changed.has(k));
  const country = clean(state.country) ?? options.defaultCountry ?? '';
  const phone = (v: string) => {
    const c = clean(v);
    return c && options.normalize?.phone ? options.normalize.phone(c, country) : c;
  };

  if (!base) {
    p.meta = { profile: [US_CORE_PATIENT] };
    if (options.intakeKey) p.identifier = [{ system: INTAKE_KEY_SYSTEM, value: options.intakeKey }];
  }

  // Names
  if (has('given', 'middle', 'family', 'suffix', 'preferred')) {
    const names: HumanName[] = p.name ?? [];
    const mi0 = mainNameIndex(p);
    const preferredName = names[preferredNameIndex(p, mi0)] as HumanName | undefined;
    if (has('given', 'middle', 'family', 'suffix')) {
      let n = names[mi0] as HumanName | undefined;
      if (!n) {
        n = { use: 'official' };
        names.unshift(n);
      }
      if (has('given', 'middle')) {
        const old = n.given ?? [];
        const first = has('given') ? clean(state.given) : old[0];
        const rest = has('middle') ? [clean(state.middle)] : old.slice(1);
        put(n, 'given', [first, ...rest].filter((g): g is string => !!g));
      }
      if (has('family')) put(n, 'family', clean(state.family));
      if (has('suffix')) put(n, 'suffix', clean(state.suffix) ? [clean(state.suffix)!] : undefined);
    }
    if (has('preferred')) {
      const v = clean(state.preferred);
      if (preferredName) put(preferredName, 'given', [v, ...(preferredName.given ?? []).slice(1)].filter((g): g is string => !!g));
      else if (v) names.push({ use: 'usual', given: [v] });
    }
    // A name with nothing left in it but its use is dropped.
    put(p, 'name', names.filter((n) => Object.keys(n).some((k) => k !== 'use')));
  }

  if (has('birthDate')) put(p, 'birthDate', clean(state.birthDate));
  if (has('gender')) put(p, 'gender', clean(state.gender) as Patient['gender']);

  // Telecom: phones and the first email, edited where they are.
  if (has('phone', 'phoneUse', 'phone2', 'phone2Use', 'email')) {
    const telecom: ContactPoint[] = p.telecom ?? [];
    const phones = telecomIndexes(p, 'phone');
    const setPoint = (idx: number | undefined, system: ContactPoint['system'], valueKey: FieldKey, useKey?: FieldKey) => {
      if (!has(valueKey) && !(useKey && has(useKey))) return;
      const value = system === 'phone' ? phone(state[valueKey]) : clean(state[valueKey]);
      const use = useKey ? (clean(state[useKey]) as ContactPoint['use']) : undefined;
      if (idx === undefined) {
        if (value) telecom.push(use ? { system, value, use } : { system, value });
        return;
      }
      const point = telecom[idx];
      if (!value) {
        for (const k of Object.keys(point)) delete point[k as keyof ContactPoint];
        return;
      }
      if (has(valueKey)) point.value = value;
      if (useKey && has(useKey)) put(point, 'use', use);
    };
    setPoint(phones[0], 'phone', 'phone', 'phoneUse');
    setPoint(phones[1], 'phone', 'phone2', 'phone2Use');
    setPoint(telecomIndexes(p, 'email')[0], 'email', 'email');
    put(p, 'telecom', prune(telecom));
  }

  // Address
  const addrKeys: FieldKey[] = ['line1', 'line2', 'city', 'state', 'postalCode', 'country'];
  if (has(...addrKeys)) {
    const addresses: Address[] = p.address ?? [];
    let ai = addressIndex(p);
    const anyContent = ['line1', 'line2', 'city', 'state', 'postalCode'].some((k) => clean(state[k as FieldKey]));
    if (ai < 0 && anyContent) {
      addresses.push({ use: 'home' });
      ai = addresses.length - 1;
    }
    if (ai >= 0) {
      const a = addresses[ai];
      if (has('line1', 'line2')) {
        const old = a.line ?? [];
        const first = has('line1') ? clean(state.line1) : old[0];
        const rest = has('line2') ? [clean(state.line2)] : old.slice(1);
        put(a, 'line', [first, ...rest].filter((l): l is string => !!l));
      }
      if (has('city')) put(a, 'city', clean(state.city));
      if (has('state')) put(a, 'state', clean(state.state));
      if (has('postalCode', 'country')) {
        const pc = clean(state.postalCode);
        put(a, 'postalCode', pc && options.normalize?.postalCode ? options.normalize.postalCode(pc, country) : pc);
      }
      if (has('country') || (!base && anyContent)) put(a, 'country', clean(state.country));
      // An address with nothing but its use left is no address.
      if (Object.keys(a).every((k) => k === 'use')) addresses.splice(ai, 1);
    }
    put(p, 'address', addresses);
  }

  if (has('language')) {
    const comms: PatientCommunication[] = p.communication ?? [];
    const ci = communicationIndex(p);
    const code = clean(state.language);
    if (!code) {
      if (ci >= 0) comms.splice(ci, 1);
    } else {
      const language: CodeableConcept = { coding: [coding(BCP47, code, LANGUAGES[code])] };
      if (ci >= 0) comms[ci] = { ...comms[ci], language, preferred: true };
      else comms.push({ language, preferred: true });
    }
    put(p, 'communication', comms);
  }

  if (has('contactName', 'contactRelationship', 'contactPhone')) {
    const contacts: PatientContact[] = p.contact ?? [];
    let ki = contactIndex(p);
    const name = clean(state.contactName);
    const rel = clean(state.contactRelationship);
    const tel = phone(state.contactPhone);
    if (ki < 0 && (name || tel || rel)) {
      contacts.push({ relationship: [{ coding: [coding(CONTACT_ROLE, 'C', 'Emergency Contact')] }] });
      ki = contacts.length - 1;
    }
    if (ki >= 0) {
      const c = contacts[ki];
      if (!name && !tel && !rel) {
        contacts.splice(ki, 1);
      } else {
        if (has('contactName')) put(c, 'name', name ? { text: name } : undefined);
        if (has('contactRelationship')) {
          const rels = (c.relationship ?? []).filter(isEmergencyRel);
          const others = (c.relationship ?? []).filter((r) => !isEmergencyRel(r) && !r.text);
          const textual = (c.relationship ?? []).find((r) => !isEmergencyRel(r) && r.text);
          const nextText = rel ? [{ ...(textual ?? {}), text: rel }] : [];
          c.relationship = [...rels, ...others, ...nextText];
        }
        if (has('contactPhone')) {
          const telecom = [...(c.telecom ?? [])];
          const i = telecom.findIndex((x) => x.system === 'phone');
          if (i >= 0) {
            if (tel) telecom[i] = { ...telecom[i], value: tel };
            else telecom.splice(i, 1);
          } else if (tel) telecom.push({ system: 'phone', value: tel });
          put(c, 'telecom', telecom);
        }
      }
    }
    put(p, 'contact', contacts);
  }

  // US Core demographics
  if (has('race')) setOmbExtension(p, US_CORE_RACE, state.race.split(/\s+/).filter(Boolean), RACE_CODES);
  if (has('ethnicity')) setOmbExtension(p, US_CORE_ETHNICITY, clean(state.ethnicity) ? [state.ethnicity.trim()] : [], ETHNICITY_CODES);
  if (has('birthSex')) {
    const ext: Extension[] = p.extension ?? [];
    const i = ext.findIndex((e) => e.url === US_CORE_BIRTHSEX);
    const v = clean(state.birthSex);
    if (i >= 0 && !v) ext.splice(i, 1);
    else if (i >= 0) ext[i] = { url: US_CORE_BIRTHSEX, valueCode: v };
    else if (v) ext.push({ url: US_CORE_BIRTHSEX, valueCode: v });
    put(p, 'extension', ext);
  }
  return p;
}

function ombCoding(code: string, table: Record<string, string>) {
  const system = code === 'UNK' || code === 'ASKU' ? NULL_FLAVOR : CDC_RACE_ETHNICITY;
  return coding(system, code, table[code]);
}

/** Writes a US Core race/ethnicity extension: ombCategory codings + the required text. Keeps `detailed`. */
function setOmbExtension(p: Patient, url: string, codes: string[], table: Record<string, string>): void {
  const ext: Extension[] = p.extension ?? [];
  const i = ext.findIndex((e) => e.url === url);
  const known = codes.filter((c) => c in table);
  if (!known.length) {
    if (i >= 0) ext.splice(i, 1);
    put(p, 'extension', ext);
    return;
  }
  const kept = (i >= 0 ? (ext[i].extension ?? []) : []).filter((e) => e.url !== 'ombCategory' && e.url !== 'text');
  const value: Extension = {
    url,
    extension: [
      ...known.map((c) => ({ url: 'ombCategory', valueCoding: ombCoding(c, table) })),
      ...kept,
      { url: 'text', valueString: known.map((c) => table[c]).join(', ') },
    ],
  };
  if (i >= 0) ext[i] = value;
  else ext.push(value);
  p.extension = ext;
}

/** The search the duplicate check runs: same family name and birth date. */
export function duplicateQuery(state: PatientFormState): Record<string, string> | undefined {
  const family = clean(state.family);
  const birthdate = clean(state.birthDate);
  if (!family || !birthdate) return undefined;
  return { family, birthdate, _count: '10' };
}

/** Keeps the search hits that really match (servers' `family` search is "starts with"/"contains"). */
export function likelyDuplicates(state: PatientFormState, hits: Patient[], intakeKey?: string): Patient[] {
  const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase();
  const family = fold(state.family.trim());
  return hits.filter(
    (h) =>
      h.birthDate === state.birthDate.trim() &&
      (h.name ?? []).some((n) => n.family !== undefined && fold(n.family) === family) &&
      !(intakeKey && h.identifier?.some((i) => i.system === INTAKE_KEY_SYSTEM && i.value === intakeKey)),
  );
}

/**
 * Which field a server issue's FHIRPath expression points at, given the Patient that was sent.
 * Returns undefined for anything the form does not show.
 */
export function fieldForExpression(expression: string, sent: Patient): FieldKey | undefined {
  const e = expression.replace(/^Patient\./, '').replace(/\s/g, '');
  const idx = (s: string | undefined) => (s === undefined ? 0 : Number(s));
  let m: RegExpMatchArray | null;
  if ((m = e.match(/^name(?:\[(\d+)\])?(?:\.(\w+)(?:\[(\d+)\])?)?/))) {
    const i = idx(m[1]);
    const mi = mainNameIndex(sent);
    const pi = preferredNameIndex(sent, mi);
    if (i === pi) return 'preferred';
    if (m[2] === 'family') return 'family';
    if (m[2] === 'suffix') return 'suffix';
    if (m[2] === 'given') return idx(m[3]) > 0 ? 'middle' : 'given';
    return 'family';
  }
  if (/^birthDate/.test(e)) return 'birthDate';
  if (/^gender/.test(e)) return 'gender';
  if ((m = e.match(/^telecom(?:\[(\d+)\])?/))) {
    const i = idx(m[1]);
    const t = sent.telecom?.[i];
    if (t?.system === 'email') return 'email';
    return telecomIndexes(sent, 'phone').indexOf(i) === 1 ? 'phone2' : 'phone';
  }
  if ((m = e.match(/^address(?:\[\d+\])?(?:\.(\w+)(?:\[(\d+)\])?)?/))) {
    const part = m[1];
    if (part === 'line') return idx(m[2]) > 0 ? 'line2' : 'line1';
    if (part === 'city' || part === 'state' || part === 'postalCode' || part === 'country') return part;
    return 'line1';
  }
  if (/^communication/.test(e)) return 'language';
  if ((m = e.match(/^contact(?:\[\d+\])?(?:\.(\w+))?/))) {
    if (m[1] === 'telecom') return 'contactPhone';
    if (m[1] === 'relationship') return 'contactRelationship';
    return 'contactName';
  }
  if (/^extension/.test(e)) {
    const i = Number(e.match(/^extension\[(\d+)\]/)?.[1] ?? -1);
    const url = i >= 0 ? sent.extension?.[i]?.url : e.match(/url\s*=\s*'([^']+)'/)?.[1];
    if (url === US_CORE_RACE) return 'race';
    if (url === US_CORE_ETHNICITY) return 'ethnicity';
    if (url === US_CORE_BIRTHSEX) return 'birthSex';
  }
  return undefined;
}
