import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { msg } from '@lit/localize';
import { TaskStatus } from '@lit/task';
import type { Patient } from '@medplum/fhirtypes';
import { newUrnUuid } from '@ehr-kit/fhir-client';
import {
  EhrElement,
  baseStyles,
  fieldStyles,
  focusErrorSummary,
  formatFhirDate,
  formatHumanName,
  getEhrLocale,
  registerTranslations,
  renderError,
  renderErrorSummary,
  renderField,
  renderFieldset,
  renderLoading,
  renderState,
  type UserMessage,
} from '@ehr-kit/core';
import {
  ALWAYS_SHOWN,
  DEFAULT_REQUIRED,
  DEFAULT_SECTIONS,
  ETHNICITY_CODES,
  FIELD_KEYS,
  GENDERS,
  INTAKE_KEY_SYSTEM,
  LANGUAGES,
  PHONE_USES,
  RACE_CODES,
  SECTIONS,
  changedFields,
  duplicateQuery,
  emptyState,
  fieldForExpression,
  fromPatient,
  likelyDuplicates,
  parseSections,
  toPatient,
  type FieldKey,
  type PatientFormState,
  type SectionKey,
} from './model.js';
import { REQUIRED_FIELDS, localToday, normalizers, validate, type FieldError, type FieldErrors } from './validation.js';
import { styles } from './patient-form.styles.js';

registerTranslations('es', () => import('./locales/es.js'));

declare module '@ehr-kit/core' {
  interface EhrEventMap {
    'ehr-patient-saved': { patient: Patient; created: boolean };
  }
}

type Phase = 'editing' | 'checking' | 'duplicate' | 'saving' | 'saved' | 'conflict';
interface Conflict {
  latest: Patient;
  theirs: PatientFormState;
  fields: FieldKey[];
  keep: Partial<Record<FieldKey, 'mine' | 'theirs'>>;
}

