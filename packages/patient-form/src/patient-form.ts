import type { PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { msg } from '@lit/localize';
import { TaskStatus } from '@lit/task';
import type { Patient } from '@medplum/fhirtypes';
// Core's narrow entries, not the barrel (which would pull what only the view uses into this file).
import { EhrElement, registerTranslations, renderLoading, renderState } from '@ehr-kit/core/element';
import { flow, view } from './lazy.js';
import { layoutStyles, shellStyles } from './patient-form.styles.js';
import type { FormView, Shell } from './view.js';

registerTranslations('es', () => import('./locales/es.js'));

/** How many fields a section of `fields` holds where more than one (view.ts has the fields; the skeleton only their number). */
const SIZES: Record<string, number> = { name: 5, phone: 4, address: 6, contact: 3, race: 5 };

declare module '@ehr-kit/core/element' {
  interface EhrEventMap {
    'ehr-patient-saved': { patient: Patient; created: boolean };
  }
}

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
  // The skeleton and the error state only; the view adopts core's styles and the form's own when it arrives.
  static override styles = [shellStyles, layoutStyles];

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

  /** The form (view.ts), made once its chunk is in. */
  #view: FormView | undefined;
  /** The last load failed because the form's code could not be fetched (for ehr-error's operation). */
  #codeFailed = false;

  readonly #shell: Shell = ((el) => ({
    el,
    get fhir() { return el.fhir; },
    get session() { return el.session; },
    emit: (patient, created) => void el.emit('ehr-patient-saved', { patient, created }),
    fail: (error, operation) => el.fail(error, operation),
  }))(this);

  // The form's code loads alongside the Patient (edit) or alone (create): the form appears when both are in.
  #load = ((el) => el.fhirTask({
    get operation() {
      return el.#codeFailed ? 'load ehr-patient-form code' : 'read Patient';
    },
    args: () => [el.patientId] as const,
    run: async (fhir, [id], signal) => {
      el.#codeFailed = false;
      const code = Promise.all([view(), id && flow()]).catch((error: unknown) => {
        el.#codeFailed = true;
        throw error;
      });
      return (await Promise.all([id ? fhir.read('Patient', id, { signal }) : undefined, code]))[0];
    },
  }))(this);

  constructor() {
    super();
    // The form's code starts loading with the first element (for one already in the page: when the
    // tag is defined), in parallel with anything else; a failure here is silent, the load Task reports it.
    view().catch(() => undefined);
  }

  protected override async getUpdateComplete(): Promise<boolean> {
    await super.getUpdateComplete();
    // Rendered means rendered with the code it was loading: a new form's view, the rules after a field was left.
    if (!this.patientId) await this.#load.taskComplete.catch(() => undefined);
    await this.#view?.pending;
    return super.getUpdateComplete();
  }

  override willUpdate(changed: PropertyValues<this>): void {
    const v = view.value;
    if (v) (this.#view ??= new v.FormView(this.#shell)).willUpdate(changed, this.#load.value);
  }

  /** Validates, checks for a likely duplicate (create), then writes. Does nothing until the form is shown. */
  async save(): Promise<void> {
    if (this.#load.status === TaskStatus.COMPLETE) return this.#view?.save();
  }

  override render(): unknown {
    return renderState(this.#load, {
      loading: () =>
        renderLoading(
          msg('Loading patient details…', { id: 'patient-form.loading' }),
          (this.fields ?? 'name birth-date gender phone email address language contact').split(/[\s,]+/).reduce((n, t) => n + (SIZES[t] ?? 1), 0),
        ),
      isEmpty: () => false,
      complete: () => this.#view?.render(),
    });
  }
}
