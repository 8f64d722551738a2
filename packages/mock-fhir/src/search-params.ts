// The search parameters this server supports, per resource type. Expressions are small accessor
// functions (not FHIRPath): each returns the raw FHIR elements the parameter looks at; the search
// engine turns them into comparable values by parameter type.
import { arr, type Res } from './util.ts';

export type ParamType = 'string' | 'token' | 'date' | 'reference' | 'quantity' | 'number' | 'uri';

export interface ParamDef {
  type: ParamType;
  /** Raw FHIR elements (strings, Codings, CodeableConcepts, Periods, References, Quantities …). */
  get: (r: Res) => unknown[];
  /** Reference params: the resource types they can point at. */
  targets?: string[];
  description?: string;
}

const S = (get: (r: Res) => unknown): ParamDef => ({ type: 'string', get: (r) => flat(get(r)) });
const T = (get: (r: Res) => unknown): ParamDef => ({ type: 'token', get: (r) => flat(get(r)) });
const D = (get: (r: Res) => unknown): ParamDef => ({ type: 'date', get: (r) => flat(get(r)) });
const Q = (get: (r: Res) => unknown): ParamDef => ({ type: 'quantity', get: (r) => flat(get(r)) });
const N = (get: (r: Res) => unknown): ParamDef => ({ type: 'number', get: (r) => flat(get(r)) });
const U = (get: (r: Res) => unknown): ParamDef => ({ type: 'uri', get: (r) => flat(get(r)) });
const R = (targets: string[], get: (r: Res) => unknown): ParamDef => ({
  type: 'reference',
  targets,
  get: (r) => flat(get(r)),
});

