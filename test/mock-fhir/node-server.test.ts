// The mock's Node HTTP server (test/support/20-mock-fhir.server.node.ts), from the page over real HTTP.
import { expect } from '@open-wc/testing';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { fixtures } from '@ehr-kit/mock-fhir';
import { testEnv } from '../support/env.js';

describe('mock-fhir: Node server over HTTP', () => {
  const origin = testEnv.mockFhirOrigin!;
  const base = `${origin}/t/demo-node-server-test/fhir`;

  before(async () => {
    expect(testEnv.mockFhirUrl, 'mockFhirUrl').to.be.a('string');
    await fetch(`${base}/$reset`, { method: 'POST' });
  });

  it('serves the demo clinic cross-origin (CORS) with ETag readable by the page', async () => {
    const res = await fetch(`${testEnv.mockFhirUrl}/Practitioner/${fixtures.practitioners.mueller.id}`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('etag')).to.match(/^W\/"\d+"$/);
    expect(res.headers.get('content-type')).to.contain('application/fhir+json');
  });

  it('accepts a preflighted write with If-Match and answers 412 on a stale version', async () => {
    const read = await fetch(`${base}/Patient/${fixtures.patients.zoe.id}`);
    const patient = (await read.json()) as Patient;
    const put = (ifMatch: string) =>
      fetch(`${base}/Patient/${patient.id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/fhir+json', 'if-match': ifMatch },
        body: JSON.stringify({ ...patient, gender: 'other' }),
      });
    const ok = await put(read.headers.get('etag')!);
    expect(ok.status).to.equal(200);
    expect((await put(read.headers.get('etag')!)).status).to.equal(412);
  });

  it('finds free slots for a practitioner by chained search', async () => {
    const res = await fetch(`${base}/Slot?schedule.actor=Practitioner/${fixtures.practitioners.nguyen.id}&status=free&_sort=start&_count=5`);
    const bundle = (await res.json()) as Bundle;
    expect(bundle.entry).to.have.length(5);
    expect(bundle.link!.some((l) => l.relation === 'next')).to.equal(true);
  });

  it('injects faults over HTTP ($fault) and a dropped connection rejects fetch', async () => {
    await fetch(`${base}/$fault`, { method: 'POST', body: JSON.stringify({ action: 'drop', route: 'GET Patient', times: 1 }) });
    let error: unknown;
    await fetch(`${base}/Patient`).catch((e) => (error = e));
    expect(error).to.be.instanceOf(TypeError);
    expect((await fetch(`${base}/Patient`)).status).to.equal(200);
  });

  it('$reset restores the seed', async () => {
    await fetch(`${base}/Patient/${fixtures.patients.zoe.id}`, { method: 'DELETE' });
    expect((await fetch(`${base}/Patient/${fixtures.patients.zoe.id}`)).status).to.equal(410);
    await fetch(`${base}/$reset`, { method: 'POST' });
    expect((await fetch(`${base}/Patient/${fixtures.patients.zoe.id}`)).status).to.equal(200);
  });

  it('relays signalling over a real WebSocket at /signal', async () => {
    const ws = new WebSocket(testEnv.mockSignalingUrl!);
    await new Promise((r) => ws.addEventListener('open', r));
    const reply = new Promise<any>((r) => ws.addEventListener('message', (e) => r(JSON.parse(String(e.data)))));
    ws.send(JSON.stringify({ type: 'join', room: `r-${Math.random()}`, role: 'host' }));
    expect((await reply).type).to.equal('joined');
    ws.close();
  });
});
