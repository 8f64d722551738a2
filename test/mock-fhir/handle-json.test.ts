// mock.handleJson: the server without HTTP (what handle(Request) adapts). Same answers as over
// fetch; the caller's body is neither kept nor changed; stored resources come back frozen.
import { expect } from '@open-wc/testing';
import type { Bundle, Patient, Slot } from '@medplum/fhirtypes';
import { BASE, setup } from './helpers.js';

describe('mock-fhir: handleJson', () => {
  it('create, read, If-Match update and 412 answer like handle(Request)', async () => {
    const { mock, call } = setup();
    const body: Patient = { resourceType: 'Patient', name: [{ family: 'Ng' }], gender: undefined };
    const created = await mock.handleJson({ method: 'POST', path: 'Patient', body });
    expect(created.status).to.equal(201);
    const p = created.body as Patient;
    expect(created.headers.Location).to.equal(`${BASE}/Patient/${p.id}/_history/1`);
    expect(created.headers.ETag).to.equal('W/"1"');
    expect(created.headers['Last-Modified']).to.equal(new Date(p.meta!.lastUpdated!).toUTCString());
    expect('gender' in p).to.equal(false); // JSON semantics: undefined members are dropped
    expect(body).to.deep.equal({ resourceType: 'Patient', name: [{ family: 'Ng' }], gender: undefined }); // not changed
    body.name![0]!.family = 'Changed'; // not kept either
    const read = await mock.handleJson({ method: 'GET', path: `/Patient/${p.id}` });
    expect(read.status).to.equal(200);
    expect((read.body as Patient).name![0]!.family).to.equal('Ng');
    expect(Object.isFrozen(read.body)).to.equal(true);
    expect(Object.isFrozen((read.body as Patient).name![0])).to.equal(true);
    const viaFetch = await call<Patient>('GET', `Patient/${p.id}`);
    expect(viaFetch.body).to.deep.equal(read.body);
    expect(viaFetch.headers.get('etag')).to.equal(read.headers.ETag);
    const stale = await mock.handleJson({ method: 'PUT', path: `Patient/${p.id}`, headers: { 'If-Match': 'W/"9"' }, body: { ...p, gender: 'male' } });
    expect(stale.status).to.equal(412);
    const ok = await mock.handleJson({ method: 'PUT', path: `Patient/${p.id}`, headers: { 'if-match': 'W/"1"' }, body: { ...p, gender: 'male' } });
    expect(ok.status).to.equal(200);
    expect(ok.headers.ETag).to.equal('W/"2"');
    expect((await mock.handleJson({ method: 'GET', path: 'Patient/nope' })).status).to.equal(404);
  });

  it('search with query in the path or as a record, and a transaction with urn:uuid references', async () => {
    const { mock } = setup();
    await mock.handleJson({ method: 'POST', path: 'Patient', body: { resourceType: 'Patient', name: [{ family: 'García' }] } });
    const a = await mock.handleJson({ method: 'GET', path: 'Patient?family=garcia' });
    const b = await mock.handleJson({ method: 'GET', path: 'Patient', query: { family: 'garcia' } });
    expect((a.body as Bundle).total).to.equal(1);
    expect((b.body as Bundle).entry![0]!.resource!.id).to.equal((a.body as Bundle).entry![0]!.resource!.id);
    const txBody: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:11111111-1111-4111-8111-111111111111', resource: { resourceType: 'Patient', name: [{ family: 'Tx' }] }, request: { method: 'POST', url: 'Patient' } },
        {
          resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: 'urn:uuid:11111111-1111-4111-8111-111111111111' } },
          request: { method: 'POST', url: 'Observation' },
        },
      ],
    };
    const snapshot = JSON.stringify(txBody);
    const tx = await mock.handleJson({ method: 'POST', path: '', body: txBody });
    expect(tx.status).to.equal(200);
    const entries = (tx.body as Bundle).entry!;
    const pid = entries[0]!.resource!.id;
    expect((entries[1]!.resource as { subject: { reference: string } }).subject.reference).to.equal(`Patient/${pid}`);
    expect(JSON.stringify(txBody)).to.equal(snapshot); // the caller's bundle is untouched
  });

  it('a failed transaction entry rolls everything back, as over fetch', async () => {
    const { mock } = setup();
    const slot = (await mock.handleJson({
      method: 'POST', path: 'Slot',
      body: { resourceType: 'Slot', schedule: { reference: 'Schedule/s1' }, status: 'free', start: '2026-11-26T09:00:00Z', end: '2026-11-26T09:30:00Z' },
    })).body as Slot;
    const res = await mock.handleJson({
      method: 'POST', path: '',
      body: {
        resourceType: 'Bundle', type: 'transaction',
        entry: [
          { resource: { ...slot, meta: undefined, status: 'busy' }, request: { method: 'PUT', url: `Slot/${slot.id}`, ifMatch: 'W/"1"' } },
          { resource: { resourceType: 'Appointment', status: 'nonsense', participant: [{ status: 'accepted', actor: { reference: 'Patient/p1' } }] }, request: { method: 'POST', url: 'Appointment' } },
        ],
      },
    });
    expect(res.status).to.equal(400);
    expect((mock.get<Slot>('Slot', slot.id!))!.status).to.equal('free');
  });
});