function flat(v: unknown): unknown[] {
  if (v == null) return [];
  if (Array.isArray(v)) {
    // Array.prototype.flat is slow in V8; most values are flat already
    let nested = false;
    for (let i = 0; i < v.length; i++) {
      if (Array.isArray(v[i])) {
        nested = true;
        break;
      }
    }
    return (nested ? v.flat(3) : v).filter((x) => x != null);
  }
  return [v];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type A = any;
/** `arr(v).flatMap((x) => flat(f(x)))`, without the intermediate arrays. */
const each = (v: A, f: (x: A) => unknown): unknown[] => {
  const out: unknown[] = [];
  for (const x of arr(v)) {
    const y = f(x);
    if (y == null) continue;
    if (Array.isArray(y)) for (const z of flat(y)) out.push(z);
    else out.push(y);
  }
  return out;
};
/** References whose target has one of the given types. */
const refsOfType = (v: A, type: string) => arr(v).filter((x: A) => typeof x?.reference === 'string' && typeOfRef(x.reference) === type);
/** The segment before the last '/' (`ref.split('/').slice(-2)[0]` without the arrays). */
function typeOfRef(ref: string): string {
  const i = ref.lastIndexOf('/');
  if (i < 0) return ref;
  return ref.slice(i === 0 ? 1 : ref.lastIndexOf('/', i - 1) + 1, i);
}

const nameParts = (v: A) => each(v, (n: A) => [n.text, n.family, n.given, n.prefix, n.suffix]);
const addressParts = (v: A) =>
  each(v, (a: A) => [a.text, a.line, a.city, a.district, a.state, a.postalCode, a.country]);
const telecomOf = (v: A, system?: string) =>
  arr(v).filter((c: A) => !system || c.system === system);

const PERSON = {
  name: S((r) => nameParts(r.name)),
  family: S((r) => each(r.name, (n: A) => n.family)),
  given: S((r) => each(r.name, (n: A) => n.given)),
  identifier: T((r) => r.identifier),
  active: T((r) => r.active),
  gender: T((r) => r.gender),
  telecom: T((r) => r.telecom),
  phone: T((r) => telecomOf(r.telecom, 'phone')),
  email: T((r) => telecomOf(r.telecom, 'email')),
  address: S((r) => addressParts(r.address)),
  'address-city': S((r) => each(r.address, (a: A) => a.city)),
  'address-state': S((r) => each(r.address, (a: A) => a.state)),
  'address-postalcode': S((r) => each(r.address, (a: A) => a.postalCode)),
  'address-country': S((r) => each(r.address, (a: A) => a.country)),
};

const ACTORS = ['Patient', 'Practitioner', 'PractitionerRole', 'RelatedPerson', 'Device', 'HealthcareService', 'Location'];

export const SEARCH_PARAMS: Record<string, Record<string, ParamDef>> = {
  Patient: {
    ...PERSON,
    birthdate: D((r) => r.birthDate),
    'death-date': D((r) => r.deceasedDateTime),
    language: T((r) => each(r.communication, (c: A) => c.language)),
    'general-practitioner': R(['Practitioner', 'Organization', 'PractitionerRole'], (r) => r.generalPractitioner),
    organization: R(['Organization'], (r) => r.managingOrganization),
    link: R(['Patient', 'RelatedPerson'], (r) => each(r.link, (l: A) => l.other)),
  },
  Practitioner: {
    ...PERSON,
    communication: T((r) => r.communication),
  },
  PractitionerRole: {
    practitioner: R(['Practitioner'], (r) => r.practitioner),
    organization: R(['Organization'], (r) => r.organization),
    location: R(['Location'], (r) => r.location),
    service: R(['HealthcareService'], (r) => r.healthcareService),
    role: T((r) => r.code),
    specialty: T((r) => r.specialty),
    identifier: T((r) => r.identifier),
    active: T((r) => r.active),
    email: T((r) => telecomOf(r.telecom, 'email')),
    phone: T((r) => telecomOf(r.telecom, 'phone')),
    telecom: T((r) => r.telecom),
    date: D((r) => r.period),
  },
  Organization: {
    name: S((r) => [r.name, r.alias]),
    identifier: T((r) => r.identifier),
    active: T((r) => r.active),
    type: T((r) => r.type),
    partof: R(['Organization'], (r) => r.partOf),
    address: S((r) => addressParts(r.address)),
    'address-city': S((r) => each(r.address, (a: A) => a.city)),
    'address-postalcode': S((r) => each(r.address, (a: A) => a.postalCode)),
  },
  Location: {
    name: S((r) => [r.name, r.alias]),
    identifier: T((r) => r.identifier),
    status: T((r) => r.status),
    'operational-status': T((r) => r.operationalStatus),
    type: T((r) => r.type),
    organization: R(['Organization'], (r) => r.managingOrganization),
    partof: R(['Location'], (r) => r.partOf),
    address: S((r) => addressParts(r.address)),
    'address-city': S((r) => r.address?.city),
    'address-postalcode': S((r) => r.address?.postalCode),
  },
  Schedule: {
    actor: R(ACTORS, (r) => r.actor),
    active: T((r) => r.active),
    date: D((r) => r.planningHorizon),
    identifier: T((r) => r.identifier),
    'service-type': T((r) => r.serviceType),
    'service-category': T((r) => r.serviceCategory),
    specialty: T((r) => r.specialty),
  },
  Slot: {
    schedule: R(['Schedule'], (r) => r.schedule),
    start: D((r) => r.start),
    end: D((r) => r.end),
    status: T((r) => r.status),
    identifier: T((r) => r.identifier),
    'service-type': T((r) => r.serviceType),
    'service-category': T((r) => r.serviceCategory),
    specialty: T((r) => r.specialty),
    'appointment-type': T((r) => r.appointmentType),
  },
  Appointment: {
    actor: R(ACTORS, (r) => each(r.participant, (p: A) => p.actor)),
    patient: R(['Patient'], (r) => refsOfType(each(r.participant, (p: A) => p.actor), 'Patient')),
    practitioner: R(['Practitioner'], (r) => refsOfType(each(r.participant, (p: A) => p.actor), 'Practitioner')),
    location: R(['Location'], (r) => refsOfType(each(r.participant, (p: A) => p.actor), 'Location')),
    'part-status': T((r) => each(r.participant, (p: A) => p.status)),
    date: D((r) => r.start),
    status: T((r) => r.status),
    slot: R(['Slot'], (r) => r.slot),
    identifier: T((r) => r.identifier),
    'service-type': T((r) => r.serviceType),
    'service-category': T((r) => r.serviceCategory),
    specialty: T((r) => r.specialty),
    'appointment-type': T((r) => r.appointmentType),
    'reason-code': T((r) => r.reasonCode),
    'based-on': R(['ServiceRequest'], (r) => r.basedOn),
  },
  Encounter: {
    patient: R(['Patient'], (r) => refsOfType(r.subject, 'Patient')),
    subject: R(['Patient', 'Group'], (r) => r.subject),
    status: T((r) => r.status),
    class: T((r) => r.class),
    type: T((r) => r.type),
    date: D((r) => r.period),
    'length': Q((r) => r.length),
    identifier: T((r) => r.identifier),
    participant: R(['Practitioner', 'PractitionerRole', 'RelatedPerson'], (r) => each(r.participant, (p: A) => p.individual)),
    practitioner: R(['Practitioner'], (r) => refsOfType(each(r.participant, (p: A) => p.individual), 'Practitioner')),
    'participant-type': T((r) => each(r.participant, (p: A) => p.type)),
    appointment: R(['Appointment'], (r) => r.appointment),
    location: R(['Location'], (r) => each(r.location, (l: A) => l.location)),
    'service-provider': R(['Organization'], (r) => r.serviceProvider),
    'reason-code': T((r) => r.reasonCode),
    'part-of': R(['Encounter'], (r) => r.partOf),
  },
  Observation: {
    patient: R(['Patient'], (r) => refsOfType(r.subject, 'Patient')),
    subject: R(['Patient', 'Group', 'Device', 'Location'], (r) => r.subject),
    encounter: R(['Encounter'], (r) => r.encounter),
    performer: R(['Practitioner', 'PractitionerRole', 'Organization', 'Patient', 'RelatedPerson'], (r) => r.performer),
    'has-member': R(['Observation'], (r) => r.hasMember),
    'derived-from': R(['Observation', 'DocumentReference'], (r) => r.derivedFrom),
    code: T((r) => r.code),
    category: T((r) => r.category),
    status: T((r) => r.status),
    identifier: T((r) => r.identifier),
    method: T((r) => r.method),
    date: D((r) => [r.effectiveDateTime, r.effectivePeriod, r.effectiveInstant]),
    issued: D((r) => r.issued),
    'value-quantity': Q((r) => r.valueQuantity),
    'value-concept': T((r) => r.valueCodeableConcept),
    'value-string': S((r) => r.valueString),
    'value-date': D((r) => [r.valueDateTime, r.valuePeriod]),
    'component-code': T((r) => each(r.component, (c: A) => c.code)),
    'component-value-quantity': Q((r) => each(r.component, (c: A) => c.valueQuantity)),
    'combo-code': T((r) => [r.code, each(r.component, (c: A) => c.code)]),
    'combo-value-quantity': Q((r) => [r.valueQuantity, each(r.component, (c: A) => c.valueQuantity)]),
    'data-absent-reason': T((r) => r.dataAbsentReason),
  },
  DocumentReference: {
    patient: R(['Patient'], (r) => refsOfType(r.subject, 'Patient')),
    subject: R(['Patient', 'Practitioner', 'Group', 'Device'], (r) => r.subject),
    status: T((r) => r.status),
    docstatus: T((r) => r.docStatus),
    type: T((r) => r.type),
    category: T((r) => r.category),
    date: D((r) => r.date),
    period: D((r) => r.context?.period),
    encounter: R(['Encounter', 'EpisodeOfCare'], (r) => r.context?.encounter),
    author: R(['Practitioner', 'PractitionerRole', 'Organization', 'Patient', 'Device', 'RelatedPerson'], (r) => r.author),
    authenticator: R(['Practitioner', 'PractitionerRole', 'Organization'], (r) => r.authenticator),
    custodian: R(['Organization'], (r) => r.custodian),
    relatesto: R(['DocumentReference'], (r) => each(r.relatesTo, (x: A) => x.target)),
    relation: T((r) => each(r.relatesTo, (x: A) => x.code)),
    identifier: T((r) => [r.masterIdentifier, r.identifier]),
    description: S((r) => r.description),
    contenttype: T((r) => each(r.content, (c: A) => c.attachment?.contentType)),
    language: T((r) => each(r.content, (c: A) => c.attachment?.language)),
    format: T((r) => each(r.content, (c: A) => c.format)),
    'security-label': T((r) => r.securityLabel),
  },
  RiskAssessment: {
    patient: R(['Patient'], (r) => refsOfType(r.subject, 'Patient')),
    subject: R(['Patient', 'Group'], (r) => r.subject),
    probability: N((r) => each(r.prediction, (p: A) => p.probabilityDecimal)),
    status: T((r) => r.status),
    date: D((r) => r.occurrenceDateTime),
  },
  Provenance: {
    target: R(['*'], (r) => r.target),
    patient: R(['Patient'], (r) => refsOfType(r.target, 'Patient')),
    agent: R(['Practitioner', 'PractitionerRole', 'Organization', 'Patient', 'Device', 'RelatedPerson'], (r) => each(r.agent, (a: A) => a.who)),
    recorded: D((r) => r.recorded),
  },
};

/** Parameters every resource type supports. */
export const COMMON_PARAMS: Record<string, ParamDef> = {
  _id: T((r) => r.id),
  _lastUpdated: D((r) => r.meta?.lastUpdated),
  _tag: T((r) => r.meta?.tag),
  _security: T((r) => r.meta?.security),
  _profile: U((r) => r.meta?.profile),
  _source: U((r) => r.meta?.source),
};

export function paramDef(type: string, name: string): ParamDef | undefined {
  return COMMON_PARAMS[name] ?? SEARCH_PARAMS[type]?.[name];
}

/** Result and control parameters (not filters). */
export const CONTROL_PARAMS = new Set([
  '_sort', '_count', '_offset', '_total', '_summary', '_elements', '_include', '_revinclude',
  '_format', '_pretty', '_contained', '_containedType',
]);
