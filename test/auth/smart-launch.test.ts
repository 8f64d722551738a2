import { expect } from '@open-wc/testing';
import { FhirClient } from '@ehr-kit/fhir-client';
import { POPUP_TARGET, createSmartAuth } from '@ehr-kit/auth/smart';
import {
  SCOPE,
  STANDALONE_PATIENT,
  cleanUpAfterEach,
  clientId,
  harnessUrl,
  openHarness,
  registerLaunch,
  serverLog,
  smartFhirUrl,
  smartFhirV1Url,
  storageValues,
  until,
} from './smart-helpers.js';

describe('SMART App Launch against a real authorization server (oidc-provider)', function () {
  this.timeout(40_000);
  const sources = cleanUpAfterEach();

  it('standalone launch by redirect: PKCE S256, aud, launch context, clean URL, then an element reads with the token', async () => {
    const client = clientId();
    const win = await openHarness();
    await win.start({ fhirBaseUrl: smartFhirUrl, clientId: client, scope: SCOPE, redirectUri: harnessUrl, storage: 'session' });
    expect(win.auth.state.status).to.equal('signed-out');

    void win.auth.signIn(); // navigates the window to the authorization server and back
    await until(() => win.auth.state.status === 'signed-in' && win.auth, 'signed-in after the redirect');
    const state = win.auth.state;

    expect(state.launch).to.deep.equal({ patient: STANDALONE_PATIENT, needPatientBanner: true });
    expect(state.fhirUser).to.match(/\/Practitioner\/smart-practitioner-1$/);
    expect(state.scope).to.include('patient/*.rs');
    expect(state.expiresAt).to.be.greaterThan(Date.now());
    // init() completed the callback and removed code/state from the address bar
    expect(win.location.search).to.equal('');

    const log = await serverLog(client);
    expect(log.authorize).to.have.length(1);
    const authorize = log.authorize[0]!;
    expect(authorize.response_type).to.equal('code');
    expect(authorize.code_challenge_method).to.equal('S256');
    expect(authorize.code_challenge).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.aud).to.equal(smartFhirUrl);
    expect(authorize.state).to.be.a('string').and.not.empty;
    expect(authorize.scope!.split(' ')).to.include.members(['openid', 'fhirUser', 'launch/patient', 'patient/*.rs', 'offline_access']);
    expect(authorize.scope!.split(' ')).not.to.include('launch');
    expect(log.token.map((t) => [t.grant_type, t.status])).to.deep.equal([['authorization_code', 200]]);

    // The data call: the token goes to the FHIR server, which only answers to valid tokens.
    const fhir = new FhirClient({ baseUrl: win.auth.fhirBaseUrl, tokenSource: win.auth.tokenSource });
    const patient = await fhir.read('Patient', state.launch.patient!);
    expect(patient.name?.[0]?.family).to.equal('Launchwell');
    const token = await win.auth.tokenSource();
    const fhirLog = (await serverLog(client)).fhir;
    expect(fhirLog.at(-1)).to.include({ method: 'GET', path: `/Patient/${STANDALONE_PATIENT}`, authorization: `Bearer ${token}`, status: 200 });

    // Tokens: sessionStorage (asked for), never localStorage — nor the PKCE/state store.
    expect(Object.keys(win.localStorage).filter((k) => /oidc|ehr-kit/i.test(k))).to.deep.equal([]);
    expect(storageValues(win.localStorage).join('\n')).not.to.include(token!);
    expect(storageValues(win.localStorage).join('\n')).not.to.include('refresh_token');
    expect(storageValues(win.sessionStorage).join('\n')).to.include(token!);

    // A reload keeps the session (sessionStorage) and its launch context.
    win.location.reload();
    await until(() => win.document.readyState === 'complete' && win.auth?.state.status === 'signed-in' && win.auth, 'signed-in after reload');
    expect(win.auth.state.launch.patient).to.equal(STANDALONE_PATIENT);
  });

  it('EHR launch with iss + launch: launch scope and param, aud = iss, the token response context in AuthState.launch', async () => {
    const client = clientId();
    const launch = await registerLaunch({
      patient: STANDALONE_PATIENT,
      encounter: 'smart-encounter-1',
      need_patient_banner: false,
      fhirContext: [{ reference: 'Encounter/smart-encounter-1' }],
      intent: 'reconcile-medications',
    });
    const win = await openHarness();
    await win.start({ fhirBaseUrl: smartFhirUrl, clientId: client, scope: 'openid fhirUser patient/*.rs', redirectUri: harnessUrl });
    // The EHR opens the app with ?iss&launch; init() goes straight to the authorization server.
    win.location.href = `${harnessUrl}?iss=${encodeURIComponent(smartFhirUrl)}&launch=${launch}`;
    await until(() => win.location.search === '' && win.auth?.state.status === 'signed-in' && win.auth, 'signed-in after the EHR launch');

    expect(win.auth.state.launch).to.deep.equal({
      patient: STANDALONE_PATIENT,
      encounter: 'smart-encounter-1',
      needPatientBanner: false,
      fhirContext: [{ reference: 'Encounter/smart-encounter-1' }],
      intent: 'reconcile-medications',
    });
    const [authorize] = (await serverLog(client)).authorize;
    expect(authorize!.launch).to.equal(launch);
    expect(authorize!.aud).to.equal(smartFhirUrl);
    expect(authorize!.scope!.split(' ')).to.include('launch');
    expect(authorize!.code_challenge_method).to.equal('S256');
  });

  it('EHR launch from an untrusted iss is refused without leaving the page', async () => {
    const client = clientId();
    const win = await openHarness();
    await win.start({ fhirBaseUrl: smartFhirUrl, clientId: client, redirectUri: harnessUrl });
    win.location.href = `${harnessUrl}?iss=${encodeURIComponent('https://evil.example/fhir')}&launch=x`;
    await until(() => win.location.search === '' && win.auth?.state.status === 'error' && win.auth, 'error state');
    expect(win.auth.state.error).to.equal('untrusted_iss');
    expect((await serverLog(client)).authorize).to.have.length(0);
  });

  it('popup sign-in keeps this page (memory store): token in memory only', async () => {
    const client = clientId();
    const auth = createSmartAuth({ fhirBaseUrl: smartFhirUrl, clientId: client, scope: SCOPE, redirectUri: harnessUrl, storage: 'memory', popup: true });
    sources.push(auth);
    const seen: string[] = [];
    auth.subscribe((s) => seen.push(s.status));
    await auth.init();
    expect(auth.state.status).to.equal('signed-out');
    await auth.signIn();
    expect(auth.state.status).to.equal('signed-in');
    expect(seen).to.deep.equal(['signing-in', 'signed-in']);
    expect(auth.state.launch.patient).to.equal(STANDALONE_PATIENT);

    const token = (await auth.tokenSource())!;
    expect(token).to.be.a('string').and.not.empty;
    expect(storageValues(localStorage).join('\n')).not.to.include(token);
    expect(storageValues(sessionStorage).join('\n')).not.to.include(token);
    const [authorize] = (await serverLog(client)).authorize;
    expect(authorize!.code_challenge_method).to.equal('S256');
    expect(authorize!.display).to.equal('popup');

    const patient = await new FhirClient({ baseUrl: smartFhirUrl, tokenSource: auth.tokenSource }).read('Patient', STANDALONE_PATIENT);
    expect(patient.id).to.equal(STANDALONE_PATIENT);

    await auth.signOut();
    expect(auth.state.status).to.equal('signed-out');
    expect(await auth.tokenSource()).to.equal(undefined);
  });

  it('denied consent → status denied and no token (redirect callback with error=access_denied)', async () => {
    const client = clientId('-deny');
    const win = await openHarness();
    await win.start({ fhirBaseUrl: smartFhirUrl, clientId: client, scope: SCOPE, redirectUri: harnessUrl });
    void win.auth.signIn();
    await until(() => win.location.search === '' && win.auth?.state.status === 'denied' && win.auth, 'denied state');
    expect(win.auth.state.error).to.equal('access_denied');
    expect(await win.auth.tokenSource()).to.equal(undefined);
    expect((await serverLog(client)).token).to.have.length(0);
  });

  it('denied consent in a popup → status denied', async () => {
    const auth = createSmartAuth({ fhirBaseUrl: smartFhirUrl, clientId: clientId('-deny'), scope: SCOPE, redirectUri: harnessUrl, storage: 'memory' });
    sources.push(auth);
    await auth.init();
    await auth.signIn({ popup: true });
    expect(auth.state.status).to.equal('denied');
    expect(await auth.tokenSource()).to.equal(undefined);
  });

  it('closing the sign-in popup before answering → back to signed-out, not stuck in signing-in', async () => {
    const client = clientId('-hang');
    const auth = createSmartAuth({ fhirBaseUrl: smartFhirUrl, clientId: client, scope: SCOPE, redirectUri: harnessUrl, storage: 'memory' });
    sources.push(auth);
    await auth.init();
    const signingIn = auth.signIn({ popup: true });
    await until(() => auth.state.status === 'signing-in', 'signing-in');
    // Wait until the popup shows the consent page, then close it as the user would.
    for (let i = 0; i < 100 && (await serverLog(client)).authorize.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const popup = window.open('', POPUP_TARGET)!;
    await new Promise((r) => setTimeout(r, 300));
    popup.close();
    await signingIn;
    expect(auth.state).to.include({ status: 'signed-out', error: 'popup_closed' });
    expect(await auth.tokenSource()).to.equal(undefined);
  });

  it('while the user is at the authorization server, the PKCE verifier and state are in this tab’s sessionStorage, not localStorage', async () => {
    const client = clientId('-hang');
    const win = await openHarness();
    await win.start({ fhirBaseUrl: smartFhirUrl, clientId: client, scope: SCOPE, redirectUri: harnessUrl, storage: 'session' });
    void win.auth.signIn();
    // The window is on the consent page (another origin) once the authorize request is logged.
    for (let i = 0; i < 100 && (await serverLog(client)).authorize.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const [authorize] = (await serverLog(client)).authorize;
    expect(authorize, 'authorize request').to.exist;
    // localStorage is shared by every window of this origin: the test page sees what the app stored.
    expect(Object.keys(localStorage).filter((k) => /oidc|ehr-kit|smart/i.test(k))).to.deep.equal([]);
    expect(storageValues(localStorage).join('\n')).not.to.include(authorize!.state!.split(';')[0]!);
  });

  it('a callback whose state this tab never issued → error, no token request, no token', async () => {
    const client = clientId();
    const win = await openHarness();
    await win.start({ fhirBaseUrl: smartFhirUrl, clientId: client, scope: SCOPE, redirectUri: harnessUrl });
    win.location.href = `${harnessUrl}?code=stolen-code&state=forged-state`;
    await until(() => win.location.search === '' && win.auth?.state.status === 'error' && win.auth, 'error state');
    expect(win.auth.state.error).to.equal('invalid_state');
    expect(await win.auth.tokenSource()).to.equal(undefined);
    expect((await serverLog(client)).token).to.have.length(0);
  });

  it('falls back to SMART v1 scopes when the server does not declare v2', async () => {
    const client = clientId();
    const auth = createSmartAuth({
      fhirBaseUrl: smartFhirV1Url,
      clientId: client,
      scope: 'openid fhirUser launch/patient patient/*.rs user/*.cruds offline_access',
      redirectUri: harnessUrl,
      storage: 'memory',
    });
    sources.push(auth);
    await auth.init();
    await auth.signIn({ popup: true });
    expect(auth.state.status).to.equal('signed-in');
    const [authorize] = (await serverLog(client)).authorize;
    expect(authorize!.scope!.split(' ')).to.include.members(['patient/*.read', 'user/*.*']);
    expect(authorize!.scope).not.to.match(/\.rs\b|\.cruds\b/);
    expect(authorize!.aud).to.equal(smartFhirV1Url);
  });
});
