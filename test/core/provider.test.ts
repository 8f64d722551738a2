import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '@ehr-kit/core/define';
import { define, type EhrProvider } from '@ehr-kit/core';
import type { AuthState } from '@ehr-kit/auth';
import { FhirError } from '@ehr-kit/fhir-client';
import { emulateMedia } from '@web/test-runner-commands';
import { ProbeElement, fakeAuth } from './helpers.js';

define('prov-probe', ProbeElement);

/** Replaces fetch for one test and records the requests it sees. */
function stubFetch(): { requests: Request[]; restore(): void } {
  const original = globalThis.fetch;
  const requests: Request[] = [];
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    requests.push(req);
    return new Response(JSON.stringify({ resourceType: 'Patient', id: 'p1' }), {
      status: 200,
      headers: { 'content-type': 'application/fhir+json' },
    });
  };
  return { requests, restore: () => (globalThis.fetch = original) };
}

const prompt = (el: EhrProvider) => el.shadowRoot!.querySelector('[part=sign-in]');

describe('<ehr-provider> auth', () => {
  it('leaves lang alone unless given one (lang="" would mark the content language unknown)', async () => {
    const el = await fixture<EhrProvider>(html`<ehr-provider><p>page</p></ehr-provider>`);
    expect(el.hasAttribute('lang')).to.equal(false);
    el.lang = 'es';
    await el.updateComplete;
    expect(el.getAttribute('lang')).to.equal('es');
    el.lang = '';
    await el.updateComplete;
    expect(el.hasAttribute('lang')).to.equal(false);
  });

  it('defaults to none: anonymous, no Authorization header', async () => {
    const net = stubFetch();
    try {
      const el = await fixture<EhrProvider>(html`<ehr-provider fhir-base-url="https://open.test/fhir"><prov-probe patient-id="p1"></prov-probe></ehr-provider>`);
      expect(el.authMode).to.equal('none');
      expect(el.authStateNow.status).to.equal('anonymous');
      await waitUntil(() => net.requests.length === 1);
      expect(net.requests[0]!.url).to.equal('https://open.test/fhir/Patient/p1');
      expect(net.requests[0]!.headers.get('authorization')).to.equal(null);
      expect(prompt(el)).to.equal(null);
    } finally {
      net.restore();
    }
  });

  it('token: sends the host token, and a new one once it changes', async () => {
    const net = stubFetch();
    try {
      const el = await fixture<EhrProvider>(html`<ehr-provider fhir-base-url="https://t.test/fhir" .accessToken=${'abc'}><prov-probe patient-id="p1"></prov-probe></ehr-provider>`);
      expect(el.authMode).to.equal('token');
      expect(el.authStateNow.status).to.equal('signed-in');
      await waitUntil(() => net.requests.length === 1);
      expect(net.requests[0]!.headers.get('authorization')).to.equal('Bearer abc');
      const client = el.fhir!;
      el.accessToken = 'def';
      await el.updateComplete;
      expect(el.fhir === client, 'the same client: the token is read per request').to.equal(true);
      await client.read('Patient', 'p1');
      expect(net.requests.at(-1)!.headers.get('authorization')).to.equal('Bearer def');
    } finally {
      net.restore();
    }
  });

  it('token: asks the tokenProvider per request', async () => {
    const net = stubFetch();
    let asked = 0;
    try {
      const el = await fixture<EhrProvider>(html`<ehr-provider fhir-base-url="https://t.test/fhir" .tokenProvider=${async () => `tok${++asked}`}><prov-probe patient-id="p1"></prov-probe></ehr-provider>`);
      await waitUntil(() => net.requests.length === 1);
      expect(net.requests[0]!.headers.get('authorization')).to.equal('Bearer tok1');
      await el.fhir!.read('Patient', 'p1');
      expect(net.requests.at(-1)!.headers.get('authorization')).to.equal('Bearer tok2');
    } finally {
      net.restore();
    }
  });

  it('emits ehr-auth-changed when the session changes', async () => {
    const el = await fixture<EhrProvider>(html`<ehr-provider auth="token" fhir-base-url="https://t.test/fhir"></ehr-provider>`);
    expect(el.authStateNow.status).to.equal('signed-out');
    const changed = oneEvent(el, 'ehr-auth-changed');
    el.accessToken = 'xyz';
    const event = (await changed) as CustomEvent<{ state: AuthState }>;
    expect(event.detail.state.status).to.equal('signed-in');
    expect(event.composed).to.equal(true);
  });

  it('token: a 401 inside marks the session expired until the host gives a new token', async () => {
    const el = await fixture<EhrProvider>(html`<ehr-provider fhir-base-url="https://t.test/fhir" .accessToken=${'old'}><prov-probe></prov-probe></ehr-provider>`);
    const probe = el.querySelector('prov-probe') as ProbeElement;
    const expired = oneEvent(el, 'ehr-auth-changed');
    probe.fail_(new FhirError('http', 'read Patient/p1', { status: 401 }), 'read Patient/p1');
    expect(((await expired) as CustomEvent<{ state: AuthState }>).detail.state.status).to.equal('expired');
    await probe.updateComplete;
    expect(probe.session_?.status).to.equal('expired');
    const renewed = oneEvent(el, 'ehr-auth-changed');
    el.accessToken = 'new';
    expect(((await renewed) as CustomEvent<{ state: AuthState }>).detail.state.status).to.equal('signed-in');
  });

  it('replacing the AuthSource replaces the client that uses it', async () => {
    const net = stubFetch();
    try {
      const first = fakeAuth({ status: 'signed-in', launch: {} });
      const el = await fixture<EhrProvider>(html`<ehr-provider fhir-base-url="https://t.test/fhir" .authSource=${first}></ehr-provider>`);
      const second = Object.assign(fakeAuth({ status: 'signed-in', launch: { patient: 'p2' } }), { tokenSource: async () => 'second' });
      el.authSource = second;
      await el.updateComplete;
      await el.fhir!.read('Patient', 'p1');
      expect(net.requests.at(-1)!.headers.get('authorization')).to.equal('Bearer second');
    } finally {
      net.restore();
    }
  });

  it('keeps following its AuthSource after being moved in the page', async () => {
    const auth = fakeAuth({ status: 'signed-in', launch: {} });
    const wrap = await fixture<HTMLDivElement>(html`<div><section></section><ehr-provider fhir-base-url="https://t.test/fhir" .authSource=${auth}><prov-probe></prov-probe></ehr-provider></div>`);
    const el = wrap.querySelector('ehr-provider') as EhrProvider;
    wrap.querySelector('section')!.append(el);
    await el.updateComplete;
    auth.set({ status: 'expired', launch: {} });
    await el.updateComplete;
    expect(el.authStateNow.status).to.equal('expired');
    const probe = el.querySelector('prov-probe') as ProbeElement;
    await probe.updateComplete;
    expect(probe.session_?.status).to.equal('expired');
  });

  it('auth="smart" without client-id reports an error state instead of throwing', async () => {
    const el = await fixture<EhrProvider>(html`<ehr-provider auth="smart" fhir-base-url="https://s.test/fhir"></ehr-provider>`);
    expect(el.authStateNow.status).to.equal('error');
    expect(el.fhir === undefined, 'no client until SMART works').to.equal(true);
  });

  it('uses an injected AuthSource token source', async () => {
    const net = stubFetch();
    try {
      const auth = fakeAuth({ status: 'signed-in', launch: {} });
      const el = await fixture<EhrProvider>(html`<ehr-provider fhir-base-url="https://t.test/fhir" .authSource=${auth}></ehr-provider>`);
      await el.fhir!.read('Patient', 'p1');
      expect(net.requests[0]!.headers.get('authorization')).to.equal('Bearer tok-from-source');
    } finally {
      net.restore();
    }
  });
});

