// Write validation: resourceType, id, required elements for the types the kit writes, code value
// sets the kit relies on, and R4 primitive formats (by element name, since this server carries no
// StructureDefinitions). Failures are 400 OperationOutcomes whose issues name the `expression`.
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { ELEMENT_TABLE } from './elements.generated.ts';
import { FhirHttpError, PRIMITIVE, type Res } from './util.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type A = any;

/** Every R4 (4.0.1) resource type. */
export const RESOURCE_TYPES = new Set(
  (
    'Account ActivityDefinition AdverseEvent AllergyIntolerance Appointment AppointmentResponse AuditEvent Basic Binary ' +
    'BiologicallyDerivedProduct BodyStructure Bundle CapabilityStatement CarePlan CareTeam CatalogEntry ChargeItem ' +
    'ChargeItemDefinition Claim ClaimResponse ClinicalImpression CodeSystem Communication CommunicationRequest ' +
    'CompartmentDefinition Composition ConceptMap Condition Consent Contract Coverage CoverageEligibilityRequest ' +
    'CoverageEligibilityResponse DetectedIssue Device DeviceDefinition DeviceMetric DeviceRequest DeviceUseStatement ' +
    'DiagnosticReport DocumentManifest DocumentReference EffectEvidenceSynthesis Encounter Endpoint EnrollmentRequest ' +
    'EnrollmentResponse EpisodeOfCare EventDefinition Evidence EvidenceVariable ExampleScenario ExplanationOfBenefit ' +
    'FamilyMemberHistory Flag Goal GraphDefinition Group GuidanceResponse HealthcareService ImagingStudy Immunization ' +
    'ImmunizationEvaluation ImmunizationRecommendation ImplementationGuide InsurancePlan Invoice Library Linkage List ' +
    'Location Measure MeasureReport Media Medication MedicationAdministration MedicationDispense MedicationKnowledge ' +
    'MedicationRequest MedicationStatement MedicinalProduct MedicinalProductAuthorization MedicinalProductContraindication ' +
    'MedicinalProductIndication MedicinalProductIngredient MedicinalProductInteraction MedicinalProductManufactured ' +
    'MedicinalProductPackaged MedicinalProductPharmaceutical MedicinalProductUndesirableEffect MessageDefinition ' +
    'MessageHeader MolecularSequence NamingSystem NutritionOrder Observation ObservationDefinition OperationDefinition ' +
    'OperationOutcome Organization OrganizationAffiliation Parameters Patient PaymentNotice PaymentReconciliation Person ' +
    'PlanDefinition Practitioner PractitionerRole Procedure Provenance Questionnaire QuestionnaireResponse RelatedPerson ' +
    'RequestGroup ResearchDefinition ResearchElementDefinition ResearchStudy ResearchSubject RiskAssessment ' +
    'RiskEvidenceSynthesis Schedule SearchParameter ServiceRequest Slot Specimen SpecimenDefinition StructureDefinition ' +
    'StructureMap Subscription Substance SubstanceNucleicAcid SubstancePolymer SubstanceProtein ' +
    'SubstanceReferenceInformation SubstanceSourceMaterial SubstanceSpecification SupplyDelivery SupplyRequest Task ' +
    'TerminologyCapabilities TestReport TestScript ValueSet VerificationResult VisionPrescription'
  ).split(' '),
);

/** Required elements (min 1) for the types the kit writes. */
const REQUIRED: Record<string, string[]> = {
  Observation: ['status', 'code'],
  Appointment: ['status', 'participant'],
  Slot: ['schedule', 'status', 'start', 'end'],
  Schedule: ['actor'],
  DocumentReference: ['status', 'content'],
  Encounter: ['status', 'class'],
};

