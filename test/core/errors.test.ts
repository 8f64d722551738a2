import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { LitElement, html as litHtml } from 'lit';
import { FhirError } from '@ehr-kit/fhir-client';
import { define, describeError, issuesByExpression, fieldKey, emitEhrEvent, type UserMessage } from '@ehr-kit/core';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { ProbeElement, fakeClient } from './helpers.js';

define('err-probe', ProbeElement);

class Outer extends LitElement {
  override render() {
    return litHtml`<err-probe></err-probe>`;
  }
}
define('err-outer', Outer);

const http = (status: number, outcome?: OperationOutcome) => new FhirError('http', 'update Patient/1', { status, ...(outcome ? { outcome } : {}) });

describe('emit()', () => {
  it('crosses shadow roots and bubbles to the document', async () => {
    const outer = await fixture<Outer>(html`<err-outer></err-outer>`);
    const probe = outer.shadowRoot!.querySelector('err-probe') as ProbeElement;
    const heard = oneEvent(document, 'ehr-error');
    const allowed = probe.emit_('ehr-error', { error: 'x', operation: 'test' });
    const event = (await heard) as CustomEvent;
    expect(allowed).to.equal(true);
    expect(event.detail).to.deep.equal({ error: 'x', operation: 'test' });
    expect(event.bubbles && event.composed).to.equal(true);
    // Retargeted: outside, the event seems to come from the outer element.
    expect(event.target).to.equal(outer);
  });

  it('is typed for listeners on any element (EhrEventMap → HTMLElementEventMap)', async () => {
    const probe = await fixture<ProbeElement>(html`<err-probe></err-probe>`);
    let operation = '';
    // Compiles only if 'ehr-error' is in HTMLElementEventMap with its detail type.
    probe.addEventListener('ehr-error', (e) => (operation = e.detail.operation));
    probe.emit_('ehr-error', { error: 1, operation: 'typed' });
    expect(operation).to.equal('typed');
  });

  it('returns false when a listener prevents the default', async () => {
    const probe = await fixture<ProbeElement>(html`<err-probe></err-probe>`);
    const stop = (e: Event) => e.preventDefault();
    document.addEventListener('ehr-error', stop);
    try {
      expect(probe.emit_('ehr-error', { error: 'x', operation: 'test' })).to.equal(false);
      expect(emitEhrEvent(probe, 'ehr-error', { error: 'y', operation: 'z' })).to.equal(false);
    } finally {
      document.removeEventListener('ehr-error', stop);
    }
  });
});