describe('<ehr-provider> sign-in prompt', () => {
  for (const [status, words] of [
    ['signed-out', /Please sign in/],
    ['expired', /Your session ended/],
    ['denied', /Access was not allowed/],
  ] as const) {
    it(`shows an accessible prompt when ${status}`, async () => {
      const auth = fakeAuth({ status, launch: {} });
      const el = await fixture<EhrProvider>(html`<ehr-provider auth="smart" fhir-base-url="https://s.test/fhir" .authSource=${auth}><p>page</p></ehr-provider>`);
      expect(prompt(el)!.textContent).to.match(words);
      await expect(el).to.be.accessible();
      (prompt(el)!.querySelector('button') as HTMLButtonElement).click();
      expect(auth.signIns).to.equal(1);
    });
  }

  it('popup: the sign-in button asks the AuthSource for a popup sign-in, so the host page keeps its state', async () => {
    const auth = fakeAuth({ status: 'signed-out', launch: {} });
    const asked: Array<{ popup?: boolean } | undefined> = [];
    auth.signIn = async (options) => void asked.push(options);
    const el = await fixture<EhrProvider>(html`<ehr-provider auth="smart" popup fhir-base-url="https://s.test/fhir" .authSource=${auth}><p>page</p></ehr-provider>`);
    expect(el.popup).to.equal(true);
    (prompt(el)!.querySelector('button') as HTMLButtonElement).click();
    expect(asked).to.deep.equal([{ popup: true }]);
    // An explicit option still wins; without the attribute the button redirects (no options).
    await el.signIn({ popup: false });
    expect(asked.at(-1)).to.deep.equal({ popup: false });
    el.popup = false;
    await el.updateComplete;
    expect(el.hasAttribute('popup')).to.equal(false);
    (prompt(el)!.querySelector('button') as HTMLButtonElement).click();
    expect(asked.at(-1)).to.equal(undefined);
    expect(asked).to.have.length(3);
  });

  it('shows no prompt for a non-SMART source (its signIn is the host’s business)', async () => {
    const auth = fakeAuth({ status: 'signed-out', launch: {} });
    const el = await fixture<EhrProvider>(html`<ehr-provider fhir-base-url="https://s.test/fhir" .authSource=${auth}><p>page</p></ehr-provider>`);
    expect(el.authMode).to.equal('source');
    expect(el.authStateNow.status).to.equal('signed-out');
    expect(prompt(el)).to.equal(null);
  });

  it('hides the prompt once signed in, and shows it again when the session expires', async () => {
    const auth = fakeAuth({ status: 'signed-out', launch: {} });
    const el = await fixture<EhrProvider>(html`<ehr-provider auth="smart" fhir-base-url="https://s.test/fhir" .authSource=${auth}><p>page</p></ehr-provider>`);
    auth.set({ status: 'signed-in', launch: { patient: 'p' } });
    await el.updateComplete;
    expect(prompt(el)).to.equal(null);
    await expect(el).to.be.accessible();
    auth.set({ status: 'expired', launch: {} });
    await el.updateComplete;
    expect(prompt(el)).to.exist;
  });

  it('is accessible in the dark theme', async () => {
    const auth = fakeAuth({ status: 'expired', launch: {} });
    const el = await fixture<EhrProvider>(html`<ehr-provider auth="smart" theme="dark" fhir-base-url="https://s.test/fhir" .authSource=${auth}><p>page</p></ehr-provider>`);
    const button = prompt(el)!.querySelector('button')!;
    // The dark tokens apply: a light text on a dark surface.
    expect(getComputedStyle(button).backgroundColor).to.equal('rgb(124, 188, 255)');
    await expect(el).to.be.accessible();
  });

  it('passes the dark tokens to the elements inside', async () => {
    const el = await fixture<EhrProvider>(html`<ehr-provider theme="dark"><prov-probe></prov-probe></ehr-provider>`);
    const probe = el.querySelector('prov-probe') as ProbeElement;
    await probe.updateComplete;
    expect(getComputedStyle(probe).color).to.equal('rgb(232, 234, 237)');
    el.theme = 'light';
    await el.updateComplete;
    expect(getComputedStyle(probe).color).to.equal('rgb(27, 31, 36)');
  });

  it('follows a dark system scheme unless told theme="light", and stays readable', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    try {
      const wrap = await fixture<HTMLDivElement>(html`<div>
        <prov-probe patient-id="x"></prov-probe><prov-probe theme="light" patient-id="x"></prov-probe>
      </div>`);
      const [auto, light] = [...wrap.querySelectorAll('prov-probe')] as ProbeElement[];
      await waitUntil(() => auto!.shadowRoot!.querySelector('[role=alert]') && light!.shadowRoot!.querySelector('[role=alert]'));
      expect(getComputedStyle(auto!).color).to.equal('rgb(232, 234, 237)');
      expect(getComputedStyle(auto!).backgroundColor).to.equal('rgb(22, 24, 28)');
      expect(getComputedStyle(light!).color).to.equal('rgb(27, 31, 36)');
      await expect(auto).to.be.accessible();
      await expect(light).to.be.accessible();
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
  });
});
