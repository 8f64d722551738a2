import { expect } from '@open-wc/testing';
import { bffAuth, callbackAuth, noAuth, staticTokenAuth } from '@ehr-kit/auth';
import { launchContextFrom, smartScope, supportsScopesV2 } from '@ehr-kit/auth/smart';

describe('@ehr-kit/auth token sources', () => {
  it('noAuth sends no token and is anonymous', async () => {
    const a = noAuth();
    expect(a.state.status).to.equal('anonymous');
    expect(await a.tokenSource()).to.equal(undefined);
  });

  it('staticTokenAuth returns the token as given', async () => {
    const a = staticTokenAuth('abc');
    expect(a.state.status).to.equal('signed-in');
    expect(await a.tokenSource({ forceRefresh: true })).to.equal('abc');
  });

  it('callbackAuth asks the host each time, passes forceRefresh, and reports failures', async () => {
    const calls: unknown[] = [];
    let fail = false;
    const a = callbackAuth(async (o) => {
      calls.push(o);
      if (fail) throw new Error('host session ended');
      return o?.forceRefresh ? 'fresh' : 'cached';
    });
    const seen: string[] = [];
    a.subscribe((s) => seen.push(s.status));
    expect(await a.tokenSource()).to.equal('cached');
    expect(await a.tokenSource({ forceRefresh: true })).to.equal('fresh');
    expect(calls).to.deep.equal([undefined, { forceRefresh: true }]);
    fail = true;
    let error: unknown;
    await a.tokenSource().catch((e) => (error = e));
    expect(error).to.be.an('error');
    expect(a.state).to.include({ status: 'error', error: 'host session ended' });
    expect(seen).to.deep.equal(['error']);
  });

  it('bffAuth keeps tokens out of the browser and sends cookies to the proxy', async () => {
    const a = bffAuth({ proxyBaseUrl: '/api/fhir' });
    expect(a.credentials).to.equal('include');
    expect(a.proxyBaseUrl).to.equal('/api/fhir');
    expect(await a.tokenSource()).to.equal(undefined);
  });
});

describe('SMART scopes and launch context (pure helpers)', () => {
  const v2 = { capabilities: ['permission-v2'] };
  const v1 = { capabilities: ['permission-v1'], scopes_supported: ['patient/*.read'] };

  it('detects v2 from capabilities or scopes_supported, else assumes v1', () => {
    expect(supportsScopesV2(v2)).to.equal(true);
    expect(supportsScopesV2({ scopes_supported: ['openid', 'patient/Observation.rs'] })).to.equal(true);
    expect(supportsScopesV2(v1)).to.equal(false);
    expect(supportsScopesV2({})).to.equal(false);
  });

  it('keeps v2 scopes for a v2 server; adds launch only for an EHR launch', () => {
    expect(smartScope('openid launch patient/*.rs', v2, false)).to.equal('openid patient/*.rs');
    expect(smartScope('openid patient/*.rs', v2, true)).to.equal('launch openid patient/*.rs');
  });

  it('rewrites v2 to v1 for a v1 server', () => {
    expect(smartScope('patient/*.rs user/*.cruds user/Observation.cud patient/Observation.rs?category=vital-signs openid', v1, false)).to.equal(
      'patient/*.read user/*.* user/Observation.write patient/Observation.read openid',
    );
  });

  it('reads the SMART launch context from a token response', () => {
    expect(
      launchContextFrom({ access_token: 'x', patient: 'p1', encounter: 'e1', need_patient_banner: false, fhirContext: [{ reference: 'Encounter/e1' }], intent: 'x' }),
    ).to.deep.equal({ patient: 'p1', encounter: 'e1', needPatientBanner: false, fhirContext: [{ reference: 'Encounter/e1' }], intent: 'x' });
    expect(launchContextFrom({ access_token: 'x' })).to.deep.equal({});
  });
});
