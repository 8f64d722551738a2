import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import { TaskStatus } from '@lit/task';
import type { Patient } from '@medplum/fhirtypes';
import { newUrnUuid } from '@ehr-kit/fhir-client';
import {
  EhrElement, baseStyles, fieldStyles, formatFhirDate, getEhrLocale, registerTranslations, renderError, renderErrorSummary,
  renderField, renderFieldset, renderLoading, renderState,
} from '@ehr-kit/core';
import {
  ALWAYS_SHOWN, BIRTH_SEX_CODES, DEFAULT_REQUIRED, DEFAULT_SECTIONS, ETHNICITIES, FIELD_KEYS, GENDERS, LANGUAGES,
  PHONE_USES, RACES, REQUIRED_FIELDS, SECTIONS, emptyState, localToday, oldestBirthDate, parseSections,
  type FieldKey, type FlowHost, type FormState, type SectionKey,
} from './fields.js';
import type { FieldErrors } from './validation.js';
import { styles } from './patient-form.styles.js';
import { importers, lazy } from './lazy.js';

registerTranslations('es', () => import('./locales/es.js'));

declare module '@ehr-kit/core' {
  interface EhrEventMap {
    'ehr-patient-saved': { patient: Patient; created: boolean };
  }
}

/** Rules, saving and the duplicate/conflict panels: loaded on first need (see #need). */
const flow = lazy(() => importers.flow());

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

/**
 * Creates or edits a patient's demographics as a US Core Patient: names, birth date, gender,
 * phones, email, address, preferred language, emergency contact and, optionally, US Core race,
 * ethnicity and birth sex.
 *
 * Without `patient-id` it creates: it first warns of a likely existing record (same last name and
 * birth date; an anonymous user is not shown who), then creates idempotently (conditional create
 * on a key generated once per form, so retrying after a dropped connection never makes two
 * patients). With `patient-id` it loads and edits: fields it does not show are sent back untouched,
 * the save is guarded by `If-Match`, and if someone else saved first it shows their values beside
 * yours, field by field, to keep either. Whatever happens, what the user typed stays in the form.
 *
 * @fires ehr-patient-saved - The patient was saved. detail: { patient, created }
 * @fires ehr-error - Loading or saving failed. detail: { error, operation }
 * @csspart form - The form.
 * @csspart section - Each group of fields (a fieldset).
 * @csspart field - A label + control + hint + error.
 * @csspart field-label - A field's label.
 * @csspart field-hint - A field's hint.
 * @csspart field-error - A field's inline error.
 * @csspart error-summary - The list of problems shown when saving is refused.
 * @csspart duplicate - The "a record like this may already exist" notice.
 * @csspart conflict - The "someone else changed this record" comparison.
 * @csspart status - Saving / saved messages.
 * @csspart error - A load or save failure, with its retry button.
 * @csspart retry - The retry button.
 * @csspart submit - The save button.
 * @csspart loading - The loading skeleton.
 * @cssprop --ehr-patient-form-max-width - Widest the form grows (default 48rem).
 * @cssprop --ehr-patient-form-gap - Space between sections.
 * @cssprop --ehr-patient-form-column-min - Narrowest a field column gets before fields stack.
 */
export class EhrPatientForm extends EhrElement {
  static override styles = [baseStyles, fieldStyles, styles];

  /** The Patient to edit; absent = create a new one. */
  @property({ attribute: 'patient-id' }) accessor patientId: string | undefined;
  /** Sections to show, space-separated: name birth-date gender phone email address language contact race ethnicity birth-sex (name and gender are always shown: US Core requires them). */
  @property() accessor fields: string | undefined;
  /** Sections that must be filled in (default: name birth-date gender). A name and a gender are always required (US Core). */
  @property() accessor required: string | undefined;
  /** Shows the record without letting it be changed. */
  @property({ type: Boolean, reflect: true }) accessor readonly: boolean = false;
  /** Skips the likely-duplicate check before creating. */
  @property({ type: Boolean, attribute: 'no-duplicate-check' }) accessor noDuplicateCheck: boolean = false;
  /** ISO country used for new addresses and for phone numbers when the address has no country. */
  @property({ attribute: 'default-country' }) accessor defaultCountry: string = 'US';

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
  /** A load of flow.ts in progress; `updateComplete` waits for it. */
  #pending: Promise<unknown> | undefined;
  /** Words of the current render (the locale may change between renders). */
  #w: Record<string, string> = {};

