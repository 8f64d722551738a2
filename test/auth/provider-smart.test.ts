import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '@ehr-kit/core/define';
import type { EhrProvider, AuthState } from '@ehr-kit/core';
import './fixtures/launch-probe.js';
import type { LaunchProbe } from './fixtures/launch-probe.js';
import {
  STANDALONE_PATIENT,
  clientId,
  closeWindows,
  harnessUrl,
  registerLaunch,
  serverLog,
  smartFhirUrl,
  until,
} from './smart-helpers.js';

const providerAppUrl = `${location.origin}/test/auth/fixtures/provider-app.html`;

interface ProviderWindow extends Window {
  harnessReady?: boolean;
  provider: EhrProvider;
  probe: LaunchProbe;
  events: AuthState[];
  start(attrs: Record<string, string>): void;
}

async function openProviderApp(): Promise<ProviderWindow> {
  const win = window.open(providerAppUrl, '_blank') as ProviderWindow | null;
  if (!win) throw new Error('window.open was blocked');
  await until(() => win.harnessReady, 'the provider page');
  return win;
}

describe('<ehr-provider auth="smart">', function () {
  this.timeout(40_000);
  afterEach(() => closeWindows());
  const windows: Window[] = [];
  afterEach(() => windows.splice(0).forEach((w) => w.close()));

  it('standalone: the sign-in button redirects; back on the page, elements get the launch context and read with the token', async () => {
    const client = clientId();
    const win = await openProviderApp();
    windows.push(win);
    win.start({ auth: 'smart', 'fhir-base-url': smartFhirUrl, 'client-id': client, 'redirect-uri': providerAppUrl });
    await until(() => win.provider.authStateNow.status === 'signed-out', 'signed-out with a sign-in prompt');
    await win.provider.updateComplete;
    const button = await until(() => win.provider.shadowRoot!.querySelector<HTMLButtonElement>('[part="sign-in-button"]'), 'the sign-in button');
    button.click();

    await until(() => win.provider?.authStateNow.status === 'signed-in' && win.probe.patientName, 'signed in and the patient read');
    expect(win.location.search).to.equal('');
    expect(win.probe.seen.launch).to.deep.equal({ patient: STANDALONE_PATIENT, needPatientBanner: true });
    expect(win.probe.shadowRoot!.textContent).to.include('Sam Launchwell');
    expect(win.events.map((s) => s.status)).to.include('signed-in');
    const log = await serverLog(client);
    expect(log.fhir.at(-1)).to.include({ path: `/Patient/${STANDALONE_PATIENT}`, status: 200 });
    expect(log.fhir.at(-1)!.authorization).to.match(/^Bearer \S+$/);
  });

  it('EHR launch: ?iss&launch on the page → signed in with the EHR’s patient and encounter in the shared launch context', async () => {
    const client = clientId();
    const launch = await registerLaunch({ patient: STANDALONE_PATIENT, encounter: 'smart-encounter-1', need_patient_banner: false });
    const win = await openProviderApp();
    windows.push(win);
    win.start({ auth: 'smart', 'fhir-base-url': smartFhirUrl, 'client-id': client, 'redirect-uri': providerAppUrl });
    win.location.href = `${providerAppUrl}?iss=${encodeURIComponent(smartFhirUrl)}&launch=${launch}`;
    await until(() => win.location.search === '' && win.provider?.authStateNow.status === 'signed-in' && win.probe.patientName, 'signed in after the EHR launch');
    expect(win.probe.seen.launch).to.deep.equal({ patient: STANDALONE_PATIENT, encounter: 'smart-encounter-1', needPatientBanner: false });
    const [authorize] = (await serverLog(client)).authorize;
    expect(authorize!.launch).to.equal(launch);
    expect(authorize!.scope!.split(' ')).to.include('launch');
  });

  it('popup attribute: the sign-in button signs in in a popup, and the host page stays where it was', async () => {
    const client = clientId();
    const here = location.href;
    const provider = await fixture<EhrProvider>(html`
      <ehr-provider auth="smart" popup fhir-base-url=${smartFhirUrl} client-id=${client} redirect-uri=${harnessUrl}>
        <launch-probe></launch-probe>
        <label>Message <input id="typed" value="kept" /></label>
      </ehr-provider>
    `);
    await until(() => provider.authStateNow.status === 'signed-out', 'signed-out');
    await provider.updateComplete;
    provider.shadowRoot!.querySelector<HTMLButtonElement>('[part="sign-in-button"]')!.click();
    const probe = provider.querySelector<LaunchProbe>('launch-probe')!;
    await until(() => provider.authStateNow.status === 'signed-in' && probe.patientName, 'signed in through the popup');
    expect(location.href, 'no redirect of the host page').to.equal(here);
    expect(provider.querySelector<HTMLInputElement>('#typed')!.value).to.equal('kept');
    const [authorize] = (await serverLog(client)).authorize;
    expect(authorize!.display).to.equal('popup');
    await provider.signOut();
    sessionStorage.clear();
  });

  it('popup sign-in in place; a refused refresh → expired, ehr-auth-changed, sign-in prompt, and the typed note intact', async () => {
    const client = clientId('-refresh-fails');
    const events: string[] = [];
    const provider = await fixture<EhrProvider>(html`
      <ehr-provider auth="smart" fhir-base-url=${smartFhirUrl} client-id=${client} redirect-uri=${harnessUrl}
        @ehr-auth-changed=${(e: CustomEvent<{ state: AuthState }>) => events.push(e.detail.state.status)}>
        <launch-probe></launch-probe>
        <label>Note <input id="note" /></label>
      </ehr-provider>
    `);
    await until(() => provider.authStateNow.status === 'signed-out', 'signed-out');
    await provider.signIn({ popup: true });
    const probe = provider.querySelector<LaunchProbe>('launch-probe')!;
    await until(() => provider.authStateNow.status === 'signed-in' && probe.patientName, 'signed in and the patient read').catch((e) => {
      throw new Error(`${e.message}: ${JSON.stringify({ state: provider.authStateNow, events, seen: probe.seen, name: probe.patientName, err: probe.readError })}`);
    });
    expect(probe.seen.launch!.patient).to.equal(STANDALONE_PATIENT);

    const input = provider.querySelector<HTMLInputElement>('#note')!;
    input.focus();
    await sendKeys({ type: 'Allergic to penicillin' });

    await until(() => provider.authStateNow.status === 'expired', 'expired', 10_000);
    await provider.updateComplete;
    expect(events).to.include.ordered.members(['signed-out', 'signing-in', 'signed-in', 'expired']);
    expect(provider.shadowRoot!.querySelector('[part="sign-in"]')!.textContent).to.match(/session ended/i);
    expect(input.value).to.equal('Allergic to penicillin');
    expect(probe.isConnected).to.equal(true);
    await provider.signOut();
    sessionStorage.clear();
  });
});
