import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { FhirClient } from '@ehr-kit/fhir-client';
import { createSmartAuth } from '@ehr-kit/auth/smart';
import type { SmartAuthSource } from '@ehr-kit/auth/smart';
import { SCOPE, STANDALONE_PATIENT, cleanUpAfterEach, clientId, harnessUrl, openHarness, serverLog, sleep, smartFhirUrl, until } from './smart-helpers.js';

describe('SMART token lifetime (access tokens that live 3 s)', function () {
  this.timeout(40_000);
  const sources = cleanUpAfterEach();

  async function signedIn(client: string): Promise<SmartAuthSource> {
    const auth = createSmartAuth({ fhirBaseUrl: smartFhirUrl, clientId: client, scope: SCOPE, redirectUri: harnessUrl, storage: 'memory' });
    sources.push(auth);
    await auth.init();
    await auth.signIn({ popup: true });
    expect(auth.state.status).to.equal('signed-in');
    return auth;
  }

  it('refreshes with the refresh token before the access token expires; data calls keep working with the new token', async () => {
    const client = clientId('-short');
    const auth = await signedIn(client);
    const first = (await auth.tokenSource())!;
    const firstExpiry = auth.state.expiresAt!;
    expect(firstExpiry - Date.now()).to.be.below(3_500);

    await until(() => auth.state.expiresAt! > firstExpiry, 'a refresh', 10_000);
    expect(auth.state.status).to.equal('signed-in');
    // The launch context survives a refresh response that does not repeat it.
    expect(auth.state.launch.patient).to.equal(STANDALONE_PATIENT);
    const second = (await auth.tokenSource())!;
    expect(second).not.to.equal(first);

    // Past the first token's lifetime: the FHIR server refuses it but accepts the refreshed one.
    await sleep(Math.max(0, firstExpiry - Date.now()) + 200);
    const stale = await fetch(`${smartFhirUrl}/Patient/${STANDALONE_PATIENT}`, { headers: { authorization: `Bearer ${first}` } });
    expect(stale.status).to.equal(401);
    const fhir = new FhirClient({ baseUrl: smartFhirUrl, tokenSource: auth.tokenSource });
    expect((await fhir.read('Patient', STANDALONE_PATIENT)).id).to.equal(STANDALONE_PATIENT);

    const log = await serverLog(client);
    // Refreshed ahead of expiry by the timer, not on every data call.
    expect(log.token.filter((t) => t.grant_type === 'refresh_token' && t.status === 200).length).to.be.within(1, 3);
    expect(log.fhir.at(-1)!.status).to.equal(200);
  });

  it('coming back to the app after the access token expired (sessionStorage): init() refreshes and keeps the launch context', async () => {
    const client = clientId('-short');
    const win = await openHarness();
    await win.start({ fhirBaseUrl: smartFhirUrl, clientId: client, scope: SCOPE, redirectUri: harnessUrl, storage: 'session' });
    void win.auth.signIn();
    await until(() => win.auth.state.status === 'signed-in' && win.auth, 'signed-in after the redirect');
    const first = await win.auth.tokenSource();
    // Leave the app (same tab, same origin) until the token has expired, then come back.
    win.location.href = `${location.origin}/__ehr-test-env.json`;
    await until(() => win.location.pathname === '/__ehr-test-env.json' && win.document.readyState === 'complete', 'left the app');
    await sleep(3_500);
    win.location.href = harnessUrl;
    await until(() => win.location.pathname.endsWith('smart-app.html') && win.auth?.state.status === 'signed-in' && win.auth, 'signed-in again');
    expect(await win.auth.tokenSource()).to.be.a('string').and.not.equal(first);
    expect(win.auth.state.launch.patient).to.equal(STANDALONE_PATIENT);
    expect((await serverLog(client)).token.map((t) => [t.grant_type, t.status])).to.deep.equal([
      ['authorization_code', 200],
      ['refresh_token', 200],
    ]);
  });

  it('forceRefresh (the client got a 401) asks for a new token at once', async () => {
    const client = clientId();
    const auth = await signedIn(client);
    const first = await auth.tokenSource();
    const second = await auth.tokenSource({ forceRefresh: true });
    expect(second).to.be.a('string').and.not.equal(first);
    expect((await serverLog(client)).token.map((t) => t.grant_type)).to.deep.equal(['authorization_code', 'refresh_token']);
  });

  it('a refused refresh → expired, no token, and what the user typed is still there', async () => {
    const client = clientId('-refresh-fails');
    const auth = await signedIn(client);
    const statuses: string[] = [];
    auth.subscribe((s) => statuses.push(s.status));

    const form = await fixture<HTMLFormElement>(html`<form><label>Note <input name="note" /></label></form>`);
    const input = form.querySelector('input')!;
    input.focus();
    await sendKeys({ type: 'Patient prefers mornings' });

    await until(() => auth.state.status === 'expired', 'expired state', 10_000);
    expect(auth.state.error).to.equal('invalid_grant');
    expect(statuses).to.deep.equal(['expired']);
    expect(await auth.tokenSource()).to.equal(undefined);
    expect(input.value).to.equal('Patient prefers mornings');
    expect(document.activeElement).to.equal(input);
  });
});
