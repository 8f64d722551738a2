// Fault injection: latency, 5xx/429 + Retry-After, dropped connections, 412/409, flaky.
import { expect } from '@open-wc/testing';
import { BASE, setup } from './helpers.js';

describe('mock-fhir: faults', () => {
  it('latency delays only the matching route', async () => {
    const { mock } = setup();
    mock.faults.latency('GET Patient', 200);
    let t = performance.now();
    await mock.fetch(`${BASE}/Patient`);
    expect(performance.now() - t).to.be.at.least(190);
    t = performance.now();
    await mock.fetch(`${BASE}/Observation`);
    expect(performance.now() - t).to.be.below(150);
  });

  it('fail: status with OperationOutcome and Retry-After; times limits it; nothing is processed', async () => {
    const { mock } = setup();
    mock.faults.fail('POST Patient', 503, { retryAfter: 2, times: 1 });
    const res = await mock.fetch(`${BASE}/Patient`, { method: 'POST', body: JSON.stringify({ resourceType: 'Patient' }) });
    expect(res.status).to.equal(503);
    expect(res.headers.get('retry-after')).to.equal('2');
    expect((await res.json()).resourceType).to.equal('OperationOutcome');
    expect(mock.all('Patient')).to.have.length(0);
    const ok = await mock.fetch(`${BASE}/Patient`, { method: 'POST', body: JSON.stringify({ resourceType: 'Patient' }) });
    expect(ok.status).to.equal(201);
    mock.faults.rateLimit('*', 5);
    const limited = await mock.fetch(`${BASE}/Patient`);
    expect(limited.status).to.equal(429);
    expect(limited.headers.get('retry-after')).to.equal('5');
  });

  it('drop: fetch rejects like a network error; after: true means the write happened but the reply was lost', async () => {
    const { mock } = setup();
    mock.faults.drop('GET Patient/*', { times: 1 });
    let error: unknown;
    await mock.fetch(`${BASE}/Patient/x`).catch((e) => (error = e));
    expect(error).to.be.instanceOf(TypeError);
    mock.faults.drop('POST Patient', { after: true, times: 1 });
    error = undefined;
    await mock.fetch(`${BASE}/Patient`, { method: 'POST', body: JSON.stringify({ resourceType: 'Patient' }) }).catch((e) => (error = e));
    expect(error).to.be.instanceOf(TypeError);
    expect(mock.all('Patient')).to.have.length(1);
  });

  it('preconditionFailed and conflict fire once by default', async () => {
    const { mock } = setup();
    mock.put({ resourceType: 'Patient', id: 'p' });
    mock.faults.preconditionFailed('PUT Patient/p');
    const body = JSON.stringify({ resourceType: 'Patient', id: 'p' });
    expect((await mock.fetch(`${BASE}/Patient/p`, { method: 'PUT', body })).status).to.equal(412);
    expect((await mock.fetch(`${BASE}/Patient/p`, { method: 'PUT', body })).status).to.equal(200);
    mock.faults.conflict('/');
    expect((await mock.fetch(`${BASE}`, { method: 'POST', body: JSON.stringify({ resourceType: 'Bundle', type: 'batch' }) })).status).to.equal(409);
  });

  it('flaky(rate) is deterministic for a seed and fails about that share', async () => {
    const run = async () => {
      const { mock } = setup();
      mock.faults.flaky(0.3, { seed: 's1' });
      const out: string[] = [];
      for (let i = 0; i < 100; i++) {
        out.push(await mock.fetch(`${BASE}/Patient`).then((r) => String(r.status), () => 'drop'));
      }
      return out;
    };
    const a = await run();
    expect(await run()).to.deep.equal(a);
    const failures = a.filter((s) => s !== '200').length;
    expect(failures).to.be.within(15, 45);
    expect(a).to.include('drop');
    expect(a).to.include('503');
  });

  it('clear() and handle.remove() turn faults off', async () => {
    const { mock } = setup();
    const h = mock.faults.fail('*', 500);
    expect((await mock.fetch(`${BASE}/Patient`)).status).to.equal(500);
    h.remove();
    expect((await mock.fetch(`${BASE}/Patient`)).status).to.equal(200);
    mock.faults.fail('*', 500);
    mock.faults.clear();
    expect((await mock.fetch(`${BASE}/Patient`)).status).to.equal(200);
  });
});
