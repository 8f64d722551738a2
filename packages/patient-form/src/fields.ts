/**
 * What the form's first paint needs: the flat form state, its fields and sections, the coded
 * choices the selects offer, and the shared state the lazily loaded flow (`flow.ts`) works on.
 * Mapping to and from FHIR (`model.ts`) and the rules (`validation.ts`) load with the flow.
 */
import type { Patient } from '@medplum/fhirtypes';
import type { FhirClient } from '@ehr-kit/fhir-client';
import type { AuthState, UserMessage } from '@ehr-kit/core/element';

/** Every value the form edits, as the strings the inputs hold. */
export interface PatientFormState {
  given: string;
  middle: string;
  family: string;
  suffix: string;
  preferred: string;
  birthDate: string;
  gender: string;
  phone: string;
  phoneUse: string;
  phone2: string;
  phone2Use: string;
  email: string;
  line1: string;
  line2: string;
  city: string;
  state: string;
  postalCode: string;
  country: string;
  language: string;
  contactName: string;
  contactRelationship: string;
  contactPhone: string;
  /** OMB race codes, space-separated (several may apply). */
  race: string;
  ethnicity: string;
  birthSex: string;
}
export type FieldKey = keyof PatientFormState;

/** Sections the `fields` attribute chooses between, and the fields each one holds (in form order). */
export const SECTIONS = {
  name: ['given', 'middle', 'family', 'suffix', 'preferred'],
  'birth-date': ['birthDate'],
  gender: ['gender'],
  phone: ['phone', 'phoneUse', 'phone2', 'phone2Use'],
  email: ['email'],
  address: ['line1', 'line2', 'city', 'state', 'postalCode', 'country'],
  language: ['language'],
  contact: ['contactName', 'contactRelationship', 'contactPhone'],
  race: ['race'],
  ethnicity: ['ethnicity'],
  'birth-sex': ['birthSex'],
} satisfies Record<string, FieldKey[]>;
export type SectionKey = keyof typeof SECTIONS;
export const SECTION_KEYS = Object.keys(SECTIONS) as SectionKey[];
export const FIELD_KEYS = Object.values(SECTIONS).flat() as FieldKey[];
/** A clinic intake: everything but the optional US Core demographics. */
export const DEFAULT_SECTIONS: SectionKey[] = ['name', 'birth-date', 'gender', 'phone', 'email', 'address', 'language', 'contact'];
export const DEFAULT_REQUIRED: SectionKey[] = ['name', 'birth-date', 'gender'];
/** US Core Patient requires a name and a gender, so those sections are always shown. */
export const ALWAYS_SHOWN: SectionKey[] = ['name', 'gender'];

/** Main fields a required section must have. */
export const REQUIRED_FIELDS: Partial<Record<SectionKey, FieldKey[]>> = {
  name: ['given', 'family'],
  'birth-date': ['birthDate'],
  gender: ['gender'],
  phone: ['phone'],
  email: ['email'],
  address: ['line1', 'city', 'postalCode', 'country'],
  language: ['language'],
  contact: ['contactName', 'contactPhone'],
  race: ['race'],
  ethnicity: ['ethnicity'],
  'birth-sex': ['birthSex'],
};

export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
export const PHONE_USES = ['mobile', 'home', 'work'] as const;
export const BIRTH_SEX_CODES = ['F', 'M', 'UNK'] as const;
/** OMB race categories, then the two null flavours US Core allows (English displays: model.ts). */
export const RACES = ['1002-5', '2028-9', '2054-5', '2076-8', '2106-3', 'UNK', 'ASKU'];
/** OMB ethnicity categories, then the null flavours. */
export const ETHNICITIES = ['2135-2', '2186-5', 'UNK', 'ASKU'];
/** Languages offered in the picker (BCP 47 → endonym). A loaded code not in the list is kept. */
export const LANGUAGES: Record<string, string> = {
  en: 'English',
  es: 'Español',
  zh: '中文',
  vi: 'Tiếng Việt',
  ar: 'العربية',
  fr: 'Français',
  ht: 'Kreyòl ayisyen',
  ko: '한국어',
  ru: 'Русский',
  pt: 'Português',
  tl: 'Tagalog',
  de: 'Deutsch',
};

export function emptyState(): PatientFormState {
  const s = Object.fromEntries(FIELD_KEYS.map((k) => [k, ''])) as unknown as PatientFormState;
  s.phoneUse = 'mobile';
  s.phone2Use = 'home';
  return s;
}

/** Parses a space/comma separated token list (attribute value) keeping only known tokens. */
export function parseSections(value: string | null | undefined, fallback: SectionKey[], always: SectionKey[] = []): SectionKey[] {
  const tokens = value == null ? fallback : value.split(/[\s,]+/).filter((t): t is SectionKey => t in SECTIONS);
  return [...new Set([...always, ...tokens])];
}

/** Today's date as YYYY-MM-DD in the user's time zone. */
export function localToday(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

/** The earliest birth date accepted (and offered by the date picker): 130 years before `today`. */
export function oldestBirthDate(today = localToday()): string {
  return `${String(Number(today.slice(0, 4)) - 130).padStart(4, '0')}${today.slice(4)}`;
}

// ---- the state the element and its lazily loaded flow share -------------------------------------

export type Phase = 'editing' | 'checking' | 'duplicate' | 'saving' | 'saved' | 'conflict';
export interface Conflict {
  latest: Patient;
  theirs: PatientFormState;
  fields: FieldKey[];
  keep: Partial<Record<FieldKey, 'mine' | 'theirs'>>;
}

/** Everything the form holds between renders. The flow changes it, then calls `host.update()`. */
export interface FormState {
  values: PatientFormState;
  /** The values as last loaded or saved. */
  initial: PatientFormState;
  /** The resource as last loaded or saved; what an edit starts from. */
  base?: Patient;
  phase: Phase;
  /** Show every error (after a save was tried), not only those of fields already left. */
  showAll: boolean;
  touched: Set<FieldKey>;
  serverErrors: Partial<Record<FieldKey, string>>;
  failure?: UserMessage & { retry?: () => void };
  duplicates: Patient[];
  conflict?: Conflict;
  /** The date field holds something that is not a date (the browser reports an empty value). */
  badDate: boolean;
  /** The conditional-create key: made once per new patient, reused by every retry. */
  intakeKey: string;
  /** The family|birthDate the user already chose to create despite a likely duplicate. */
  acknowledged: string;
}

/** What the lazily loaded flow may use of the element. */
export interface FlowHost {
  readonly s: FormState;
  readonly fhir: FhirClient | undefined;
  readonly session: AuthState | undefined;
  readonly sections: SectionKey[];
  readonly required: SectionKey[];
  readonly defaultCountry: string;
  readonly noDuplicateCheck: boolean;
  label(key: FieldKey): string;
  option(key: FieldKey, code: string): string;
  emit(patient: Patient, created: boolean): void;
  fail(error: unknown, operation: string): UserMessage;
  save(): Promise<void>;
  /** Re-renders; resolves once rendered. */
  update(): Promise<unknown>;
  /** Moves focus to the first element `selector` matches, once rendered. */
  focus(selector: string): Promise<void>;
}
