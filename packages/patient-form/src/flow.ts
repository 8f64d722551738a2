/**
 * Everything <ehr-patient-form> does after its first paint, loaded on demand (prefetched when the
 * browser is idle and on first focus): the rules and their messages, reading a loaded Patient,
 * saving (duplicate check, conditional create, If-Match update, server issues on their fields),
 * and the duplicate and 412 conflict panels. It works on the element's `FormState` via `FlowHost`.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { msg } from '@lit/localize';
import type { Patient } from '@medplum/fhirtypes';
import { formatFhirDate, formatHumanName } from '@ehr-kit/core/format';
import { FIELD_KEYS, SECTIONS, localToday, type FieldKey, type FlowHost, type FormState, type Phase } from './fields.js';
import { INTAKE_KEY_SYSTEM, changedFields, duplicateQuery, fieldForExpression, fromPatient, likelyDuplicates, toPatient } from './model.js';
import { normalizers, validate, type FieldError, type FieldErrors } from './validation.js';

/** Every current error of the form, as codes. */
export function check(h: FlowHost): FieldErrors {
  const s = h.s;
  const errors = validate(s.values, {
    sections: h.sections,
    required: h.required,
    today: localToday(),
    defaultCountry: h.defaultCountry,
    ...(s.base ? { initial: s.initial } : {}),
  });
  if (s.badDate) errors.birthDate = 'date-invalid';
  return errors;
}

