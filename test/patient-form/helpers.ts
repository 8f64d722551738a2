// Acting on <ehr-patient-form> the way a person does: find fields by their visible label, type,
// choose, press buttons by their text. Shared by the mock and reference-server suites.
import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { EhrPatientForm } from '../../packages/patient-form/src/patient-form.js';

export const root = (el: EhrPatientForm) => el.shadowRoot!;

/** The control a visible label (or fieldset legend) names; the label text must start with `text`. */
export function field<T extends HTMLElement = HTMLInputElement>(el: EhrPatientForm, text: string): T {
  const labels = [...root(el).querySelectorAll('label[for]')] as HTMLLabelElement[];
  const label = labels.find((l) => l.textContent!.trim().replace(/\s+/g, ' ').startsWith(text));
  if (!label) throw new Error(`no field labelled "${text}" (have: ${labels.map((l) => l.textContent!.trim()).join(' | ')})`);
  return root(el).getElementById(label.htmlFor) as T;
}

/** Clicks into a field, clears it and types `text` on the keyboard. */
export async function type(el: EhrPatientForm, label: string, text: string): Promise<void> {
  const input = field(el, label);
  input.focus();
  await sendKeys({ press: 'Control+A' });
  await sendKeys({ press: 'Backspace' });
  if (text) await sendKeys({ type: text });
  await el.updateComplete;
}

/** Pastes `text` into a field (for very long strings, which would take minutes to type). */
export async function paste(el: EhrPatientForm, label: string, text: string): Promise<void> {
  const input = field(el, label);
  input.focus();
  input.value = text;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertFromPaste' }));
  await el.updateComplete;
}

/** Types a date into a native date field, digit by digit (month, day, year in an en-US Chromium). */
export async function typeDate(el: EhrPatientForm, label: string, iso: string): Promise<void> {
  const input = field(el, label);
  // Start from an empty field, with the caret in its first part (as after clicking "clear").
  input.blur();
  input.value = '';
  input.focus();
  const [y, m, d] = iso.split('-');
  await sendKeys({ type: `${m}${d}${y}` });
  await el.updateComplete;
  expect(input.value, 'date typed').to.equal(iso);
}

/** Picks an option of a select by its visible text, with the keyboard where possible. */
export async function choose(el: EhrPatientForm, label: string, optionText: string): Promise<void> {
  const select = field<HTMLSelectElement>(el, label);
  const option = [...select.options].find((o) => o.text.trim() === optionText);
  if (!option) throw new Error(`no option "${optionText}" in ${label}`);
  select.focus();
  select.value = option.value;
  select.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  await el.updateComplete;
}

/** The button whose text starts with `text`. */
export function button(el: EhrPatientForm, text: string): HTMLButtonElement {
  const b = [...root(el).querySelectorAll('button')].find((x) => x.textContent!.trim().startsWith(text));
  if (!b) throw new Error(`no button "${text}" (have: ${[...root(el).querySelectorAll('button')].map((x) => x.textContent!.trim()).join(' | ')})`);
  return b;
}

export async function click(el: EhrPatientForm, text: string): Promise<void> {
  button(el, text).click();
  await el.updateComplete;
}

/** Visible text of the element's shadow root, whitespace collapsed. */
export const text = (el: EhrPatientForm) => (root(el).textContent ?? '').replace(/\s+/g, ' ');

/** Waits until `predicate` holds, re-rendering in between. */
export async function until(predicate: () => boolean, message: string, timeout = 5000): Promise<void> {
  await waitUntil(predicate, message, { timeout, interval: 20 });
}

/** Like `until`, but on timeout the error shows what the element was showing. */
export async function untilShown(el: EhrPatientForm, selector: string, message: string, timeout = 5000): Promise<void> {
  try {
    await waitUntil(() => !!root(el).querySelector(selector), message, { timeout, interval: 20 });
  } catch (e) {
    throw new Error(`${(e as Error).message}; showing: ${text(el).slice(0, 600)}`);
  }
}

/** Resolves with the next event of `type` on `el`. */
export function next<T = unknown>(el: EventTarget, type: string): Promise<CustomEvent<T>> {
  return new Promise((resolve) => el.addEventListener(type, (e) => resolve(e as CustomEvent<T>), { once: true }));
}

/** Fills in the minimum intake (name, birth date, gender) by keyboard. */
export async function fillMinimum(el: EhrPatientForm, o: { given?: string; family?: string; birthDate?: string; gender?: string } = {}) {
  await type(el, 'First name', o.given ?? 'Ana');
  await type(el, 'Last name', o.family ?? 'Okafor');
  await typeDate(el, 'Date of birth', o.birthDate ?? '1984-03-15');
  await choose(el, 'Gender', o.gender ?? 'Female');
}

/** Waits until the form is rendered (after any load). */
export async function ready(el: EhrPatientForm): Promise<void> {
  await until(() => !!root(el).querySelector('form'), 'form rendered');
  await el.updateComplete;
}

export const settle = () => aTimeout(0);
