/**
 * The form itself, loaded on demand by `<ehr-patient-form>` (patient-form.ts is only the shell:
 * properties, client, the load Task, skeleton and error). Started when the first element is made,
 * in parallel with its first request; the element's Task waits for it, so the form appears as soon
 * as its data (none, when creating) is there. It holds the form's state, fields, handlers, and
 * core's styles with its own (adopted when it arrives), and loads the rules and saving (flow.ts)
 * after first paint.
 */
import { adoptStyles, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import type { Patient } from '@medplum/fhirtypes';
import type { FhirClient } from '@ehr-kit/fhir-client';
import { newUrnUuid } from '@ehr-kit/fhir-client';
// Core by subpath, never the barrel: esbuild would put what only the view uses in the eager file.
import { getEhrLocale, renderError, type AuthState, type UserMessage } from '@ehr-kit/core/element';
import { fieldStyles, renderErrorSummary, renderField, renderFieldset } from '@ehr-kit/core/forms';
import { formatFhirDate } from '@ehr-kit/core/format';
import { alertStyles, buttonStyles, hostStyles, inputStyles, skeletonStyles, tokens } from '@ehr-kit/core/styles';
import {
  ALWAYS_SHOWN, BIRTH_SEX_CODES, DEFAULT_REQUIRED, DEFAULT_SECTIONS, ETHNICITIES, FIELD_KEYS, GENDERS, LANGUAGES,
  PHONE_USES, RACES, REQUIRED_FIELDS, SECTIONS, emptyState, localToday, oldestBirthDate, parseSections,
  type FieldKey, type FlowHost, type FormState, type SectionKey,
} from './fields.js';
import type { FieldErrors } from './validation.js';
import type { EhrPatientForm } from './patient-form.js';
import { styles } from './view.styles.js';
import { layoutStyles } from './patient-form.styles.js';
import { flow } from './lazy.js';

/** What the view may use of the element beyond its public properties. */
export interface Shell {
  readonly el: EhrPatientForm;
  readonly fhir: FhirClient | undefined;
  readonly session: AuthState | undefined;
  emit(patient: Patient, created: boolean): void;
  fail(error: unknown, operation: string): UserMessage;
}

const COUNTRIES = ['US', 'CA', 'MX', 'GB', 'DE', 'ES', 'FR'];
/** The selects and what they offer (every other field is a text input, race a group of checkboxes). */
const CHOICES: Partial<Record<FieldKey, readonly string[]>> = {
  gender: GENDERS, birthSex: BIRTH_SEX_CODES, phoneUse: PHONE_USES, phone2Use: PHONE_USES,
  country: COUNTRIES, language: Object.keys(LANGUAGES), ethnicity: ETHNICITIES,
};
type Autocomplete =
  | 'given-name' | 'additional-name' | 'family-name' | 'honorific-suffix' | 'nickname' | 'bday' | 'sex' | 'tel' | 'email'
  | 'address-line1' | 'address-line2' | 'address-level1' | 'address-level2' | 'postal-code' | 'country';
const AUTOCOMPLETE: Partial<Record<FieldKey, Autocomplete>> = {
  given: 'given-name', middle: 'additional-name', family: 'family-name', suffix: 'honorific-suffix', preferred: 'nickname',
  birthDate: 'bday', gender: 'sex', phone: 'tel', email: 'email', line1: 'address-line1', line2: 'address-line2',
  city: 'address-level2', state: 'address-level1', postalCode: 'postal-code', country: 'country',
};
const TYPES: Partial<Record<FieldKey, 'date' | 'tel' | 'email'>> = {
  birthDate: 'date', phone: 'tel', phone2: 'tel', contactPhone: 'tel', email: 'email',
};
/** The form's fieldsets (data-section) and the sections each one holds. */
const GROUPS: [string, SectionKey[]][] = [
  ['name', ['name']],
  ['about', ['birth-date', 'gender', 'birth-sex']],
  ['contact-details', ['phone', 'email']],
  ['address', ['address']],
  ['language', ['language']],
  ['contact', ['contact']],
  ['origin', ['race', 'ethnicity']],
];

/** One element's form: made by the element when this chunk is in, kept for the element's life. */
export class FormView {
  // Internal state is one plain object, shared with the lazily loaded flow; whoever changes it re-renders.
  readonly #s: FormState = {
    values: emptyState(),
    initial: emptyState(),
    phase: 'editing',
    showAll: false,
    touched: new Set(),
    serverErrors: {},
    duplicates: [],
    badDate: false,
    intakeKey: newUrnUuid().slice(9),
    acknowledged: '',
  };
  /** The last Patient the load task delivered (adopted once). */
  #loaded: Patient | undefined;
  /** Save was pressed and waits for flow.ts. */
  #waiting = false;
  /** A load of flow.ts in progress; the element's `updateComplete` waits for it. */
  pending: Promise<unknown> | undefined;
  /** Words of the current render (the locale may change between renders). */
  #w: Record<string, string> = {};
  readonly #el: EhrPatientForm;
  readonly #host: FlowHost;

  constructor(shell: Shell) {
    const el = (this.#el = shell.el);
    // Core's styles and the form's replace the shell's minimal ones (adopted stylesheets: fine under a strict CSP).
    adoptStyles(el.renderRoot as ShadowRoot, [tokens, hostStyles, buttonStyles, skeletonStyles, alertStyles, layoutStyles, inputStyles, fieldStyles, styles]);
    this.#host = {
      s: this.#s,
      get fhir() { return shell.fhir; },
      get session() { return shell.session; },
      get sections() { return sectionsOf(el); },
      get required() { return requiredOf(el); },
      get defaultCountry() { return el.defaultCountry; },
      get noDuplicateCheck() { return el.noDuplicateCheck; },
      label: (k) => this.#w[k]!,
      option: (k, code) => this.#option(k, code),
      emit: shell.emit,
      fail: shell.fail,
      save: () => this.save(),
      update: () => (el.requestUpdate(), el.updateComplete),
      focus: async (selector) => {
        el.requestUpdate();
        await el.updateComplete;
        el.renderRoot.querySelector<HTMLElement>(selector)?.focus();
      },
    };
    // A readonly form never validates or saves (edit mode loads flow.ts with the Patient anyway).
    if (!el.readonly) (globalThis.requestIdleCallback ?? setTimeout)(() => this.#prefetch());
  }

  /** flow.ts, loading it if needed; the element re-renders when it arrives. */
  #need(): ReturnType<typeof flow> {
    const p = flow();
    if (!flow.value) this.pending = p.then(() => this.#el.requestUpdate(), () => undefined);
    return p;
  }
  /** Fetches flow.ts ahead of need (idle time, first focus): a failure here is retried when needed. */
  #prefetch = (): void => {
    this.#need().catch(() => undefined);
  };

  /** Before each render: adopts a freshly loaded Patient, resets for a new one. */
  willUpdate(changed: PropertyValues<EhrPatientForm>, loaded: Patient | undefined): void {
    const s = this.#s;
    const el = this.#el;
    // Adopt a freshly loaded Patient, unless the user is already editing that same one.
    const f = flow.value;
    if (loaded && loaded !== this.#loaded && f) {
      this.#loaded = loaded;
      if (loaded.id !== s.base?.id || !f.dirty(s)) f.adopt(s, loaded);
    }
    if (changed.has('patientId') && !el.patientId && s.base) {
      s.base = undefined;
      s.initial = emptyState();
      s.values = { ...emptyState(), country: el.defaultCountry };
      s.intakeKey = newUrnUuid().slice(9);
    }
    if (!s.base && !el.patientId && !s.values.country && !s.touched.has('country')) s.values = { ...s.values, country: el.defaultCountry };
  }

  // ---- handlers (arrow functions: Lit calls listeners with the element as `this`) -------------------

  #onInput = (e: Event): void => {
    const s = this.#s;
    const input = e.target as HTMLInputElement;
    const key = input.name as FieldKey;
    if (!FIELD_KEYS.includes(key)) return;
    let value = input.value;
    if (input.type === 'checkbox') {
      const set = new Set(s.values[key].split(' '));
      if (input.checked) set.add(value);
      else set.delete(value);
      value = RACES.filter((c) => set.has(c)).join(' ');
    }
    if (key === 'birthDate') s.badDate = input.validity.badInput;
    // A text field's `change` (on blur, e.g. when a notice takes focus) repeats its last `input`.
    if (value === s.values[key]) return;
    s.values = { ...s.values, [key]: value };
    delete s.serverErrors[key];
    if (s.phase === 'saved' || s.phase === 'duplicate') s.phase = 'editing';
    if (!['text', 'email', 'tel'].includes(input.type)) s.touched.add(key);
    this.#el.requestUpdate();
  };

  #onFocusOut = (e: FocusEvent): void => {
    const key = (e.target as HTMLInputElement).name as FieldKey;
    if (FIELD_KEYS.includes(key) && !this.#s.touched.has(key)) {
      this.#s.touched.add(key);
      this.#el.requestUpdate();
    }
  };

  #onSubmit = (e: Event): void => {
    e.preventDefault();
    void this.save();
  };

  /** Validates, checks for a likely duplicate (create), then writes. */
  async save(): Promise<void> {
    const el = this.#el;
    if (el.readonly || this.#waiting) return;
    let f = flow.value;
    if (!f) {
      this.#waiting = true;
      el.requestUpdate();
      try {
        f = await this.#need();
      } catch (error) {
        // The code could not be fetched: nothing typed is touched; saving again fetches it again.
        this.#s.failure = { ...this.#host.fail(error, 'load ehr-patient-form code'), retryable: true, retry: () => void this.save() };
        return;
      } finally {
        this.#waiting = false;
        el.requestUpdate();
      }
    }
    return f.save(this.#host);
  }

  // ---- rendering --------------------------------------------------------------------------------

  #words(): Record<string, string> {
    return {
      given: msg('First name', { id: 'patient-form.given' }),
      middle: msg('Middle name', { id: 'patient-form.middle' }),
      family: msg('Last name', { id: 'patient-form.family' }),
      suffix: msg('Suffix', { id: 'patient-form.suffix' }),
      preferred: msg('Preferred name', { id: 'patient-form.preferred' }),
      birthDate: msg('Date of birth', { id: 'patient-form.birth-date' }),
      gender: msg('Gender', { id: 'patient-form.gender' }),
      phone: msg('Phone', { id: 'patient-form.phone' }),
      phoneUse: msg('Phone type', { id: 'patient-form.phone-use' }),
      phone2: msg('Other phone', { id: 'patient-form.phone2' }),
      phone2Use: msg('Other phone type', { id: 'patient-form.phone2-use' }),
      email: msg('Email', { id: 'patient-form.email' }),
      line1: msg('Street address', { id: 'patient-form.line1' }),
      line2: msg('Apartment, suite, unit', { id: 'patient-form.line2' }),
      city: msg('City', { id: 'patient-form.city' }),
      state: msg('State or region', { id: 'patient-form.state' }),
      postalCode: msg('Postal code', { id: 'patient-form.postal-code' }),
      country: msg('Country', { id: 'patient-form.country' }),
      language: msg('Preferred language', { id: 'patient-form.language' }),
      contactName: msg('Emergency contact name', { id: 'patient-form.contact-name' }),
      contactRelationship: msg('Relationship to you', { id: 'patient-form.contact-relationship' }),
      contactPhone: msg('Emergency contact phone', { id: 'patient-form.contact-phone' }),
      race: msg('Race', { id: 'patient-form.race' }),
      ethnicity: msg('Ethnicity', { id: 'patient-form.ethnicity' }),
      birthSex: msg('Sex assigned at birth', { id: 'patient-form.birth-sex' }),
      // hints
      'hint.suffix': msg('For example Jr. or III', { id: 'patient-form.hint.suffix' }),
      'hint.preferred': msg('What you like to be called', { id: 'patient-form.hint.preferred' }),
      'hint.contactRelationship': msg('For example: mother, spouse, friend', { id: 'patient-form.hint.relationship' }),
      'hint.race': msg('Choose all that apply.', { id: 'patient-form.hint.race' }),
      // fieldset legends
      'legend.name': msg('Name', { id: 'patient-form.section.name' }),
      'legend.about': msg('About you', { id: 'patient-form.section.about' }),
      'legend.contact-details': msg('Phone and email', { id: 'patient-form.section.telecom' }),
      'legend.address': msg('Home address', { id: 'patient-form.section.address' }),
      'legend.language': msg('Language', { id: 'patient-form.section.language' }),
      'legend.contact': msg('Emergency contact', { id: 'patient-form.section.contact' }),
      'legend.origin': msg('Race and ethnicity (optional to answer)', { id: 'patient-form.section.origin' }),
      // coded choices
      female: msg('Female', { id: 'patient-form.gender.female' }),
      male: msg('Male', { id: 'patient-form.gender.male' }),
      other: msg('Other', { id: 'patient-form.gender.other' }),
      unknown: msg('Prefer not to say', { id: 'patient-form.gender.unknown' }),
      mobile: msg('Mobile', { id: 'patient-form.use.mobile' }),
      home: msg('Home', { id: 'patient-form.use.home' }),
      work: msg('Work', { id: 'patient-form.use.work' }),
      F: msg('Female', { id: 'patient-form.gender.female' }),
      M: msg('Male', { id: 'patient-form.gender.male' }),
      UNK: msg('Unknown', { id: 'patient-form.unknown' }),
      ASKU: msg('Prefer not to say', { id: 'patient-form.gender.unknown' }),
      '1002-5': msg('American Indian or Alaska Native', { id: 'patient-form.race.1002-5' }),
      '2028-9': msg('Asian', { id: 'patient-form.race.2028-9' }),
      '2054-5': msg('Black or African American', { id: 'patient-form.race.2054-5' }),
      '2076-8': msg('Native Hawaiian or Other Pacific Islander', { id: 'patient-form.race.2076-8' }),
      '2106-3': msg('White', { id: 'patient-form.race.2106-3' }),
      '2135-2': msg('Hispanic or Latino', { id: 'patient-form.eth.2135-2' }),
      '2186-5': msg('Not Hispanic or Latino', { id: 'patient-form.eth.2186-5' }),
    };
  }

  #option(key: FieldKey, code: string): string {
    if (key === 'country') {
      try {
        return new Intl.DisplayNames([getEhrLocale()], { type: 'region' }).of(code) ?? code;
      } catch {
        return code;
      }
    }
    return (key === 'language' ? LANGUAGES : this.#w)[code] ?? code;
  }

  /** One field: a select for coded choices, checkboxes for race, else an input. */
  #field(key: FieldKey, errors: FieldErrors, required: Set<string>): TemplateResult {
    const s = this.#s;
    const readonly = this.#el.readonly;
    const current = s.values[key];
    // The server's error, else ours once the field was left or a save tried.
    const code = errors[key];
    const error = s.serverErrors[key] ?? (code && (s.showAll || s.touched.has(key)) ? flow.value!.errorText(code) : undefined);
    // A partial birth date (FHIR allows "1980" or "1980-04") cannot sit in a date input: the field
    // stays empty and the hint says what is on record, which is saved untouched unless changed.
    const partial = key === 'birthDate' && current === s.initial.birthDate ? partialDateHint(current) : undefined;
    const o = { id: `f-${key}`, label: this.#w[key]!, hint: partial ?? this.#w[`hint.${key}`], error, required: required.has(key) };
    if (key === 'race') {
      return renderFieldset(
        o,
        html`<div class="checks">${RACES.map(
          (c) => html`<label class="check"><input type="checkbox" name="race" value=${c} .checked=${current.split(' ').includes(c)} ?disabled=${readonly} />${this.#w[c]}</label>`,
        )}</div>`,
      );
    }
    // A value the list does not know (loaded from the server) stays selectable, so it is not lost.
    const choices = CHOICES[key];
    const type = TYPES[key];
    return renderField(o, (a) =>
      choices
        ? html`<select id=${a.id} name=${key} class="input" autocomplete=${AUTOCOMPLETE[key] ?? 'off'} ?disabled=${readonly}
            aria-describedby=${a.describedBy} aria-invalid=${a.invalid} aria-required=${a.required ? 'true' : 'false'}>
            ${key.endsWith('Use') ? nothing : html`<option value="" ?selected=${!current}>${msg('Choose…', { id: 'patient-form.choose' })}</option>`}
            ${(current && !choices.includes(current) ? [...choices, current] : choices).map(
              (c) => html`<option value=${c} ?selected=${c === current}>${this.#option(key, c)}</option>`,
            )}
          </select>`
        : html`<input id=${a.id} name=${key} class="input" type=${type ?? 'text'} .value=${partial ? '' : current}
            autocomplete=${AUTOCOMPLETE[key] ?? 'off'} inputmode=${type === 'tel' ? 'tel' : nothing}
            min=${type === 'date' ? oldestBirthDate() : nothing} max=${type === 'date' ? localToday() : nothing}
            ?readonly=${readonly || s.phase === 'saving'}
            aria-describedby=${a.describedBy} aria-invalid=${a.invalid} aria-required=${a.required ? 'true' : 'false'} />`,
    );
  }

  render(): TemplateResult {
    const s = this.#s;
    const el = this.#el;
    const w = (this.#w = this.#words());
    const sections = sectionsOf(el);
    const req = requiredOf(el);
    const required = new Set<string>(['gender', ...req.flatMap((r) => REQUIRED_FIELDS[r] ?? [])]);
    const errors = flow.value?.check(this.#host) ?? {};
    const summary = [
      ...(s.showAll ? Object.entries(errors) : []).map(([k, code]) => ({ id: `f-${k}`, message: `${w[k]}: ${flow.value!.errorText(code)}` })),
      ...Object.entries(s.serverErrors)
        .filter(([k, text]) => text && !errors[k as FieldKey])
        .map(([k, text]) => ({ id: `f-${k}`, message: `${w[k]}: ${text}` })),
    ];
    const saving = this.#waiting || s.phase === 'saving' || s.phase === 'checking';
    return html`<form part="form" novalidate aria-busy=${saving ? 'true' : 'false'} aria-label=${s.base ? msg('Patient details', { id: 'patient-form.title-edit' }) : msg('New patient', { id: 'patient-form.title-new' })}
        @submit=${this.#onSubmit} @input=${this.#onInput} @change=${this.#onInput} @focusout=${this.#onFocusOut} @focusin=${this.#prefetch}>
      ${renderErrorSummary(summary)}
      ${s.failure ? renderError(s.failure, s.failure.retry) : nothing}
      ${flow.value?.renderPanel(this.#host)}
      ${GROUPS.map(([name, keys]) => {
        const fields = keys.filter((k) => sections.includes(k)).flatMap((k) => SECTIONS[k] as FieldKey[]);
        const content = fields.map((k) => this.#field(k, errors, required));
        return fields.length
          ? html`<fieldset class="section" part="section" data-section=${name}><legend>${w[`legend.${name}`]}</legend>${
              name === 'language' || name === 'origin' ? content : html`<div class="row">${content}</div>`
            }</fieldset>`
          : nothing;
      })}
      <div part="status" role="status" class=${s.phase === 'saved' ? 'alert alert-success' : 'visually-hidden'}>${flow.value?.statusText(s.phase)}</div>
      ${el.readonly
        ? nothing
        : html`<div class="actions">
            <button part="submit" class="btn btn-primary" type="submit" aria-disabled=${saving ? 'true' : 'false'}>
              ${saving ? msg('Saving…', { id: 'patient-form.saving' }) : s.base ? msg('Save changes', { id: 'patient-form.save' }) : msg('Save', { id: 'patient-form.create' })}
            </button>
          </div>`}
    </form>`;
  }
}

const sectionsOf = (el: EhrPatientForm): SectionKey[] => parseSections(el.fields, DEFAULT_SECTIONS, ALWAYS_SHOWN);
const requiredOf = (el: EhrPatientForm): SectionKey[] => parseSections(el.required, DEFAULT_REQUIRED);

/** The hint for a birth date on record with only a year or a year and month; undefined for any other value. */
function partialDateHint(value: string): string | undefined {
  const v = value.trim();
  if (/^\d{4}$/.test(v)) return msg(str`Only the year is on record: ${formatFhirDate(v, { locale: getEhrLocale() })}. Enter the full date if you know it.`, { id: 'patient-form.hint.partial-year' });
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(v)) return msg(str`Only the month and year are on record: ${formatFhirDate(v, { locale: getEhrLocale() })}. Enter the full date if you know it.`, { id: 'patient-form.hint.partial-month' });
  return undefined;
}