  readonly #host: FlowHost = ((el) => ({
    s: el.#s,
    get fhir() { return el.fhir; },
    get session() { return el.session; },
    get sections() { return el.#sections; },
    get required() { return el.#required; },
    get defaultCountry() { return el.defaultCountry; },
    get noDuplicateCheck() { return el.noDuplicateCheck; },
    label: (k) => el.#w[k],
    option: (k, code) => el.#option(k, code),
    emit: (patient, created) => void el.emit('ehr-patient-saved', { patient, created }),
    fail: (error, operation) => el.fail(error, operation),
    save: () => el.save(),
    update: () => (el.requestUpdate(), el.updateComplete),
    focus: async (selector) => {
      el.requestUpdate();
      await el.updateComplete;
      el.renderRoot.querySelector<HTMLElement>(selector)?.focus();
    },
  }))(this);

  #load = this.fhirTask({
    operation: 'read Patient',
    args: () => [this.patientId] as const,
    // The form shows a loaded Patient through flow.ts, fetched alongside it.
    run: async (fhir, [id], signal) => (id ? (await Promise.all([fhir.read('Patient', id, { signal }), this.#need()]))[0] : undefined),
  });

  get #sections(): SectionKey[] {
    return parseSections(this.fields, DEFAULT_SECTIONS, ALWAYS_SHOWN);
  }
  get #required(): SectionKey[] {
    return parseSections(this.required, DEFAULT_REQUIRED);
  }

  /** flow.ts, loading it if needed; the element re-renders when it arrives. */
  #need(): ReturnType<typeof flow> {
    const p = flow();
    if (!flow.value) this.#pending = p.then(() => this.requestUpdate(), () => undefined);
    return p;
  }
  /** Fetches flow.ts ahead of need (idle time, first focus): a failure here is retried when needed. */
  #prefetch(): void {
    this.#need().catch(() => undefined);
  }

  protected override async getUpdateComplete(): Promise<boolean> {
    // Rendered means rendered with the code it was loading (e.g. a field's error after leaving it).
    await this.#pending;
    return super.getUpdateComplete();
  }

  override firstUpdated(): void {
    // A readonly form never validates or saves (edit mode loads flow.ts with the Patient anyway).
    if (!this.readonly) (globalThis.requestIdleCallback ?? setTimeout)(() => this.#prefetch());
  }

  override willUpdate(changed: PropertyValues<this>): void {
    const s = this.#s;
    // Adopt a freshly loaded Patient, unless the user is already editing that same one.
    const loaded = this.#load.value;
    const f = flow.value;
    if (loaded && loaded !== this.#loaded && f) {
      this.#loaded = loaded;
      if (loaded.id !== s.base?.id || !f.dirty(s)) f.adopt(s, loaded);
    }
    if (changed.has('patientId') && !this.patientId && s.base) {
      s.base = undefined;
      s.initial = emptyState();
      s.values = { ...emptyState(), country: this.defaultCountry };
      s.intakeKey = newUrnUuid().slice(9);
    }
    if (!s.base && !this.patientId && !s.values.country && !s.touched.has('country')) s.values = { ...s.values, country: this.defaultCountry };
  }

  // ---- handlers ---------------------------------------------------------------------------------

  #onInput(e: Event): void {
    const s = this.#s;
    const el = e.target as HTMLInputElement;
    const key = el.name as FieldKey;
    if (!FIELD_KEYS.includes(key)) return;
    let value = el.value;
    if (el.type === 'checkbox') {
      const set = new Set(s.values[key].split(' '));
      if (el.checked) set.add(value);
      else set.delete(value);
      value = RACES.filter((c) => set.has(c)).join(' ');
    }
    if (key === 'birthDate') s.badDate = el.validity.badInput;
    // A text field's `change` (on blur, e.g. when a notice takes focus) repeats its last `input`.
    if (value === s.values[key]) return;
    s.values = { ...s.values, [key]: value };
    delete s.serverErrors[key];
    if (s.phase === 'saved' || s.phase === 'duplicate') s.phase = 'editing';
    if (!['text', 'email', 'tel'].includes(el.type)) s.touched.add(key);
    this.requestUpdate();
  }

  #onFocusOut(e: FocusEvent): void {
    const key = (e.target as HTMLInputElement).name as FieldKey;
    if (FIELD_KEYS.includes(key) && !this.#s.touched.has(key)) {
      this.#s.touched.add(key);
      this.requestUpdate();
    }
  }

  #onSubmit(e: Event): void {
    e.preventDefault();
    void this.save();
  }

  /** Validates, checks for a likely duplicate (create), then writes. */
  async save(): Promise<void> {
    if (this.readonly || this.#waiting || this.#load.status === TaskStatus.PENDING) return;
    let f = flow.value;
    if (!f) {
      this.#waiting = true;
      this.requestUpdate();
      try {
        f = await this.#need();
      } catch (error) {
        // The code could not be fetched: nothing typed is touched; saving again fetches it again.
        this.#s.failure = { ...this.fail(error, 'load ehr-patient-form code'), retryable: true, retry: () => void this.save() };
        return;
      } finally {
        this.#waiting = false;
        this.requestUpdate();
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
    const current = s.values[key];
    // The server's error, else ours once the field was left or a save tried.
    const code = errors[key];
    const error = s.serverErrors[key] ?? (code && (s.showAll || s.touched.has(key)) ? flow.value!.errorText(code) : undefined);
    // A partial birth date (FHIR allows "1980" or "1980-04") cannot sit in a date input: the field
    // stays empty and the hint says what is on record, which is saved untouched unless changed.
    const partial = key === 'birthDate' && current === s.initial.birthDate ? partialDateHint(current) : undefined;
    const o = { id: `f-${key}`, label: this.#w[key], hint: partial ?? this.#w[`hint.${key}`], error, required: required.has(key) };
    if (key === 'race') {
      return renderFieldset(
        o,
        html`<div class="checks">${RACES.map(
          (c) => html`<label class="check"><input type="checkbox" name="race" value=${c} .checked=${current.split(' ').includes(c)} ?disabled=${this.readonly} />${this.#w[c]}</label>`,
        )}</div>`,
      );
    }
    // A value the list does not know (loaded from the server) stays selectable, so it is not lost.
    const choices = CHOICES[key];
    const type = TYPES[key];
    return renderField(o, (a) =>
      choices
        ? html`<select id=${a.id} name=${key} class="input" autocomplete=${AUTOCOMPLETE[key] ?? 'off'} ?disabled=${this.readonly}
            aria-describedby=${a.describedBy} aria-invalid=${a.invalid} aria-required=${a.required ? 'true' : 'false'}>
            ${key.endsWith('Use') ? nothing : html`<option value="" ?selected=${!current}>${msg('Choose…', { id: 'patient-form.choose' })}</option>`}
            ${(current && !choices.includes(current) ? [...choices, current] : choices).map(
              (c) => html`<option value=${c} ?selected=${c === current}>${this.#option(key, c)}</option>`,
            )}
          </select>`
        : html`<input id=${a.id} name=${key} class="input" type=${type ?? 'text'} .value=${partial ? '' : current}
            autocomplete=${AUTOCOMPLETE[key] ?? 'off'} inputmode=${type === 'tel' ? 'tel' : nothing}
            min=${type === 'date' ? oldestBirthDate() : nothing} max=${type === 'date' ? localToday() : nothing}
            ?readonly=${this.readonly || s.phase === 'saving'}
            aria-describedby=${a.describedBy} aria-invalid=${a.invalid} aria-required=${a.required ? 'true' : 'false'} />`,
    );
  }

  #renderForm(): TemplateResult {
    const s = this.#s;
    const w = (this.#w = this.#words());
    const sections = this.#sections;
    const req = this.#required;
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
      ${this.readonly
        ? nothing
        : html`<div class="actions">
            <button part="submit" class="btn btn-primary" type="submit" aria-disabled=${saving ? 'true' : 'false'}>
              ${saving ? msg('Saving…', { id: 'patient-form.saving' }) : s.base ? msg('Save changes', { id: 'patient-form.save' }) : msg('Save', { id: 'patient-form.create' })}
            </button>
          </div>`}
    </form>`;
  }

  override render(): unknown {
    return renderState(this.#load, {
      loading: () => renderLoading(msg('Loading patient details…', { id: 'patient-form.loading' }), 6),
      isEmpty: () => false,
      complete: () => this.#renderForm(),
    });
  }
}

/** The hint for a birth date on record with only a year or a year and month; undefined for any other value. */
function partialDateHint(value: string): string | undefined {
  const v = value.trim();
  if (/^\d{4}$/.test(v)) return msg(str`Only the year is on record: ${formatFhirDate(v, { locale: getEhrLocale() })}. Enter the full date if you know it.`, { id: 'patient-form.hint.partial-year' });
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(v)) return msg(str`Only the month and year are on record: ${formatFhirDate(v, { locale: getEhrLocale() })}. Enter the full date if you know it.`, { id: 'patient-form.hint.partial-month' });
  return undefined;
}