/** Required-binding value sets the kit relies on, by "Type.path". */
const CODES: Record<string, string[]> = {
  'Patient.gender': ['male', 'female', 'other', 'unknown'],
  'Practitioner.gender': ['male', 'female', 'other', 'unknown'],
  'Observation.status': ['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown'],
  'Appointment.status': ['proposed', 'pending', 'booked', 'arrived', 'fulfilled', 'cancelled', 'noshow', 'entered-in-error', 'checked-in', 'waitlist'],
  'Appointment.participant.status': ['accepted', 'declined', 'tentative', 'needs-action'],
  'Slot.status': ['busy', 'free', 'busy-unavailable', 'busy-tentative', 'entered-in-error'],
  'DocumentReference.status': ['current', 'superseded', 'entered-in-error'],
  'DocumentReference.docStatus': ['preliminary', 'final', 'amended', 'entered-in-error'],
  'DocumentReference.relatesTo.code': ['replaces', 'transforms', 'signs', 'appends'],
  'Encounter.status': ['planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'cancelled', 'entered-in-error', 'unknown'],
};

/** Element names whose type is fixed wherever they appear (beyond the name-suffix rules). */
const BY_NAME: Record<string, string> = {
  birthDate: 'date',
  lastUpdated: 'instant',
  issued: 'instant',
  recorded: 'instant',
  system: 'uri',
  url: 'uri',
  profile: 'uri',
  status: 'code',
  gender: 'code',
  use: 'code',
  language: 'code',
  contentType: 'code',
  start: 'dateTime',
  end: 'dateTime',
  date: 'dateTime',
  active: 'boolean',
  minutesDuration: 'positiveInt',
  priority: 'unsignedInt',
  rank: 'positiveInt',
  size: 'unsignedInt',
  data: 'base64',
};

/** Per-type overrides where the same name has a stricter type. */
const BY_PATH: Record<string, string> = {
  'Slot.start': 'instant',
  'Slot.end': 'instant',
  'Appointment.start': 'instant',
  'Appointment.end': 'instant',
  'DocumentReference.date': 'instant',
  'Patient.multipleBirthBoolean': 'boolean',
};

function kindOf(path: string, key: string, parentIsQuantity: boolean): string | undefined {
  if (BY_PATH[path]) return BY_PATH[path];
  if (key === 'value' && parentIsQuantity) return 'decimal';
  if (key === 'code' && !path.endsWith('.code.code')) return 'code';
  if (key.endsWith('DateTime')) return 'dateTime';
  if (key.endsWith('Instant')) return 'instant';
  if (key.endsWith('Boolean')) return 'boolean';
  if (key.endsWith('Integer')) return 'integer';
  if (key.endsWith('Decimal')) return 'decimal';
  if (key.endsWith('Date') && key !== 'valueDate') return 'date';
  if (key === 'valueDate') return 'date';
  return BY_NAME[key];
}

const digit = (s: string, i: number) => {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
};
const INSTANT_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
const two = (s: string, i: number) => (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48;

/**
 * "YYYY-MM-DDThh:mm:ss[.f…]Z" with every field in range: what the instant and dateTime patterns accept in
 * that shape, checked without the regular expression (the usual form; anything else goes to the pattern).
 */
function isUtcInstant(s: string): boolean {
  const n = s.length;
  if (n < 20 || s.charCodeAt(n - 1) !== 90 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 ||
    s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  for (let k = 0; k < INSTANT_DIGITS.length; k++) if (!digit(s, INSTANT_DIGITS[k]!)) return false;
  if (n > 20) {
    if (n === 21 || s.charCodeAt(19) !== 46) return false;
    for (let i = 20; i < n - 1; i++) if (!digit(s, i)) return false;
  } else if (n !== 20) return false;
  const month = two(s, 5);
  const day = two(s, 8);
  const second = two(s, 17);
  return s.slice(0, 4) !== '0000' && month >= 1 && month <= 12 && day >= 1 && day <= 31 && two(s, 11) <= 23 && two(s, 14) <= 59 && second <= 60;
}

function checkPrimitive(kind: string, v: unknown): string | undefined {
  switch (kind) {
    case 'boolean':
      return typeof v === 'boolean' ? undefined : 'must be a JSON boolean';
    case 'integer':
      return Number.isInteger(v) ? undefined : 'must be a JSON integer';
    case 'positiveInt':
      return Number.isInteger(v) && (v as number) > 0 ? undefined : 'must be a positive integer';
    case 'unsignedInt':
      return Number.isInteger(v) && (v as number) >= 0 ? undefined : 'must be a non-negative integer';
    case 'decimal':
      return typeof v === 'number' && Number.isFinite(v) ? undefined : 'must be a JSON number';
    default: {
      if (typeof v !== 'string') return `must be a string (${kind})`;
      if ((kind === 'instant' || kind === 'dateTime') && isUtcInstant(v)) return undefined;
      const re = PRIMITIVE[kind];
      if (re && !re.test(v)) return `is not a valid ${kind}: '${v.length > 40 ? v.slice(0, 40) + '…' : v}'`;
      return undefined;
    }
  }
}

/** Throws a 400 OperationOutcome listing every problem found. */
export function validateResource(r: unknown, expectedType?: string): asserts r is Res {
  const issues: OperationOutcomeIssue[] = [];
  const add = (expression: string, diagnostics: string, code: OperationOutcomeIssue['code'] = 'invalid') =>
    issues.push({ severity: 'error', code, diagnostics, details: { text: diagnostics }, expression: [expression] });

  if (!r || typeof r !== 'object' || Array.isArray(r)) {
    throw new FhirHttpError(400, {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'structure', diagnostics: 'The body is not a FHIR resource (JSON object)' }],
    });
  }
  const res = r as A;
  const type = res.resourceType;
  if (typeof type !== 'string' || !RESOURCE_TYPES.has(type)) {
    add('resourceType', `Unknown or missing resourceType '${String(type)}'`, 'structure');
    throw new FhirHttpError(400, { resourceType: 'OperationOutcome', issue: issues });
  }
  if (expectedType && type !== expectedType) {
    add('resourceType', `resourceType '${type}' does not match the URL (${expectedType})`);
  }
  if (res.id !== undefined && (typeof res.id !== 'string' || !PRIMITIVE.id!.test(res.id))) {
    add(`${type}.id`, `id is not a valid FHIR id: '${String(res.id)}'`);
  }
  for (const el of REQUIRED[type] ?? []) {
    const v = res[el];
    if (v === undefined || (Array.isArray(v) && v.length === 0)) add(`${type}.${el}`, `${type}.${el} is required`, 'required');
  }
  if (type === 'Appointment' && Array.isArray(res.participant)) {
    for (let i = 0; i < res.participant.length; i++) {
      const p = res.participant[i];
      if (!p?.status) add(`Appointment.participant[${i}].status`, 'Appointment.participant.status is required', 'required');
      if (!p?.actor && !p?.type) add(`Appointment.participant[${i}]`, 'A participant needs an actor or a type (app-1)', 'invariant');
    }
  }
  if (type === 'DocumentReference') {
    (Array.isArray(res.content) ? res.content : []).forEach((c: A, i: number) => {
      if (!c?.attachment) add(`DocumentReference.content[${i}].attachment`, 'content.attachment is required', 'required');
    });
  }
  if (OWNERS.has(type)) walkTyped(res, type, type, issues, true);
  else walk(res, type, type, issues, false);

  // business rules the kit relies on
  if ((type === 'Slot' || type === 'Appointment') && typeof res.start === 'string' && typeof res.end === 'string' && endsBeforeStart(res.start, res.end)) {
    add(`${type}.end`, `${type}.end is before ${type}.start`, 'invariant');
  }
  if (issues.length) throw new FhirHttpError(400, { resourceType: 'OperationOutcome', issue: issues });
}

/**
 * Date.parse(end) < Date.parse(start). Two UTC instants of the same shape ("…T…Z", same length) that are
 * in order as strings are in order in time, so the usual case needs no parsing (anything else is parsed).
 */
function endsBeforeStart(start: string, end: string): boolean {
  if (start.length === end.length && start.length >= 20 && start.charCodeAt(start.length - 1) === 90 && end.charCodeAt(end.length - 1) === 90 &&
    start.charCodeAt(10) === 84 && end.charCodeAt(10) === 84 && end >= start) {
    return false;
  }
  return Date.parse(end) < Date.parse(start);
}

function walk(node: A, path: string, expr: string, issues: OperationOutcomeIssue[], isQuantity: boolean): void {
  const add = (e: string, d: string) =>
    issues.push({ severity: 'error', code: 'value', diagnostics: d, details: { text: d }, expression: [e] });
  for (const key of Object.keys(node)) {
    if (key === 'resourceType' && path.indexOf('.') < 0) continue;
    if (key === 'contained' && Array.isArray(node[key])) continue;
    const value = node[key];
    const p = `${path}.${key}`;
    const list = Array.isArray(value) ? value : [value];
    if (Array.isArray(value) && value.length === 0) {
      add(`${expr}.${key}`, `${p}: arrays must not be empty`);
      continue;
    }
    list.forEach((v: A, i: number) => {
      const e = Array.isArray(value) ? `${expr}.${key}[${i}]` : `${expr}.${key}`;
      if (v === null) return add(e, `${p}: null is not allowed`);
      if (typeof v === 'object') {
        if (Object.keys(v).length === 0) return add(e, `${p}: empty objects are not allowed`);
        if (key === 'extension' || key === 'modifierExtension') {
          if (typeof v.url !== 'string' || !v.url) add(e, `${p}: an extension needs a url`);
        }
        const q = key.endsWith('Quantity') || key === 'quantity' || key === 'low' || key === 'high' || key === 'length' ||
          (typeof v.value === 'number' && ('unit' in v || 'code' in v));
        walk(v, p, e, issues, q);
        return;
      }
      if (typeof v === 'string' && v.trim() === '' ) return add(e, `${p}: strings must not be empty`);
      const kind = kindOf(p, key, isQuantity);
      if (kind) {
        const problem = checkPrimitive(kind, v);
        if (problem) return add(e, `${p} ${problem}`);
      } else if (key === 'value' && isQuantity) {
        if (typeof v !== 'number') add(e, `${p} must be a JSON number`);
      }
      const allowed = CODES[p];
      if (allowed && typeof v === 'string' && !allowed.includes(v)) add(e, `${p} '${v}' is not in the required value set (${allowed.join(', ')})`);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Typed walk for the types in elements.generated.ts: unknown elements, arrays vs single values,
// primitive formats by their declared type, and the value sets above.

interface ElementSpec {
  types: string[];
  many: boolean;
}

const ELEMENTS = new Map<string, ElementSpec>();
const CHOICES = new Map<string, Array<{ base: string; types: string[] }>>();
const OWNERS = new Set<string>();
for (const line of ELEMENT_TABLE.split('\n')) {
  const eq = line.indexOf('=');
  if (eq < 0) continue;
  const path = line.slice(0, eq);
  let spec = line.slice(eq + 1);
  const many = spec.endsWith('*');
  if (many) spec = spec.slice(0, -1);
  const types = spec.split('|');
  const dot = path.lastIndexOf('.');
  const owner = path.slice(0, dot);
  const name = path.slice(dot + 1);
  OWNERS.add(path.slice(0, path.indexOf('.')));
  if (name.endsWith('[x]')) {
    let list = CHOICES.get(owner);
    if (!list) CHOICES.set(owner, (list = []));
    list.push({ base: name.slice(0, -3), types });
  } else ELEMENTS.set(path, { types, many });
}

const PRIMITIVE_KIND: Record<string, string> = {
  string: 'string', markdown: 'string', code: 'code', id: 'id', uri: 'uri', url: 'uri', canonical: 'uri', oid: 'uri', uuid: 'uri',
  base64Binary: 'base64', boolean: 'boolean', integer: 'integer', positiveInt: 'positiveInt', unsignedInt: 'unsignedInt',
  decimal: 'decimal', date: 'date', dateTime: 'dateTime', instant: 'instant', time: 'time', xhtml: 'string',
};

function lookup(owner: string, key: string): { type: string; many: boolean } | undefined {
  const spec = ELEMENTS.get(`${owner}.${key}`);
  if (spec) return { type: spec.types[0]!, many: spec.many };
  for (const c of CHOICES.get(owner) ?? []) {
    if (!key.startsWith(c.base) || key.length === c.base.length) continue;
    const suffix = key.slice(c.base.length);
    const t = c.types.find((x) => x.charAt(0).toUpperCase() + x.slice(1) === suffix);
    if (t) return { type: t, many: false };
  }
  return undefined;
}

/** An element of an owner type, with everything the walk needs worked out once (per owner and key). */
interface Compiled {
  type: string;
  many: boolean;
  /** Primitive kind (PRIMITIVE_KIND), or undefined for complex types. */
  kind: string | undefined;
  /** Required value set for a code. */
  allowed: string[] | undefined;
  /** The owner to descend into for a complex value, and whether it has a typed table. */
  child: string;
  typedChild: boolean;
}
const compiledTables = new Map<string, Map<string, Compiled | null>>();
function compiled(owner: string, key: string): Compiled | null {
  let table = compiledTables.get(owner);
  if (!table) compiledTables.set(owner, (table = new Map()));
  let c = table.get(key);
  if (c === undefined) {
    const spec = lookup(owner, key);
    if (!spec) c = null;
    else {
      const resourceType = owner.split('.')[0]!;
      const child =
        spec.type === 'BackboneElement' || spec.type === 'Element'
          ? `${owner}.${key}`
          : spec.type.startsWith('#')
            ? `${resourceType}.${spec.type.slice(1)}`
            : spec.type;
      c = {
        type: spec.type,
        many: spec.many,
        kind: PRIMITIVE_KIND[spec.type],
        allowed: CODES[`${owner}.${key}`],
        child,
        typedChild: ELEMENTS.has(`${child}.id`) || ELEMENTS.has(`${child}.extension`) || CHOICES.has(child),
      };
    }
    // unknown keys are not remembered unless the table is small (junk input must not grow it forever)
    if (c || table.size < 256) table.set(key, c);
  }
  return c;
}

const isEmptyObject = (v: object): boolean => {
  for (const _ in v) return false;
  return true;
};

function typedIssue(issues: OperationOutcomeIssue[], e: string, d: string, code: OperationOutcomeIssue['code'] = 'value'): void {
  issues.push({ severity: 'error', code, diagnostics: d, details: { text: d }, expression: [e] });
}

function walkTyped(node: A, owner: string, expr: string, issues: OperationOutcomeIssue[], isRoot: boolean): void {
  for (const key in node) {
    if (!Object.prototype.hasOwnProperty.call(node, key)) continue;
    if (isRoot && key === 'resourceType') continue;
    const value = node[key];
    if (key.charCodeAt(0) === 95 /* _ */) {
      if (!compiled(owner, key.slice(1))) typedIssue(issues, `${expr}.${key}`, `Unknown element '${key}' in ${owner}`, 'structure');
      continue;
    }
    const spec = compiled(owner, key);
    if (!spec) {
      typedIssue(issues, `${expr}.${key}`, `Unknown element '${key}' in ${owner}`, 'structure');
      continue;
    }
    if (Array.isArray(value)) {
      if (!spec.many) {
        typedIssue(issues, `${expr}.${key}`, `${owner}.${key} is a single value, not an array`, 'structure');
        continue;
      }
      if (value.length === 0) {
        typedIssue(issues, `${expr}.${key}`, `${owner}.${key}: arrays must not be empty`);
        continue;
      }
      for (let i = 0; i < value.length; i++) typedValue(value[i], spec, owner, key, expr, i, issues);
    } else if (spec.many) {
      typedIssue(issues, `${expr}.${key}`, `${owner}.${key} must be an array`, 'structure');
    } else typedValue(value, spec, owner, key, expr, -1, issues);
  }
}

/** The expression of element `key` (item `i`, or -1 for a single value) under `expr`: built only when needed (an issue, or a child to walk). */
const ie = (expr: string, key: string, i: number) => (i < 0 ? `${expr}.${key}` : `${expr}.${key}[${i}]`);

function typedValue(v: A, spec: Compiled, owner: string, key: string, expr: string, i: number, issues: OperationOutcomeIssue[]): void {
  if (v === null) return typedIssue(issues, ie(expr, key, i), `${owner}.${key}: null is not allowed`);
  const kind = spec.kind;
  if (kind) {
    if (typeof v === 'string' && v.trim() === '') return typedIssue(issues, ie(expr, key, i), `${owner}.${key}: strings must not be empty`);
    if (kind === 'string') {
      if (typeof v !== 'string') typedIssue(issues, ie(expr, key, i), `${owner}.${key} must be a string`);
    } else {
      const problem = checkPrimitive(kind, v);
      if (problem) return typedIssue(issues, ie(expr, key, i), `${owner}.${key} ${problem}`);
    }
    const allowed = spec.allowed;
    if (allowed && typeof v === 'string' && !allowed.includes(v)) {
      typedIssue(issues, ie(expr, key, i), `${owner}.${key} '${v}' is not in the required value set (${allowed.join(', ')})`);
    }
    return;
  }
  if (typeof v !== 'object' || Array.isArray(v)) return typedIssue(issues, ie(expr, key, i), `${owner}.${key} must be a JSON object`, 'structure');
  if (isEmptyObject(v)) return typedIssue(issues, ie(expr, key, i), `${owner}.${key}: empty objects are not allowed`);
  if (spec.type === 'Resource') return; // contained: checked when it is written on its own
  if (spec.type === 'Extension' && (typeof v.url !== 'string' || !v.url)) typedIssue(issues, ie(expr, key, i), `${owner}.${key}: an extension needs a url`);
  if (spec.typedChild) walkTyped(v, spec.child, ie(expr, key, i), issues, false);
  else walk(v, `${owner}.${key}`, ie(expr, key, i), issues, spec.type === 'Quantity');
}