describe('fail() and describeError()', () => {
  async function failWith(error: unknown): Promise<{ message: UserMessage; event: CustomEvent }> {
    const probe = await fixture<ProbeElement>(html`<err-probe .client=${fakeClient('https://x.test')}></err-probe>`);
    const heard = oneEvent(probe, 'ehr-error');
    const message = probe.fail_(error, 'save Patient');
    return { message, event: (await heard) as CustomEvent };
  }

  it('emits ehr-error with the error and the operation', async () => {
    const error = http(500);
    const { event } = await failWith(error);
    expect(event.detail.error).to.equal(error);
    expect(event.detail.operation).to.equal('save Patient');
  });

  it('offline: a network failure', async () => {
    const { message } = await failWith(new FhirError('network', 'read Patient/1'));
    expect(message.kind).to.equal('offline');
    expect(message.title).to.match(/offline/);
    expect(message.retryable).to.equal(true);
  });

  it('offline: a raw fetch TypeError', () => {
    expect(describeError(new TypeError('Failed to fetch')).kind).to.equal('offline');
  });

  it('timeout', () => {
    const m = describeError(new FhirError('timeout', 'read Patient/1'));
    expect(m.kind).to.equal('timeout');
    expect(m.retryable).to.equal(true);
  });

  it('401: session ended, what you typed is kept', async () => {
    const { message } = await failWith(http(401));
    expect(message.kind).to.equal('signed-out');
    expect(message.title).to.equal('Your session ended — sign in again; what you typed is still here.');
  });

  it('403: not allowed, not retryable', () => {
    const m = describeError(http(403));
    expect([m.kind, m.retryable]).to.deep.equal(['forbidden', false]);
  });

  it('404: not found', () => {
    expect(describeError(http(404)).kind).to.equal('not-found');
  });

  for (const status of [409, 412]) {
    it(`${status}: someone else changed the record`, () => {
      const m = describeError(http(status));
      expect(m.kind).to.equal('conflict');
      expect(m.title).to.match(/^Someone else changed this record/);
      expect(m.detail).to.match(/still here/);
    });
  }

  it('422: check the highlighted fields, with the fields named', () => {
    const outcome: OperationOutcome = {
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'error', code: 'required', expression: ['Patient.name[0].family'], details: { text: 'Family name is required' } },
        { severity: 'error', code: 'value', location: ['Patient.birthDate'], diagnostics: 'Birth date is in the future' },
        { severity: 'error', code: 'value', expression: ['Patient.telecom[1].value'], diagnostics: 'Not a phone number' },
        { severity: 'warning', code: 'informational', expression: ['Patient.gender'], diagnostics: 'just a warning' },
        { severity: 'error', code: 'invalid', diagnostics: 'Something global' },
      ],
    };
    const error = http(422, outcome);
    const m = describeError(error);
    expect(m.kind).to.equal('invalid');
    expect(m.title).to.equal('Please check the highlighted fields.');
    const byField = issuesByExpression(error);
    expect(byField.get('name[0].family')).to.deep.equal(['Family name is required']);
    expect(byField.get('name.family')).to.deep.equal(['Family name is required']);
    expect(byField.get('birthDate')).to.deep.equal(['Birth date is in the future']);
    expect(byField.get('telecom[1].value')).to.deep.equal(['Not a phone number']);
    expect(byField.get('telecom.value')).to.deep.equal(['Not a phone number']);
    expect(byField.has('gender'), 'warnings are not field errors').to.equal(false);
    expect(byField.get('')).to.deep.equal(['Something global']);
    // The same from the outcome itself or its issue list.
    expect(issuesByExpression(outcome).get('birthDate')).to.deep.equal(['Birth date is in the future']);
    expect(issuesByExpression(outcome.issue).get('name.family')).to.deep.equal(['Family name is required']);
  });

  it('field keys from FHIRPath, XPath and where() forms', () => {
    expect(fieldKey('Patient.name[0].given[1]')).to.equal('name[0].given[1]');
    expect(fieldKey('Patient.name[0].given[1]', true)).to.equal('name.given');
    expect(fieldKey('/f:Patient/f:birthDate')).to.equal('birthDate');
    expect(fieldKey("Patient.telecom.where(system='email').value", true)).to.equal('telecom.value');
  });

  for (const status of [500, 502, 503]) {
    it(`${status}: the server had a problem — try again`, () => {
      const m = describeError(http(status));
      expect(m.kind).to.equal('server');
      expect(m.title).to.equal('The server had a problem — try again.');
      expect(m.retryable).to.equal(true);
    });
  }

  it('anything else: a generic message, never a throw', () => {
    expect(describeError(undefined).kind).to.equal('unknown');
    expect(describeError('boom').kind).to.equal('unknown');
    expect(describeError(new Error('x')).kind).to.equal('unknown');
  });
});

describe('define()', () => {
  it('warns instead of throwing on a second registration, and keeps the first', () => {
    class A extends HTMLElement {}
    class B extends HTMLElement {}
    const warnings: unknown[][] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      define('core-twice', A);
      expect(warnings).to.have.length(0);
      expect(() => define('core-twice', B)).not.to.throw();
      define('core-twice', A);
    } finally {
      console.warn = original;
    }
    expect(customElements.get('core-twice')).to.equal(A);
    expect(warnings).to.have.length(2);
    expect(String(warnings[0]![0])).to.contain('<core-twice>');
  });
});