export function errorText(code: FieldError): string {
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

/** The status line's words for a phase ('' when there is nothing to announce). */
export function statusText(phase: Phase): string {
  return phase === 'saving'
    ? msg('Saving…', { id: 'patient-form.saving' })
    : phase === 'checking'
      ? msg('Checking for an existing record…', { id: 'patient-form.checking' })
      : phase === 'saved'
        ? msg('Saved.', { id: 'patient-form.saved' })
        : '';
}

/** Makes `patient` what the form edits (as loaded or saved). */
export function adopt(s: FormState, patient: Patient): void {
  s.base = patient;
  s.initial = fromPatient(patient);
  s.values = { ...s.initial };
  s.touched = new Set();
  s.serverErrors = {};
}

export const dirty = (s: FormState): boolean => changedFields(s.initial, s.values).length > 0;

/** Validates, checks for a likely duplicate (create), then writes. */
export async function save(h: FlowHost): Promise<void> {
  const s = h.s;
  if (s.phase === 'saving' || s.phase === 'checking') return;
  // Enter while comparing versions means "save with these choices", never a blind overwrite.
  if (s.phase === 'conflict') return saveResolved(h);
  s.failure = undefined;
  s.showAll = true;
  if (Object.keys(check(h)).length) {
    s.phase = 'editing';
    return h.focus('.error-summary');
  }
  const fhir = h.fhir;
  const query = duplicateQuery(s.values);
  if (!s.base && fhir && query && !h.noDuplicateCheck && s.acknowledged !== `${query.family}|${query.birthdate}`) {
    s.phase = 'checking';
    h.update();
    try {
      s.duplicates = likelyDuplicates(s.values, await fhir.searchResources('Patient', query), s.intakeKey);
    } catch (error) {
      // Many servers do not let an anonymous patient search; that only means we cannot warn.
      const status = (error as { status?: number }).status;
      if (status !== 401 && status !== 403) return failed(h, error, 'search Patient');
      s.duplicates = [];
    }
    if (s.duplicates.length) {
      s.phase = 'duplicate';
      return h.focus('.panel');
    }
  }
  await write(h);
}

async function write(h: FlowHost): Promise<void> {
  const { s, fhir } = h;
  const base = s.base;
  const sent = { ...s.values };
  const resource = toPatient(sent, base, { normalize: normalizers, defaultCountry: h.defaultCountry, intakeKey: s.intakeKey });
  s.phase = 'saving';
  s.conflict = undefined;
  h.update();
  try {
    if (!fhir) throw new Error('no client');
    const patient = base
      ? await fhir.update(resource)
      : await fhir.create(resource, { ifNoneExist: `identifier=${INTAKE_KEY_SYSTEM}|${s.intakeKey}` });
    saved(h, patient, !base, sent);
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (base && status === 412) return resolveConflict(h, error);
    if (status === 400 || status === 422) mapIssues(h, error, resource);
    failed(h, error, base ? `update Patient/${base.id}` : 'create Patient');
  }
}

function saved(h: FlowHost, patient: Patient, created: boolean, sent = h.s.values): void {
  const s = h.s;
  // Keep anything typed while the save was in flight; show the rest as the server stored it.
  const now = s.values;
  adopt(s, patient);
  for (const k of changedFields(sent, now)) s.values[k] = now[k];
  s.showAll = false;
  s.phase = 'saved';
  h.update();
  h.emit(patient, created);
}

function failed(h: FlowHost, error: unknown, operation: string): void {
  const message = h.fail(error, operation);
  h.s.failure = { ...message, ...(message.retryable ? { retry: () => void h.save() } : {}) };
  h.s.phase = 'editing';
  h.update();
}

/** Puts a 400/422's OperationOutcome issues on the fields their expressions point at. */
function mapIssues(h: FlowHost, error: unknown, sent: Patient): void {
  const issues = (error as { issues?: { severity?: string; expression?: string[]; location?: string[]; diagnostics?: string; details?: { text?: string } }[] }).issues ?? [];
  const mapped: Partial<Record<FieldKey, string>> = {};
  for (const issue of issues) {
    if (issue.severity === 'warning' || issue.severity === 'information') continue;
    const text = issue.details?.text ?? issue.diagnostics ?? '';
    for (const expr of issue.expression ?? issue.location ?? []) {
      const key = fieldForExpression(expr, sent);
      if (key && h.sections.some((sec) => (SECTIONS[sec] as readonly string[]).includes(key))) mapped[key] = text;
    }
  }
  h.s.serverErrors = mapped;
  h.s.showAll = true;
}

/** 412: fetch the version that won, then show it beside what the user typed. */
async function resolveConflict(h: FlowHost, error: unknown): Promise<void> {
  const s = h.s;
  const id = s.base!.id!;
  try {
    const latest = await h.fhir!.read('Patient', id);
    const theirs = fromPatient(latest);
    // Everything the user typed is already there: most often our own earlier save, whose answer
    // was lost (a dropped connection, then "Try again"). That is a success, not a conflict.
    if (!changedFields(theirs, s.values).length) return saved(h, latest, false);
    h.fail(error, `update Patient/${id}`);
    const fields = FIELD_KEYS.filter((k) => theirs[k] !== s.initial[k] && theirs[k] !== s.values[k]);
    const keep: Partial<Record<FieldKey, 'mine' | 'theirs'>> = {};
    for (const k of fields) keep[k] = s.values[k] !== s.initial[k] ? 'mine' : 'theirs';
    s.conflict = { latest, theirs, fields, keep };
    s.phase = 'conflict';
    await h.focus('.panel');
  } catch (e) {
    failed(h, e, `read Patient/${id}`);
  }
}

/** Saves over the newer version with the user's per-field choices. */
function saveResolved(h: FlowHost): Promise<void> {
  const s = h.s;
  const c = s.conflict!;
  const merged = { ...s.values };
  for (const k of FIELD_KEYS) {
    // Fields only the server changed follow the server unless the user chose to keep theirs.
    if (c.keep[k] === 'theirs' || (!c.fields.includes(k) && merged[k] === s.initial[k])) merged[k] = c.theirs[k];
  }
  s.base = c.latest;
  s.initial = c.theirs;
  s.values = merged;
  s.conflict = undefined;
  s.phase = 'editing';
  return h.save();
}

/** The duplicate or conflict panel, when the phase calls for one. */
export function renderPanel(h: FlowHost): TemplateResult | typeof nothing {
  const phase = h.s.phase;
  return phase === 'duplicate' ? renderDuplicate(h) : phase === 'conflict' ? renderConflict(h) : nothing;
}

function renderDuplicate(h: FlowHost): TemplateResult {
  const s = h.s;
  // Only a signed-in clinician may see who else is on file; a patient (anonymous, or signed in as
  // a Patient/RelatedPerson) only learns that someone may be.
  const session = h.session;
  const clinician = session?.status === 'signed-in' && !/^(Patient|RelatedPerson)\//.test(session.fhirUser ?? '');
  const createAnyway = () => {
    const q = duplicateQuery(s.values);
    s.acknowledged = q ? `${q.family}|${q.birthdate}` : '';
    s.duplicates = [];
    void write(h);
  };
  const back = () => {
    s.phase = 'editing';
    h.update();
  };
  return html`<div class="alert alert-warning panel" part="duplicate" tabindex="-1" role="region" aria-labelledby="dup-title">
    <h2 id="dup-title">${msg('A record like this may already exist', { id: 'patient-form.dup.title' })}</h2>
    ${clinician
      ? html`<p>${msg('These patients have the same last name and date of birth:', { id: 'patient-form.dup.list' })}</p>
          <ul>${s.duplicates.map((p) => html`<li>${formatHumanName(p.name)} · ${formatFhirDate(p.birthDate ?? '')}${p.id ? html` · <span class="muted">${p.id}</span>` : nothing}</li>`)}</ul>`
      : html`<p>${msg('If you have been here before, please check with the front desk before creating a new record.', { id: 'patient-form.dup.anon' })}</p>`}
    <div class="actions">
      <button class="btn btn-primary" type="button" @click=${createAnyway}>${msg('Save as a new patient', { id: 'patient-form.dup.create' })}</button>
      <button class="btn" type="button" @click=${back}>${msg('Go back', { id: 'patient-form.dup.back' })}</button>
    </div>
  </div>`;
}

function shownValue(h: FlowHost, key: FieldKey, value: string): TemplateResult {
  if (!value) return html`<span class="empty-value">${msg('(empty)', { id: 'patient-form.empty' })}</span>`;
  const shown =
    key === 'race'
      ? value.split(' ').map((c) => h.option(key, c)).join(', ')
      : key.endsWith('Use') || ['gender', 'country', 'language', 'ethnicity', 'birthSex'].includes(key)
        ? h.option(key, value)
        : value;
  return html`<span class="value">${shown}</span>`;
}

function renderConflict(h: FlowHost): TemplateResult {
  const s = h.s;
  const c = s.conflict!;
  const choose = (key: FieldKey, side: 'mine' | 'theirs') => () => {
    s.conflict = { ...c, keep: { ...c.keep, [key]: side } };
    h.update();
  };
  return html`<div class="alert alert-warning panel" part="conflict" tabindex="-1" role="region" aria-labelledby="conflict-title">
    <h2 id="conflict-title">${msg('Someone else changed this record while you were working on it', { id: 'patient-form.conflict.title' })}</h2>
    <p>${c.fields.length
      ? msg('For each difference, choose which to keep. Nothing is saved until you press the button below.', { id: 'patient-form.conflict.help' })
      : msg('Their changes do not touch what you changed. Save again to keep both.', { id: 'patient-form.conflict.none' })}</p>
    ${c.fields.map(
      (k) => html`<fieldset class="diff" data-field=${k}>
        <legend>${h.label(k)}</legend>
        <label class="check"><input type="radio" name="keep-${k}" value="mine" .checked=${c.keep[k] === 'mine'} @change=${choose(k, 'mine')} />
          <span>${s.values[k] !== s.initial[k] ? msg('Yours:', { id: 'patient-form.conflict.mine' }) : msg('As it was:', { id: 'patient-form.conflict.before' })} ${shownValue(h, k, s.values[k])}</span></label>
        <label class="check"><input type="radio" name="keep-${k}" value="theirs" .checked=${c.keep[k] === 'theirs'} @change=${choose(k, 'theirs')} />
          <span>${msg('On the server now:', { id: 'patient-form.conflict.theirs' })} ${shownValue(h, k, c.theirs[k])}</span></label>
      </fieldset>`,
    )}
    <div class="actions"><button class="btn btn-primary" type="button" @click=${() => void saveResolved(h)}>${msg('Save with these choices', { id: 'patient-form.conflict.save' })}</button></div>
  </div>`;
}
