import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LitElement, html as litHtml } from 'lit';
import { state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import { sendKeys } from '@web/test-runner-commands';
import { FhirError } from '@ehr-kit/fhir-client';
import {
  baseStyles, define, fieldStyles, focusErrorSummary, renderErrorSummary, renderField, renderFieldset, renderState,
} from '@ehr-kit/core';

/** A tiny form built only from core's helpers, as an element author would. */
class DemoForm extends LitElement {
  static override styles = [baseStyles, fieldStyles];
  @state() accessor errors: Record<string, string> = {};
  @state() accessor submitted = false;

  async submit() {
    const family = (this.shadowRoot!.getElementById('family') as HTMLInputElement).value;
    this.errors = family ? {} : { family: 'Enter your last name', gender: 'Choose one' };
    this.submitted = true;
    if (Object.keys(this.errors).length) await focusErrorSummary(this);
  }

  override render() {
    const summary = Object.entries(this.errors).map(([id, message]) => ({ id, message }));
    return litHtml`
      ${this.submitted ? renderErrorSummary(summary) : ''}
      ${renderField({ id: 'family', label: 'Last name', hint: 'As on your insurance card', required: true, error: this.errors.family },
        (a) => litHtml`<input id=${a.id} class="input" aria-describedby=${a.describedBy} aria-invalid=${a.invalid} ?required=${a.required} />`)}
      ${renderField({ id: 'nick', label: 'Nickname' },
        (a) => litHtml`<input id=${a.id} class="input" aria-describedby=${a.describedBy} aria-invalid=${a.invalid} />`)}
      ${renderFieldset({ id: 'gender', label: 'Gender', error: this.errors.gender }, litHtml`
        <label><input type="radio" name="g" value="female" /> Female</label>
        <label><input type="radio" name="g" value="male" /> Male</label>`)}
      <button class="btn btn-primary" @click=${() => this.submit()}>Save</button>`;
  }
}
define('demo-form', DemoForm);

/** Shows a task through renderState with core's defaults. */
class DemoStatus extends LitElement {
  static override styles = baseStyles;
  result: () => Promise<unknown> = async () => [];
  runs = 0;
  readonly task = new Task(this, {
    task: async () => {
      this.runs++;
      return this.result();
    },
    autoRun: false,
  });
  override render() {
    return litHtml`${renderState(this.task, { complete: (v) => litHtml`<p class="done">${(v as string[]).join(',')}</p>` })}`;
  }
}
define('demo-status', DemoStatus);

describe('form-field helpers', () => {
  it('label, hint, error and aria are wired together', async () => {
    const el = await fixture<DemoForm>(html`<demo-form></demo-form>`);
    const root = el.shadowRoot!;
    const family = root.getElementById('family') as HTMLInputElement;
    expect(root.querySelector('label[for=family]')!.textContent!.trim()).to.match(/^Last name\s*\*$/);
    expect(root.querySelector('label[for=family] [aria-hidden=true]')!.textContent).to.equal('*');
    expect(family.getAttribute('aria-describedby')).to.equal('family-hint');
    expect(family.getAttribute('aria-invalid')).to.equal('false');
    expect(family.required).to.equal(true);
    expect(root.getElementById('nick')!.hasAttribute('aria-describedby'), 'no hint, no error → no describedby').to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('on a failed submit: inline errors, a focused summary whose links focus the fields', async () => {
    const el = await fixture<DemoForm>(html`<demo-form></demo-form>`);
    const root = el.shadowRoot!;
    (root.querySelector('button') as HTMLButtonElement).click();
    await waitUntil(() => root.activeElement?.classList.contains('error-summary'), 'the summary takes focus');
    const summary = root.querySelector('.error-summary')!;
    expect(summary.getAttribute('role')).to.equal('alert');
    expect(summary.querySelector('h2')!.textContent).to.equal('There are 2 problems');
    const family = root.getElementById('family') as HTMLInputElement;
    expect(family.getAttribute('aria-invalid')).to.equal('true');
    expect(family.getAttribute('aria-describedby')).to.equal('family-hint family-error');
    expect(root.getElementById('family-error')!.textContent).to.equal('Enter your last name');
    expect(root.getElementById('gender')!.getAttribute('aria-describedby')).to.equal('gender-error');
    await expect(el).to.be.accessible();

    (summary.querySelector('a[href="#family"]') as HTMLAnchorElement).click();
    expect(root.activeElement).to.equal(family);
    await sendKeys({ type: 'Ng' });
    expect(family.value).to.equal('Ng');
    (summary.querySelector('a[href="#gender"]') as HTMLAnchorElement).click();
    expect(root.activeElement).to.equal(root.getElementById('gender'));
  });
});

describe('renderState', () => {
  it('loading, complete and empty', async () => {
    const el = await fixture<DemoStatus>(html`<demo-status></demo-status>`);
    const root = el.shadowRoot!;
    expect(root.querySelector('[role=status]'), 'initial shows progress').to.exist;
    let resolve!: (v: unknown) => void;
    el.result = () => new Promise((r) => (resolve = r));
    void el.task.run();
    await el.updateComplete;
    expect(root.querySelector('[role=status]')!.textContent).to.contain('Loading…');
    await expect(el).to.be.accessible();
    resolve(['a', 'b']);
    await waitUntil(() => root.querySelector('.done'));
    expect(root.querySelector('.done')!.textContent).to.equal('a,b');
    el.result = async () => [];
    await el.task.run();
    await el.updateComplete;
    expect(root.querySelector('[part=empty]')!.textContent).to.equal('Nothing to show yet.');
  });

  it('error in plain words, with a retry that runs again', async () => {
    const el = await fixture<DemoStatus>(html`<demo-status></demo-status>`);
    const root = el.shadowRoot!;
    el.result = async () => {
      throw new FhirError('http', 'search Slot', { status: 503 });
    };
    await el.task.run().catch(() => {});
    await el.updateComplete;
    const alert = root.querySelector('[role=alert]')!;
    expect(alert.textContent).to.contain('The server had a problem — try again.');
    await expect(el).to.be.accessible();
    el.result = async () => ['ok'];
    (alert.querySelector('button') as HTMLButtonElement).click();
    await waitUntil(() => root.querySelector('.done'));
    expect(el.runs).to.equal(2);
  });

  it('no retry button when trying again cannot help', async () => {
    const el = await fixture<DemoStatus>(html`<demo-status></demo-status>`);
    el.result = async () => {
      throw new FhirError('http', 'read Patient/x', { status: 403 });
    };
    await el.task.run().catch(() => {});
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role=alert] button')).to.equal(null);
  });
});
