import { css, html, nothing, type TemplateResult, type CSSResult } from 'lit';
import { msg, str } from '@lit/localize';

/** What a control needs to be wired to its label, hint and error. */
export interface FieldControlAttrs {
  /** The control's id (the label's `for`). */
  id: string;
  /** For `aria-describedby=${a.describedBy}` (hint and error ids), or `nothing`. */
  describedBy: string | typeof nothing;
  /** For `aria-invalid=${a.invalid}`. */
  invalid: 'true' | 'false';
  /** Bind it: `?required=${a.required}` (or `aria-required`). The label's `*` is hidden from screen readers, which announce the control's own "required". */
  required: boolean;
}

/** A field for `renderField` / `renderFieldset`. */
export interface FieldOptions {
  /** The control's id; unique in the element's shadow root. */
  id: string;
  label: string;
  hint?: string;
  /** The message(s) to show under the field; empty/undefined = valid. */
  error?: string | readonly string[] | undefined;
  required?: boolean;
  /** Wraps everything in the part `field`, and names its pieces `field-label`, `field-hint`, `field-error`. */
  part?: string;
}

const errorText = (e: FieldOptions['error']) => (Array.isArray(e) ? e.join(' ') : (e as string | undefined)) || '';

/** Ids a field's hint and error get (so other code can point at them). */
export const fieldIds = (id: string) => ({ hint: `${id}-hint`, error: `${id}-error` });

/**
 * A labelled field: label (with a required marker read as "required"), hint, inline error and a
 * control wired with `aria-describedby` / `aria-invalid`:
 * ```ts
 * renderField({ id: 'family', label: msg('Last name'), required: true, error: this.errors.get('family') },
 *   (a) => html`<input id=${a.id} class="input" autocomplete="family-name" .value=${this.family}
 *     aria-describedby=${a.describedBy} aria-invalid=${a.invalid} ?required=${a.required}
 *     @input=${this.onFamily} />`)
 * ```
 * Add `fieldStyles` to the element's styles.
 */
export function renderField(o: FieldOptions, control: (a: FieldControlAttrs) => unknown): TemplateResult {
  const ids = fieldIds(o.id);
  const error = errorText(o.error);
  const describedBy = [o.hint ? ids.hint : '', error ? ids.error : ''].filter(Boolean).join(' ');
  return html`<div class="field" part=${o.part ?? 'field'}>
    <label class="field-label" part="field-label" for=${o.id}
      >${o.label}${o.required ? html` <span class="field-required" aria-hidden="true">*</span>` : nothing}</label
    >
    ${o.hint ? html`<span class="field-hint" part="field-hint" id=${ids.hint}>${o.hint}</span>` : nothing}
    ${control({ id: o.id, describedBy: describedBy || nothing, invalid: error ? 'true' : 'false', required: !!o.required })}
    ${error ? html`<span class="field-error" part="field-error" id=${ids.error}>${error}</span>` : nothing}
  </div>`;
}

/**
 * A group of controls (radios, checkboxes, date parts) under one legend, with hint and error
 * described on the fieldset.
 */
export function renderFieldset(o: Omit<FieldOptions, 'id'> & { id: string }, content: unknown): TemplateResult {
  const ids = fieldIds(o.id);
  const error = errorText(o.error);
  const describedBy = [o.hint ? ids.hint : '', error ? ids.error : ''].filter(Boolean).join(' ');
  return html`<fieldset class="field" part=${o.part ?? 'field'} id=${o.id}
    aria-describedby=${describedBy || nothing} aria-invalid=${error ? 'true' : nothing} tabindex="-1">
    <legend class="field-label" part="field-label">${o.label}${o.required ? html` <span class="field-required" aria-hidden="true">*</span><span class="visually-hidden">${msg('(required)', { id: 'core.field.required' })}</span>` : nothing}</legend>
    ${o.hint ? html`<span class="field-hint" part="field-hint" id=${ids.hint}>${o.hint}</span>` : nothing}
    ${content}
    ${error ? html`<span class="field-error" part="field-error" id=${ids.error}>${error}</span>` : nothing}
  </fieldset>`;
}

/** One entry of an error summary: the field's id and what is wrong with it. */
export interface SummaryError {
  id: string;
  message: string;
}

function focusField(event: Event, id: string): void {
  event.preventDefault();
  const root = (event.currentTarget as Element).getRootNode() as Document | ShadowRoot;
  const field = root.getElementById(id) as HTMLElement | null;
  field?.scrollIntoView({ block: 'center' });
  field?.focus();
}

/**
 * "There is a problem" above a form: an alert that lists each error as a link which moves
 * focus to its field. Render it when a submit fails, then call `focusErrorSummary(this)`.
 * Renders nothing for an empty list.
 */
export function renderErrorSummary(errors: readonly SummaryError[], title?: string): TemplateResult | typeof nothing {
  if (!errors.length) return nothing;
  return html`<div class="alert alert-error error-summary" part="error-summary" role="alert" tabindex="-1" aria-labelledby="ehr-error-summary-title">
    <h2 id="ehr-error-summary-title">${title ?? (errors.length === 1
      ? msg('There is a problem', { id: 'core.summary.one' })
      : msg(str`There are ${errors.length} problems`, { id: 'core.summary.many' }))}</h2>
    <ul>
      ${errors.map((e) => html`<li><a href="#${e.id}" @click=${(ev: Event) => focusField(ev, e.id)}>${e.message}</a></li>`)}
    </ul>
  </div>`;
}

/** Moves focus to the element's error summary once it has rendered. */
export async function focusErrorSummary(host: HTMLElement & { updateComplete?: Promise<unknown> }): Promise<void> {
  await host.updateComplete;
  (host.shadowRoot?.querySelector('.error-summary') as HTMLElement | null)?.focus();
}

/** Layout for the form-field helpers (`renderField`, `renderErrorSummary`). */
export const fieldStyles: CSSResult = css`
.field{display:grid;gap:var(--_space-1);margin-block-end:var(--_space-4)}
.field-label{font-weight:var(--_font-weight-strong)}
.field-required{color:var(--_color-danger)}
.field-hint{color:var(--_color-text-muted);font-size:var(--_font-size-s)}
.field-error{color:var(--_color-danger);font-size:var(--_font-size-s);font-weight:var(--_font-weight-strong)}
.field-error::before{content:'⚠ '}
.error-summary{margin-block-end:var(--_space-4)}
.error-summary h2{font-size:var(--_font-size-l);margin:0 0 var(--_space-2)}
.error-summary ul{margin:0;padding-inline-start:var(--_space-5)}
.error-summary a{color:var(--_color-danger)}
.error-summary:focus{outline:3px solid var(--_color-focus);outline-offset:2px}
`;