const COUNTRIES = ['US', 'CA', 'MX', 'GB', 'DE', 'ES', 'FR'];
type Autocomplete =
  | 'off' | 'given-name' | 'additional-name' | 'family-name' | 'honorific-suffix' | 'nickname' | 'bday' | 'sex'
  | 'tel' | 'email' | 'address-line1' | 'address-line2' | 'address-level1' | 'address-level2' | 'postal-code' | 'country';

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
  @property({ type: Boolean, reflect: true }) accessor readonly = false;
  /** Skips the likely-duplicate check before creating. */
  @property({ type: Boolean, attribute: 'no-duplicate-check' }) accessor noDuplicateCheck = false;
  /** ISO country used for new addresses and for phone numbers when the address has no country. */
  @property({ attribute: 'default-country' }) accessor defaultCountry = 'US';

  @state() private accessor values: PatientFormState = emptyState();
  @state() private accessor phase: Phase = 'editing';
  @state() private accessor showAll = false;
  @state() private accessor touched = new Set<FieldKey>();
  @state() private accessor serverErrors: Partial<Record<FieldKey, string>> = {};
  @state() private accessor failure: (UserMessage & { retry?: () => void }) | undefined;
  @state() private accessor duplicates: Patient[] = [];
  @state() private accessor conflict: Conflict | undefined;
  @state() private accessor badDate = false;

  /** The resource as last loaded or saved; what an edit starts from. */
  private base: Patient | undefined;
  private initial = emptyState();
  /** The last Patient the load task delivered (adopted once). */
  private loaded: Patient | undefined;
  /** The conditional-create key: made once per new patient, reused by every retry. */
  private intakeKey = newUrnUuid().slice(9);
  /** The family|birthDate the user already chose to create despite a likely duplicate. */
  private acknowledged = '';

  private load = this.fhirTask({
    operation: 'read Patient',
    args: () => [this.patientId] as const,
    run: async (fhir, [id], signal) => (id ? fhir.read('Patient', id, { signal }) : undefined),
  });

  private get sections(): SectionKey[] {
    return parseSections(this.fields, DEFAULT_SECTIONS, ALWAYS_SHOWN);
  }
  private get requiredSections(): SectionKey[] {
    return parseSections(this.required, DEFAULT_REQUIRED);
  }
  private get errors(): FieldErrors {
    const errors = validate(this.values, {
      sections: this.sections,
      required: this.requiredSections,
      today: localToday(),
      defaultCountry: this.defaultCountry,
      ...(this.base ? { initial: this.initial } : {}),
    });
    if (this.badDate) errors.birthDate = 'date-invalid';
    return errors;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    // Adopt a freshly loaded Patient, unless the user is already editing that same one.
    const loaded = this.load.value;
    if (loaded && loaded !== this.loaded) {
      this.loaded = loaded;
      if (loaded.id !== this.base?.id || !this.dirty()) this.adopt(loaded);
    }
    if (changed.has('patientId') && !this.patientId && this.base) {
      this.base = undefined;
      this.initial = emptyState();
      this.values = { ...emptyState(), country: this.defaultCountry };
      this.intakeKey = newUrnUuid().slice(9);
    }
    if (!this.base && !this.patientId && !this.values.country && !this.touched.has('country')) {
      this.values = { ...this.values, country: this.defaultCountry };
    }
  }

  private adopt(patient: Patient): void {
    this.base = patient;
    this.initial = fromPatient(patient);
    this.values = { ...this.initial };
    this.touched = new Set();
    this.serverErrors = {};
  }

  private dirty(): boolean {
    return changedFields(this.initial, this.values).length > 0;
  }

  // ---- handlers ---------------------------------------------------------------------------------

  private onInput(e: Event): void {
    const el = e.target as HTMLInputElement;
    const key = el.name as FieldKey;
    if (!FIELD_KEYS.includes(key)) return;
    let value = el.value;
    if (el.type === 'checkbox') {
      const set = new Set(this.values[key].split(' ').filter(Boolean));
      if (el.checked) set.add(value);
      else set.delete(value);
      value = Object.keys(RACE_CODES).filter((c) => set.has(c)).join(' ');
    }
    if (key === 'birthDate') this.badDate = el.validity.badInput;
    // A text field's `change` (on blur, e.g. when a notice takes focus) repeats its last `input`.
    if (value === this.values[key]) return;
    this.values = { ...this.values, [key]: value };
    if (this.serverErrors[key]) this.serverErrors = { ...this.serverErrors, [key]: undefined };
    if (this.phase === 'saved' || this.phase === 'duplicate') this.phase = 'editing';
    if (el.type !== 'text' && el.type !== 'email' && el.type !== 'tel') this.touch(key);
  }

  private onFocusOut(e: FocusEvent): void {
    const key = (e.target as HTMLInputElement).name as FieldKey;
    if (FIELD_KEYS.includes(key)) this.touch(key);
  }

  private touch(key: FieldKey): void {
    if (!this.touched.has(key)) this.touched = new Set(this.touched).add(key);
  }

  private onSubmit(e: Event): void {
    e.preventDefault();
    void this.save();
  }

  /** Validates, checks for a likely duplicate (create), then writes. */
  async save(): Promise<void> {
    if (this.readonly || this.phase === 'saving' || this.phase === 'checking' || this.load.status === TaskStatus.PENDING) return;
    // Enter while comparing versions means "save with these choices", never a blind overwrite.
    if (this.phase === 'conflict') return this.saveResolved();
    this.failure = undefined;
    this.showAll = true;
    if (Object.keys(this.errors).length) {
      this.phase = 'editing';
      await focusErrorSummary(this);
      return;
    }
    const fhir = this.fhir;
    const query = duplicateQuery(this.values);
    if (!this.base && fhir && query && !this.noDuplicateCheck && this.acknowledged !== `${query.family}|${query.birthdate}`) {
      this.phase = 'checking';
      try {
        const hits = await fhir.searchResources('Patient', query);
        this.duplicates = likelyDuplicates(this.values, hits, this.intakeKey);
      } catch (error) {
        // Many servers do not let an anonymous patient search; that only means we cannot warn.
        const status = (error as { status?: number }).status;
        if (status !== 401 && status !== 403) return this.failed(error, 'search Patient', () => void this.save());
        this.duplicates = [];
      }
      if (this.duplicates.length) {
        this.phase = 'duplicate';
        await this.focusPanel();
        return;
      }
    }
    await this.write();
  }

  /** "Save as a new patient" on the duplicate warning. */
  private createAnyway(): void {
    const q = duplicateQuery(this.values);
    this.acknowledged = q ? `${q.family}|${q.birthdate}` : '';
    this.duplicates = [];
    void this.write();
  }

  private async write(): Promise<void> {
    const fhir = this.fhir;
    const base = this.base;
    const sent = { ...this.values };
    const resource = toPatient(sent, base, {
      normalize: normalizers,
      defaultCountry: this.defaultCountry,
      intakeKey: this.intakeKey,
    });
    const operation = base ? `update Patient/${base.id}` : 'create Patient';
    this.phase = 'saving';
    this.conflict = undefined;
    try {
      if (!fhir) throw new Error('no client');
      const saved = base
        ? await fhir.update(resource)
        : await fhir.create(resource, { ifNoneExist: `identifier=${INTAKE_KEY_SYSTEM}|${this.intakeKey}` });
      this.saved(saved, !base, sent);
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (base && status === 412) return this.resolveConflict(error);
      if (status === 400 || status === 422) this.mapIssues(error, resource);
      this.failed(error, operation, () => void this.save());
    }
  }

  private saved(patient: Patient, created: boolean, sent = this.values): void {
    // Keep anything typed while the save was in flight; show the rest as the server stored it.
    const now = this.values;
    this.adopt(patient);
    for (const k of changedFields(sent, now)) this.values = { ...this.values, [k]: now[k] };
    this.showAll = false;
    this.phase = 'saved';
    this.emit('ehr-patient-saved', { patient, created });
  }

  private failed(error: unknown, operation: string, retry: () => void): void {
    const message = this.fail(error, operation);
    this.failure = { ...message, ...(message.retryable ? { retry } : {}) };
    this.phase = 'editing';
  }

  /** Puts a 422's OperationOutcome issues on the fields their expressions point at. */
  private mapIssues(error: unknown, sent: Patient): void {
    const issues = (error as { issues?: { severity?: string; expression?: string[]; location?: string[]; diagnostics?: string; details?: { text?: string } }[] }).issues ?? [];
    const mapped: Partial<Record<FieldKey, string>> = {};
    for (const issue of issues) {
      if (issue.severity === 'warning' || issue.severity === 'information') continue;
      const text = issue.details?.text ?? issue.diagnostics ?? '';
      for (const expr of issue.expression ?? issue.location ?? []) {
        const key = fieldForExpression(expr, sent);
        if (key && this.sections.some((s) => (SECTIONS[s] as readonly string[]).includes(key))) mapped[key] = text;
      }
    }
    this.serverErrors = mapped;
    this.showAll = true;
  }

  /** 412: fetch the version that won, then show it beside what the user typed. */
  private async resolveConflict(error: unknown): Promise<void> {
    try {
      const latest = await this.fhir!.read('Patient', this.base!.id!);
      const theirs = fromPatient(latest);
      // Everything the user typed is already there: most often our own earlier save, whose answer
      // was lost (a dropped connection, then "Try again"). That is a success, not a conflict.
      if (!changedFields(theirs, this.values).length) return this.saved(latest, false);
      this.fail(error, `update Patient/${this.base!.id}`);
      const fields = FIELD_KEYS.filter((k) => theirs[k] !== this.initial[k] && theirs[k] !== this.values[k]);
      const keep: Conflict['keep'] = {};
      for (const k of fields) keep[k] = this.values[k] !== this.initial[k] ? 'mine' : 'theirs';
      this.conflict = { latest, theirs, fields, keep };
      this.phase = 'conflict';
      await this.focusPanel();
    } catch (e) {
      this.failed(e, `read Patient/${this.base!.id}`, () => void this.save());
    }
  }

  private choose(key: FieldKey, side: 'mine' | 'theirs'): void {
    const c = this.conflict!;
    this.conflict = { ...c, keep: { ...c.keep, [key]: side } };
  }

  /** Saves over the newer version with the user's per-field choices. */
  private saveResolved(): Promise<void> {
    const c = this.conflict!;
    const merged = { ...this.values };
    for (const k of FIELD_KEYS) {
      // Fields only the server changed follow the server unless the user chose to keep theirs.
      if (c.keep[k] === 'theirs' || (!c.fields.includes(k) && merged[k] === this.initial[k])) merged[k] = c.theirs[k];
    }
    this.base = c.latest;
    this.initial = c.theirs;
    this.values = merged;
    this.conflict = undefined;
    this.phase = 'editing';
    return this.save();
  }

  private async focusPanel(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.panel')?.focus();
  }

  // ---- rendering --------------------------------------------------------------------------------

  /** Labels for the current render (built once per render, not once per lookup). */
  private labels: Record<FieldKey, string> | undefined;

  private label(key: FieldKey): string {
    this.labels ??= {
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
    };
    return this.labels[key];
  }

  private errorText(code: FieldError): string {
    switch (code) {
      case 'required': return msg('Required — please fill this in.', { id: 'patient-form.error.required' });
      case 'name-required': return msg('Enter a first or last name.', { id: 'patient-form.error.name' });
      case 'date-invalid': return msg('Enter a real date.', { id: 'patient-form.error.date' });
      case 'date-future': return msg('The date cannot be in the future.', { id: 'patient-form.error.future' });
      case 'date-too-old': return msg('The date cannot be more than 130 years ago.', { id: 'patient-form.error.old' });
      case 'email': return msg('Enter an email address like name@example.com.', { id: 'patient-form.error.email' });
      case 'phone': return msg('Enter a full phone number, including the area code.', { id: 'patient-form.error.phone' });
      case 'postal-code': return msg('Enter a postal code that is valid for the country.', { id: 'patient-form.error.postal' });
      case 'characters': return msg('This contains characters that cannot be saved.', { id: 'patient-form.error.chars' });
      case 'too-long': return msg('This is too long.', { id: 'patient-form.error.long' });
      case 'choice': return msg('Choose one of the options.', { id: 'patient-form.error.choice' });
    }
  }

  private optionLabel(key: FieldKey, code: string): string {
    const t: Record<string, string> = {
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
    if (key === 'country') return regionName(code);
    if (key === 'language') return LANGUAGES[code] ?? code;
    return t[code] ?? code;
  }

  /** The error to show on a field: the server's, else ours once the field was left or a save tried. */
  private shownError(key: FieldKey, errors: FieldErrors): string | undefined {
    const server = this.serverErrors[key];
    if (server) return server;
    const code = errors[key];
    return code && (this.showAll || this.touched.has(key)) ? this.errorText(code) : undefined;
  }

  private isRequired(key: FieldKey): boolean {
    const req = this.requiredSections;
    return (
      key === 'gender' ||
      Object.entries(REQUIRED_FIELDS).some(([s, keys]) => req.includes(s as SectionKey) && (keys as readonly string[]).includes(key))
    );
  }

  private input(key: FieldKey, errors: FieldErrors, o: { type?: 'text' | 'date' | 'tel' | 'email'; autocomplete?: Autocomplete; inputmode?: 'tel'; hint?: string } = {}): TemplateResult {
    const ro = this.readonly || this.phase === 'saving';
    return renderField(
      { id: `f-${key}`, label: this.label(key), hint: o.hint, error: this.shownError(key, errors), required: this.isRequired(key) },
      (a) => html`<input id=${a.id} name=${key} class="input" type=${o.type ?? 'text'} .value=${this.values[key]}
        autocomplete=${o.autocomplete ?? 'off'} inputmode=${o.inputmode ?? nothing}
        min=${ifDefined(o.type === 'date' ? oldestBirthDate() : undefined)} max=${ifDefined(o.type === 'date' ? localToday() : undefined)} ?readonly=${ro}
        aria-describedby=${a.describedBy} aria-invalid=${a.invalid} aria-required=${a.required ? 'true' : 'false'} />`,
    );
  }

  private select(key: FieldKey, errors: FieldErrors, options: readonly string[], o: { autocomplete?: Autocomplete; blank?: boolean } = {}): TemplateResult {
    const current = this.values[key];
    // A value the list does not know (loaded from the server) stays selectable, so it is not lost.
    const all = current && !options.includes(current) ? [...options, current] : options;
    return renderField(
      { id: `f-${key}`, label: this.label(key), error: this.shownError(key, errors), required: this.isRequired(key) },
      (a) => html`<select id=${a.id} name=${key} class="input" autocomplete=${o.autocomplete ?? 'off'}
        ?disabled=${this.readonly} aria-describedby=${a.describedBy} aria-invalid=${a.invalid}
        aria-required=${a.required ? 'true' : 'false'}>
        ${o.blank !== false ? html`<option value="" ?selected=${!current}>${msg('Choose…', { id: 'patient-form.choose' })}</option>` : nothing}
        ${all.map((c) => html`<option value=${c} ?selected=${c === current}>${this.optionLabel(key, c)}</option>`)}
      </select>`,
    );
  }

  private section(key: SectionKey, legend: string, content: unknown): unknown {
    return this.sections.includes(key)
      ? html`<fieldset class="section" part="section" data-section=${key}><legend>${legend}</legend>${content}</fieldset>`
      : nothing;
  }

  private renderForm(): TemplateResult {
    this.labels = undefined; // the locale may have changed since the last render
    const errors = this.errors;
    const v = this.values;
    const shown = this.showAll ? Object.entries(errors) : [];
    const summary = [
      ...shown.map(([k, code]) => ({ id: `f-${k}`, message: `${this.label(k as FieldKey)}: ${this.errorText(code!)}` })),
      ...Object.entries(this.serverErrors)
        .filter(([k, text]) => text && !errors[k as FieldKey])
        .map(([k, text]) => ({ id: `f-${k}`, message: `${this.label(k as FieldKey)}: ${text}` })),
    ];
    const saving = this.phase === 'saving' || this.phase === 'checking';
    const has = (s: SectionKey) => this.sections.includes(s);
    return html`<form part="form" novalidate aria-busy=${saving ? 'true' : 'false'} aria-label=${this.base ? msg('Patient details', { id: 'patient-form.title-edit' }) : msg('New patient', { id: 'patient-form.title-new' })}
        @submit=${this.onSubmit} @input=${this.onInput} @change=${this.onInput} @focusout=${this.onFocusOut}>
      ${renderErrorSummary(summary)}
      ${this.failure ? renderError(this.failure, this.failure.retry) : nothing}
      ${this.phase === 'duplicate' ? this.renderDuplicate() : nothing}
      ${this.phase === 'conflict' ? this.renderConflict() : nothing}
      ${this.section('name', msg('Name', { id: 'patient-form.section.name' }), html`<div class="row">
        ${this.input('given', errors, { autocomplete: 'given-name' })}
        ${this.input('middle', errors, { autocomplete: 'additional-name' })}
        ${this.input('family', errors, { autocomplete: 'family-name' })}
        ${this.input('suffix', errors, { autocomplete: 'honorific-suffix', hint: msg('For example Jr. or III', { id: 'patient-form.hint.suffix' }) })}
        ${this.input('preferred', errors, { autocomplete: 'nickname', hint: msg('What you like to be called', { id: 'patient-form.hint.preferred' }) })}
      </div>`)}
      ${has('birth-date') || has('gender') || has('birth-sex')
        ? html`<fieldset class="section" part="section" data-section="about"><legend>${msg('About you', { id: 'patient-form.section.about' })}</legend><div class="row">
          ${has('birth-date') ? this.input('birthDate', errors, { type: 'date', autocomplete: 'bday' }) : nothing}
          ${has('gender') ? this.select('gender', errors, GENDERS, { autocomplete: 'sex' }) : nothing}
          ${has('birth-sex') ? this.select('birthSex', errors, ['F', 'M', 'UNK']) : nothing}
        </div></fieldset>`
        : nothing}
      ${has('phone') || has('email')
        ? html`<fieldset class="section" part="section" data-section="contact-details"><legend>${msg('Phone and email', { id: 'patient-form.section.telecom' })}</legend><div class="row">
          ${has('phone')
            ? html`${this.input('phone', errors, { type: 'tel', autocomplete: 'tel', inputmode: 'tel' })}
              ${this.select('phoneUse', errors, PHONE_USES, { blank: false })}
              ${this.input('phone2', errors, { type: 'tel', autocomplete: 'off', inputmode: 'tel' })}
              ${this.select('phone2Use', errors, PHONE_USES, { blank: false })}`
            : nothing}
          ${has('email') ? this.input('email', errors, { type: 'email', autocomplete: 'email' }) : nothing}
        </div></fieldset>`
        : nothing}
      ${this.section('address', msg('Home address', { id: 'patient-form.section.address' }), html`<div class="row">
        ${this.input('line1', errors, { autocomplete: 'address-line1' })}
        ${this.input('line2', errors, { autocomplete: 'address-line2' })}
        ${this.input('city', errors, { autocomplete: 'address-level2' })}
        ${this.input('state', errors, { autocomplete: 'address-level1' })}
        ${this.input('postalCode', errors, { autocomplete: 'postal-code' })}
        ${this.select('country', errors, COUNTRIES, { autocomplete: 'country' })}
      </div>`)}
      ${this.section('language', msg('Language', { id: 'patient-form.section.language' }), this.select('language', errors, Object.keys(LANGUAGES)))}
      ${this.section('contact', msg('Emergency contact', { id: 'patient-form.section.contact' }), html`<div class="row">
        ${this.input('contactName', errors, { autocomplete: 'off' })}
        ${this.input('contactRelationship', errors, { autocomplete: 'off', hint: msg('For example: mother, spouse, friend', { id: 'patient-form.hint.relationship' }) })}
        ${this.input('contactPhone', errors, { type: 'tel', autocomplete: 'off', inputmode: 'tel' })}
      </div>`)}
      ${has('race') || has('ethnicity')
        ? html`<fieldset class="section" part="section" data-section="origin"><legend>${msg('Race and ethnicity (optional to answer)', { id: 'patient-form.section.origin' })}</legend>
          ${has('race')
            ? renderFieldset(
                { id: 'f-race', label: this.label('race'), hint: msg('Choose all that apply.', { id: 'patient-form.hint.race' }), error: this.shownError('race', errors), required: this.isRequired('race') },
                html`<div class="checks">${Object.keys(RACE_CODES).map(
                  (c) => html`<label class="check"><input type="checkbox" name="race" value=${c} .checked=${v.race.split(' ').includes(c)} ?disabled=${this.readonly} />${this.optionLabel('race', c)}</label>`,
                )}</div>`,
              )
            : nothing}
          ${has('ethnicity') ? this.select('ethnicity', errors, Object.keys(ETHNICITY_CODES)) : nothing}
        </fieldset>`
        : nothing}
      ${this.renderStatus()}
      ${this.readonly
        ? nothing
        : html`<div class="actions">
            <button part="submit" class="btn btn-primary" type="submit" aria-disabled=${saving ? 'true' : 'false'}>
              ${saving ? msg('Saving…', { id: 'patient-form.saving' }) : this.base ? msg('Save changes', { id: 'patient-form.save' }) : msg('Save', { id: 'patient-form.create' })}
            </button>
          </div>`}
    </form>`;
  }

  private renderStatus(): TemplateResult {
    const text =
      this.phase === 'saving'
        ? msg('Saving…', { id: 'patient-form.saving' })
        : this.phase === 'checking'
          ? msg('Checking for an existing record…', { id: 'patient-form.checking' })
          : this.phase === 'saved'
            ? msg('Saved.', { id: 'patient-form.saved' })
            : '';
    return html`<div part="status" role="status" class=${this.phase === 'saved' ? 'alert alert-success' : 'visually-hidden'}>${text}</div>`;
  }

  private renderDuplicate(): TemplateResult {
    // Only a signed-in clinician may see who else is on file; a patient (anonymous, or signed in as
    // a Patient/RelatedPerson) only learns that someone may be.
    const s = this.session;
    const clinician = s?.status === 'signed-in' && !/^(Patient|RelatedPerson)\//.test(s.fhirUser ?? '');
    return html`<div class="alert alert-warning panel" part="duplicate" tabindex="-1" role="region" aria-labelledby="dup-title">
      <h2 id="dup-title">${msg('A record like this may already exist', { id: 'patient-form.dup.title' })}</h2>
      ${clinician
        ? html`<p>${msg('These patients have the same last name and date of birth:', { id: 'patient-form.dup.list' })}</p>
            <ul>${this.duplicates.map((p) => html`<li>${formatHumanName(p.name)} · ${formatFhirDate(p.birthDate ?? '')}${p.id ? html` · <span class="muted">${p.id}</span>` : nothing}</li>`)}</ul>`
        : html`<p>${msg('If you have been here before, please check with the front desk before creating a new record.', { id: 'patient-form.dup.anon' })}</p>`}
      <div class="actions">
        <button class="btn btn-primary" type="button" @click=${this.createAnyway}>${msg('Save as a new patient', { id: 'patient-form.dup.create' })}</button>
        <button class="btn" type="button" @click=${() => (this.phase = 'editing')}>${msg('Go back', { id: 'patient-form.dup.back' })}</button>
      </div>
    </div>`;
  }

  private shownValue(key: FieldKey, value: string): unknown {
    if (!value) return html`<span class="empty-value">${msg('(empty)', { id: 'patient-form.empty' })}</span>`;
    const shown = key === 'race' ? value.split(' ').map((c) => this.optionLabel(key, c)).join(', ') : key.endsWith('Use') || ['gender', 'country', 'language', 'ethnicity', 'birthSex'].includes(key) ? this.optionLabel(key, value) : value;
    return html`<span class="value">${shown}</span>`;
  }

  private renderConflict(): TemplateResult {
    const c = this.conflict!;
    return html`<div class="alert alert-warning panel" part="conflict" tabindex="-1" role="region" aria-labelledby="conflict-title">
      <h2 id="conflict-title">${msg('Someone else changed this record while you were working on it', { id: 'patient-form.conflict.title' })}</h2>
      <p>${c.fields.length
        ? msg('For each difference, choose which to keep. Nothing is saved until you press the button below.', { id: 'patient-form.conflict.help' })
        : msg('Their changes do not touch what you changed. Save again to keep both.', { id: 'patient-form.conflict.none' })}</p>
      ${c.fields.map(
        (k) => html`<fieldset class="diff" data-field=${k}>
          <legend>${this.label(k)}</legend>
          <label class="check"><input type="radio" name="keep-${k}" value="mine" .checked=${c.keep[k] === 'mine'} @change=${() => this.choose(k, 'mine')} />
            <span>${this.values[k] !== this.initial[k] ? msg('Yours:', { id: 'patient-form.conflict.mine' }) : msg('As it was:', { id: 'patient-form.conflict.before' })} ${this.shownValue(k, this.values[k])}</span></label>
          <label class="check"><input type="radio" name="keep-${k}" value="theirs" .checked=${c.keep[k] === 'theirs'} @change=${() => this.choose(k, 'theirs')} />
            <span>${msg('On the server now:', { id: 'patient-form.conflict.theirs' })} ${this.shownValue(k, c.theirs[k])}</span></label>
        </fieldset>`,
      )}
      <div class="actions"><button class="btn btn-primary" type="button" @click=${this.saveResolved}>${msg('Save with these choices', { id: 'patient-form.conflict.save' })}</button></div>
    </div>`;
  }

  override render(): unknown {
    return renderState(this.load, {
      loading: () => renderLoading(msg('Loading patient details…', { id: 'patient-form.loading' }), 6),
      isEmpty: () => false,
      complete: () => this.renderForm(),
    });
  }
}

/** 130 years before today: the earliest birth date the date picker offers. */
function oldestBirthDate(): string {
  const t = localToday();
  return `${String(Number(t.slice(0, 4)) - 130).padStart(4, '0')}${t.slice(4)}`;
}

function regionName(code: string): string {
  try {
    return new Intl.DisplayNames([getEhrLocale()], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}
