// The mock in the page through MSW's service worker, plus the ws.link signalling relay.
import { expect } from '@open-wc/testing';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { startMockFhirWorker, type MockFhirWorker } from '@ehr-kit/mock-fhir/browser';
import { fixtures } from '@ehr-kit/mock-fhir';

function socket(url: string) {
  const ws = new WebSocket(url);
  const inbox: any[] = [];
  const waiters: Array<() => void> = [];
  ws.addEventListener('message', (e) => {
    inbox.push(JSON.parse(String(e.data)));
    waiters.splice(0).forEach((w) => w());
  });
  const next = async (type: string) => {
    for (let i = 0; i < 50; i++) {
      const idx = inbox.findIndex((m) => m.type === type);
      if (idx >= 0) return inbox.splice(idx, 1)[0];
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 100);
      });
    }
    throw new Error(`no '${type}' message; got ${JSON.stringify(inbox)}`);
  };
  const opened = new Promise((r) => ws.addEventListener('open', r));
  return { ws, next, opened, send: (m: object) => ws.send(JSON.stringify(m)) };
}

describe('mock-fhir: MSW worker in the page', () => {
  let worker: MockFhirWorker;
  before(async () => {
    worker = await startMockFhirWorker({ baseUrl: '/mock-fhir-worker-test/fhir', seed: 'demo' });
  });
  after(() => worker.stop());

  it('answers plain fetch() under the base URL with the demo clinic', async () => {
    const res = await fetch(`/mock-fhir-worker-test/fhir/Practitioner/${fixtures.practitioners.nguyen.id}`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('etag')).to.equal('W/"1"');
    const bundle = (await (await fetch('/mock-fhir-worker-test/fhir/Patient?family=garc')).json()) as Bundle<Patient>;
    expect(bundle.entry!.map((e) => e.resource!.id)).to.include(fixtures.patients.ana.id);
  });

  it('writes go to the same store the test can inspect', async () => {
    const res = await fetch('/mock-fhir-worker-test/fhir/Patient', {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Patient', name: [{ family: 'Worker' }] }),
    });
    expect(res.status).to.equal(201);
    const id = (await res.json()).id;
    expect(worker.mock.get('Patient', id)!.name[0].family).to.equal('Worker');
  });

  it('a dropped connection makes fetch reject', async () => {
    worker.mock.faults.drop('GET Patient', { times: 1 });
    let error: unknown;
    await fetch('/mock-fhir-worker-test/fhir/Patient').catch((e) => (error = e));
    expect(error).to.be.instanceOf(TypeError);
  });

  it('requests outside the base URL pass through to the network', async () => {
    const res = await fetch('/__ehr-test-env.json');
    expect(res.status).to.equal(200);
    expect(await res.json()).to.be.an('object');
  });

  it('relays signalling in a room with a lobby: the host admits the guest, then messages flow', async () => {
    const host = socket(worker.signalingUrl!);
    const guest = socket(worker.signalingUrl!);
    await Promise.all([host.opened, guest.opened]);
    host.send({ type: 'join', room: 'visit-1', role: 'host' });
    expect((await host.next('joined')).state).to.equal('admitted');
    guest.send({ type: 'join', room: 'visit-1' });
    const joined = await guest.next('joined');
    expect(joined.state).to.equal('waiting');
    const seen = await host.next('peer-joined');
    expect(seen.state).to.equal('waiting');
    host.send({ type: 'admit', room: 'visit-1', to: seen.from });
    expect((await guest.next('admitted')).to).to.equal(joined.you);
    guest.send({ type: 'offer', room: 'visit-1', sdp: 'v=0' });
    const offer = await host.next('offer');
    expect(offer.sdp).to.equal('v=0');
    expect(offer.from).to.equal(joined.you);
    guest.ws.close();
    expect((await host.next('peer-left')).from).to.equal(joined.you);
    host.ws.close();
  });
});
