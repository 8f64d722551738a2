import { expect, fixture, html } from '@open-wc/testing';
import { LitElement, html as litHtml } from 'lit';
import { ContextConsumer } from '@lit/context';
import { EhrProvider, define, fhirClientContext } from '@ehr-kit/core';
import type { FhirClient } from '@ehr-kit/fhir-client';
import { ProbeElement, fakeClient, uniqueTag } from './helpers.js';

// Its own page, and nothing here imports '@ehr-kit/core/define': no provider has connected and no
// ContextRoot is attached when the first element connects, so what connects it is the element's
// own waiting (a provider that connects asks the waiting elements again), not @lit/context's root.
const ROOT = Symbol.for('ehr-kit.context-root');
const rootAttached = () => (globalThis as unknown as Record<symbol, unknown>)[ROOT] !== undefined;
const text = (el: ProbeElement) => el.shadowRoot!.querySelector('.base')!.textContent!.trim();

/** A host's own consumer of an ehr-kit context (not an ehr-kit element). */
class HostConsumer extends LitElement {
  ctx = new ContextConsumer(this, { context: fhirClientContext, subscribe: true });
  override render() {
    return litHtml`${this.ctx.value?.baseUrl ?? 'none'}`;
  }
}
customElements.define('host-consumer', HostConsumer);

describe('context before any provider', () => {
  it('connects elements that were in the page before the first provider connected', async () => {
    define('early-ctx-probe', ProbeElement);
    const providerTag = uniqueTag('first-provider');
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    const pending = document.createElement(providerTag);
    // One in the light DOM, one inside another element's shadow root.
    const probe = document.createElement('early-ctx-probe') as ProbeElement;
    const shadowHost = document.createElement('div');
    const inShadow = document.createElement('early-ctx-probe') as ProbeElement;
    shadowHost.attachShadow({ mode: 'open' }).append(inShadow);
    pending.append(probe, shadowHost);
    wrapper.append(pending);
    await probe.updateComplete;
    await inShadow.updateComplete;
    expect(text(probe)).to.equal('no server');
    expect(rootAttached(), 'no ContextRoot before a provider connects').to.equal(false);

    const client = fakeClient('https://first.test/fhir');
    customElements.define(providerTag, class extends EhrProvider {});
    const provider = pending as EhrProvider;
    provider.client = client;
    await provider.updateComplete;
    await probe.updateComplete;
    await inShadow.updateComplete;
    expect(probe.client_ === client, 'probe.client_ is client').to.equal(true);
    expect(inShadow.client_ === client, 'inShadow.client_ is client').to.equal(true);
    expect(text(probe)).to.equal('https://first.test/fhir');
  });

  it('connects an element moved under a provider whose tag is defined later', async () => {
    const providerTag = uniqueTag('later-provider');
    const probe = document.createElement('early-ctx-probe') as ProbeElement;
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    wrapper.append(probe);
    await probe.updateComplete;
    probe.remove();
    const pending = document.createElement(providerTag);
    wrapper.append(pending);
    pending.append(probe);
    const client = fakeClient('https://later.test/fhir');
    customElements.define(providerTag, class extends EhrProvider {});
    (pending as EhrProvider).client = client;
    await (pending as EhrProvider).updateComplete;
    await probe.updateComplete;
    expect(probe.client_ === client, 'probe.client_ is client').to.equal(true);
  });

  it('a provider attaches the ContextRoot for the host’s own consumers that connect before their provider', async () => {
    expect(rootAttached(), 'attached by the providers above').to.equal(true);
    const providerTag = uniqueTag('host-provider');
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    const pending = document.createElement(providerTag);
    const consumer = document.createElement('host-consumer') as HostConsumer;
    pending.append(consumer);
    wrapper.append(pending);
    await consumer.updateComplete;
    expect(consumer.shadowRoot!.textContent).to.contain('none');
    const client = fakeClient('https://host.test/fhir') as FhirClient;
    customElements.define(providerTag, class extends EhrProvider {});
    (pending as EhrProvider).client = client;
    await (pending as EhrProvider).updateComplete;
    await consumer.updateComplete;
    expect(consumer.ctx.value === client, 'consumer got the client').to.equal(true);
  });
});
