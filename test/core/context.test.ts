import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LitElement, html as litHtml } from 'lit';
import '@ehr-kit/core/define';
import { EhrProvider, define, clientFor } from '@ehr-kit/core';
import { ProbeElement, fakeClient, fakeAuth, uniqueTag } from './helpers.js';

define('core-probe', ProbeElement);

/** Puts a probe inside its own shadow root, to prove context crosses shadow boundaries. */
class ShadowHost extends LitElement {
  override render() {
    return litHtml`<div><core-probe patient-id="p1"></core-probe></div>`;
  }
  get probe() {
    return this.shadowRoot!.querySelector('core-probe') as ProbeElement;
  }
}
define('core-shadow-host', ShadowHost);

const text = (el: ProbeElement, cls: string) => el.shadowRoot!.querySelector(`.${cls}`)!.textContent!.trim();

describe('context', () => {
  it('reaches an element nested in another shadow root', async () => {
    const client = fakeClient('https://a.test/fhir', { p1: { id: 'p1' } });
    const provider = await fixture<EhrProvider>(html`<ehr-provider .client=${client}><section><core-shadow-host></core-shadow-host></section></ehr-provider>`);
    const host = provider.querySelector('core-shadow-host') as ShadowHost;
    await host.updateComplete;
    const probe = host.probe;
    await probe.updateComplete;
    expect(probe.client_ === client, 'probe.client_ is client').to.equal(true);
    expect(text(probe, 'base')).to.equal('https://a.test/fhir');
    await waitUntil(() => text(probe, 'task') === 'p1', 'patient read through the provided client');
    expect(client.calls).to.deep.equal(['Patient/p1']);
  });

  it('reaches an element defined after it was put in the page', async () => {
    const client = fakeClient('https://late.test/fhir');
    const tag = uniqueTag();
    const provider = await fixture<EhrProvider>(html`<ehr-provider .client=${client}></ehr-provider>`);
    const late = document.createElement(tag);
    provider.append(late);
    class Late extends ProbeElement {}
    customElements.define(tag, Late);
    const el = provider.querySelector(tag) as ProbeElement;
    await el.updateComplete;
    expect(el).to.be.instanceOf(Late);
    expect(el.client_ === client, 'el.client_ is client').to.equal(true);
    expect(text(el, 'base')).to.equal('https://late.test/fhir');
  });

  it('connects an element upgraded before its provider (ContextRoot)', async () => {
    // A provider subclass under a tag that is not defined yet: the probe inside upgrades first.
    const providerTag = uniqueTag('late-provider');
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    const pending = document.createElement(providerTag);
    const probe = document.createElement('core-probe') as ProbeElement;
    pending.append(probe);
    wrapper.append(pending);
    await probe.updateComplete;
    expect(probe.client_ === undefined, 'nothing to connect to yet').to.equal(true);
    expect(text(probe, 'base')).to.equal('no server');

    const client = fakeClient('https://root.test/fhir');
    class LateProvider extends EhrProvider {}
    customElements.define(providerTag, LateProvider);
    const provider = pending as EhrProvider;
    provider.client = client;
    await provider.updateComplete;
    await probe.updateComplete;
    expect(probe.client_ === client, 'probe.client_ is client').to.equal(true);
    expect(text(probe, 'base')).to.equal('https://root.test/fhir');
  });

  it('re-renders consumers and re-runs their reads when the provider swaps its client', async () => {
    const a = fakeClient('https://a.test/fhir', { p1: { id: 'p1' } });
    const b = fakeClient('https://b.test/fhir', { p1: { id: 'p1' } });
    const provider = await fixture<EhrProvider>(html`<ehr-provider .client=${a}><core-probe patient-id="p1"></core-probe></ehr-provider>`);
    const probe = provider.querySelector('core-probe') as ProbeElement;
    await waitUntil(() => text(probe, 'task') === 'p1');
    provider.client = b;
    await provider.updateComplete;
    await probe.updateComplete;
    expect(text(probe, 'base')).to.equal('https://b.test/fhir');
    await waitUntil(() => b.calls.length === 1, 'the read ran again against the new client');
    expect(a.calls).to.deep.equal(['Patient/p1']);
  });

  it('makes a new client when fhir-base-url changes, and consumers follow', async () => {
    const provider = await fixture<EhrProvider>(html`<ehr-provider fhir-base-url="https://one.test/fhir"><core-probe></core-probe></ehr-provider>`);
    const probe = provider.querySelector('core-probe') as ProbeElement;
    await probe.updateComplete;
    const first = probe.client_;
    expect(first?.baseUrl).to.match(/^https:\/\/one\.test\/fhir\/?$/);
    provider.fhirBaseUrl = 'https://two.test/fhir';
    await provider.updateComplete;
    await probe.updateComplete;
    expect(probe.client_ !== first, 'a new client').to.equal(true);
    expect(text(probe, 'base')).to.match(/^https:\/\/two\.test\/fhir\/?$/);
  });

  it('shares the launch context and session', async () => {
    const auth = fakeAuth({ status: 'signed-in', launch: { patient: 'pat-9', encounter: 'enc-1' } });
    const provider = await fixture<EhrProvider>(html`<ehr-provider fhir-base-url="https://s.test/fhir" .authSource=${auth}><core-probe></core-probe></ehr-provider>`);
    const probe = provider.querySelector('core-probe') as ProbeElement;
    await probe.updateComplete;
    expect(probe.launch_).to.deep.include({ patient: 'pat-9', encounter: 'enc-1' });
    expect(text(probe, 'patient')).to.equal('pat-9');
    expect(text(probe, 'status')).to.equal('signed-in');
    auth.set({ status: 'expired', launch: { patient: 'pat-9' } });
    await provider.updateComplete;
    await probe.updateComplete;
    expect(text(probe, 'status')).to.equal('expired');
  });

  it('gives a host-set launchContext to elements when not using SMART', async () => {
    const provider = await fixture<EhrProvider>(html`<ehr-provider fhir-base-url="https://s.test/fhir" .launchContext=${{ patient: 'host-pat' }}><core-probe></core-probe></ehr-provider>`);
    const probe = provider.querySelector('core-probe') as ProbeElement;
    await probe.updateComplete;
    expect(text(probe, 'patient')).to.equal('host-pat');
  });

  it('works standalone with its own fhir-base-url, one client per URL', async () => {
    const wrap = await fixture<HTMLDivElement>(html`<div>
      <core-probe fhir-base-url="https://solo.test/fhir/"></core-probe>
      <core-probe fhir-base-url="https://solo.test/fhir"></core-probe>
    </div>`);
    const [a, b] = [...wrap.querySelectorAll('core-probe')] as ProbeElement[];
    await a!.updateComplete;
    expect(a!.client_).to.exist;
    expect(a!.client_ === b!.client_, 'one client per URL').to.equal(true);
    expect(a!.client_ === clientFor('https://solo.test/fhir'), 'the memoized client').to.equal(true);
    expect(text(a!, 'base')).to.match(/^https:\/\/solo\.test\/fhir\/?$/);
  });

  it('says so when there is no server at all', async () => {
    const probe = await fixture<ProbeElement>(html`<core-probe patient-id="x"></core-probe>`);
    await waitUntil(() => probe.shadowRoot!.querySelector('[role=alert]'));
    expect(probe.shadowRoot!.querySelector('[role=alert]')!.textContent).to.contain('not connected');
    await expect(probe).to.be.accessible();
  });

  it('uses an injected client over the provider and fhir-base-url', async () => {
    const provided = fakeClient('https://provided.test/fhir');
    const injected = fakeClient('https://injected.test/fhir');
    const provider = await fixture<EhrProvider>(html`<ehr-provider .client=${provided}>
      <core-probe fhir-base-url="https://own.test/fhir" .client=${injected}></core-probe>
      <core-probe fhir-base-url="https://own.test/fhir"></core-probe>
    </ehr-provider>`);
    const [withClient, withUrl] = [...provider.querySelectorAll('core-probe')] as ProbeElement[];
    await withClient!.updateComplete;
    expect(withClient!.client_ === injected, 'withClient!.client_ is injected').to.equal(true);
    // The provider's client beats the element's own URL (an element inside a provider is part of its session).
    expect(withUrl!.client_ === provided, 'withUrl!.client_ is provided').to.equal(true);
  });

  it('passes the outer session through a provider nested only to set lang or theme', async () => {
    const client = fakeClient('https://outer.test/fhir');
    const auth = fakeAuth({ status: 'signed-in', launch: { patient: 'outer-pat' } });
    const outer = await fixture<EhrProvider>(html`<ehr-provider .client=${client} .authSource=${auth}>
      <ehr-provider theme="dark"><core-probe></core-probe></ehr-provider>
    </ehr-provider>`);
    const probe = outer.querySelector('core-probe') as ProbeElement;
    await probe.updateComplete;
    expect(probe.client_ === client, 'probe.client_ is client').to.equal(true);
    expect(text(probe, 'patient')).to.equal('outer-pat');
    expect(text(probe, 'status')).to.equal('signed-in');
    const next = fakeClient('https://next.test/fhir');
    outer.client = next;
    await outer.updateComplete;
    await (outer.querySelector('ehr-provider') as EhrProvider).updateComplete;
    await probe.updateComplete;
    expect(probe.client_ === next, 'probe.client_ is next').to.equal(true);
  });
});
