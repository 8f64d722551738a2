// What the mock defers or shortcuts for speed must not change an answer: the reference index is
// updated lazily (on the next search that reads it), plain reads skip the router, and a transaction's
// bodies are copied, rewritten and frozen in one walk.
import { expect } from '@open-wc/testing';
import type { Bundle, Observation, Patient, Slot } from '@medplum/fhirtypes';
import { setup } from './helpers.js';

const obs = (patient: string, code = '8867-4'): Observation => ({
  resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code }] }, subject: { reference: `Patient/${patient}` },
});

describe('mock-fhir: lazy indexes and fast paths', () => {
  it('a search right after a write sees it, through the reference index (create, retarget, delete)', async () => {
    const { mock, search, ids } = setup();
    const put = (r: object) => mock.handleJson({ method: 'POST', path: (r as { resourceType: string }).resourceType, body: r });
    const a = (await put(obs('a'))).body as Observation;
    // the first search builds the index; the writes after it go through the index's log
    expect(ids((await search('Observation?subject=Patient/a')).body)).to.deep.equal([a.id]);
    const b = (await put(obs('a', '9279-1'))).body as Observation;
    expect(ids((await search('Observation?subject=Patient/a')).body).sort()).to.deep.equal([a.id, b.id].sort());
    // moved to another patient: gone from the old key, found under the new one (both params: subject and patient)
    const moved = await mock.handleJson({ method: 'PUT', path: `Observation/${a.id}`, body: { ...obs('b'), id: a.id } });
    expect(moved.status).to.equal(200);
    expect(ids((await search('Observation?subject=Patient/a')).body)).to.deep.equal([b.id]);
    expect(ids((await search('Observation?patient=Patient/b')).body)).to.deep.equal([a.id]);
    expect((await mock.handleJson({ method: 'DELETE', path: `Observation/${b.id}` })).status).to.equal(200);
    expect(ids((await search('Observation?subject=Patient/a')).body)).to.deep.equal([]);
    // _revinclude reads the same index
    const res = await mock.handleJson({ method: 'PUT', path: 'Patient/b', body: { resourceType: 'Patient', id: 'b' } });
    expect(res.status).to.equal(201);
    const withObs = (await search('Patient?_id=b&_revinclude=Observation:subject')).body;
    expect(ids(withObs, 'include')).to.deep.equal([a.id]);
  });

  it('many writes to a small type (the index rebuilt instead of replayed) still answer exactly', async () => {
    const { mock, search, ids } = setup();
    const created: string[] = [];
    for (let i = 0; i < 3; i++) created.push(((await mock.handleJson({ method: 'POST', path: 'Observation', body: obs('x') })).body as Observation).id!);
    expect(ids((await search('Observation?subject=Patient/x')).body).length).to.equal(3);
    // 200 updates of 3 resources: far more log than resources; the last one of each points at y
    for (let round = 0; round < 67; round++) {
      for (const id of created) {
        const target = round === 66 && id !== created[0] ? 'y' : 'x';
        await mock.handleJson({ method: 'PUT', path: `Observation/${id}`, body: { ...obs(target), id } });
      }
    }
    expect(ids((await search('Observation?subject=Patient/x')).body)).to.deep.equal([created[0]]);
    expect(ids((await search('Observation?subject=Patient/y')).body).sort()).to.deep.equal(created.slice(1).sort());
  });

  it('a failed transaction leaves the indexes as before, whether or not they were read in between', async () => {
    const { mock, search, ids } = setup();
    const slot = (await mock.handleJson({
      method: 'POST', path: 'Slot',
      body: { resourceType: 'Slot', schedule: { reference: 'Schedule/s1' }, status: 'free', start: '2026-11-26T09:00:00Z', end: '2026-11-26T09:30:00Z' },
    })).body as Slot;
    expect(ids((await search('Slot?schedule=Schedule/s1')).body)).to.deep.equal([slot.id]);
    const failing = (conditional: boolean): Bundle => ({
      resourceType: 'Bundle', type: 'transaction',
      entry: [
        // moves the slot to another schedule, then a later entry fails
        { resource: { ...slot, meta: undefined, schedule: { reference: 'Schedule/s2' } }, request: { method: 'PUT', url: `Slot/${slot.id}` } },
        { resource: obs('p'), request: { method: 'POST', url: 'Observation' } },
        ...(conditional
          ? [
            // a conditional update that searches the Slot index after the PUT above (inside the transaction) and updates
            // the slot it finds there; then a read of a missing resource fails the transaction
            {
              resource: { resourceType: 'Slot', schedule: { reference: 'Schedule/s2' }, status: 'busy', start: slot.start, end: slot.end } as Slot,
              request: { method: 'PUT' as const, url: 'Slot?schedule=Schedule/s2' },
            },
            { request: { method: 'GET' as const, url: 'Slot/nope' } },
          ]
          : [{ resource: { resourceType: 'Appointment', status: 'nonsense', participant: [{ status: 'accepted', actor: { reference: 'Patient/p' } }] } as never, request: { method: 'POST' as const, url: 'Appointment' } }]),
      ],
    });
    for (const conditional of [false, true]) {
      const res = await mock.handleJson({ method: 'POST', path: '', body: failing(conditional) });
      expect(res.status, `conditional: ${conditional}`).to.equal(conditional ? 404 : 400);
      expect(ids((await search('Slot?schedule=Schedule/s1')).body)).to.deep.equal([slot.id]);
      expect(ids((await search('Slot?schedule=Schedule/s2')).body)).to.deep.equal([]);
      expect(ids((await search('Observation?subject=Patient/p')).body)).to.deep.equal([]);
      expect(mock.store.versionsOf('Slot', slot.id!)!.length).to.equal(1);
    }
  });

  it('plain reads answer the current version: after an update, a deletion (410), with If-None-Match (304), in any path form', async () => {
    const { mock, call } = setup();
    const p = (await mock.handleJson({ method: 'POST', path: 'Patient', body: { resourceType: 'Patient', name: [{ family: 'Ng' }] } })).body as Patient;
    const v1 = await mock.handleJson({ method: 'GET', path: `Patient/${p.id}` });
    expect(v1.headers.ETag).to.equal('W/"1"');
    expect(v1.headers['Content-Location']).to.match(new RegExp(`/Patient/${p.id}/_history/1$`));
    await mock.handleJson({ method: 'PUT', path: `Patient/${p.id}`, body: { ...p, meta: undefined, gender: 'female' } });
    for (const path of [`Patient/${p.id}`, `/Patient/${p.id}/`, `Patient/${p.id}?_format=json`]) {
      const v2 = await mock.handleJson({ method: 'GET', path });
      expect(v2.status, path).to.equal(200);
      expect((v2.body as Patient).gender, path).to.equal('female');
      expect(v2.headers.ETag, path).to.equal('W/"2"');
    }
    const viaFetch = await call<Patient>('GET', `Patient/${p.id}`);
    expect(viaFetch.headers.get('etag')).to.equal('W/"2"');
    expect(viaFetch.headers.get('cache-control')).to.equal('no-cache');
    expect(viaFetch.body.gender).to.equal('female');
    expect((await mock.handleJson({ method: 'GET', path: `Patient/${p.id}`, headers: { 'If-None-Match': 'W/"2"' } })).status).to.equal(304);
    expect((await call('GET', `Patient/${p.id}`, undefined, { 'if-none-match': 'W/"2"' })).status).to.equal(304);
    await mock.handleJson({ method: 'DELETE', path: `Patient/${p.id}` });
    expect((await mock.handleJson({ method: 'GET', path: `Patient/${p.id}` })).status).to.equal(410);
    expect((await call('GET', `Patient/${p.id}`)).status).to.equal(410);
    // a type the router does not know, stored behind validation's back, is still a 404 on read
    mock.put({ resourceType: 'Nonsense', id: 'n1' } as never);
    expect((await mock.handleJson({ method: 'GET', path: 'Nonsense/n1' })).status).to.equal(404);
  });

  it('UTC instants checked without the pattern accept and refuse exactly what the R4 pattern does', async () => {
    const { mock } = setup();
    const slot = (start: string, end = '2099-01-01T00:00:00Z') =>
      mock.handleJson({ method: 'POST', path: 'Slot', body: { resourceType: 'Slot', schedule: { reference: 'Schedule/s1' }, status: 'free', start, end } });
    for (const ok of ['2026-11-26T10:00:00Z', '2026-11-26T10:00:00.123Z', '2026-11-26T23:59:60Z', '2026-11-26T10:00:00+01:00']) {
      expect((await slot(ok)).status, ok).to.equal(201);
    }
    for (const bad of ['0000-11-26T10:00:00Z', '2026-13-26T10:00:00Z', '2026-11-00T10:00:00Z', '2026-11-32T10:00:00Z', '2026-11-26T24:00:00Z',
      '2026-11-26T23:60:00Z', '2026-11-26T23:59:61Z', '2026-11-26T10:00:00.Z', '2026-11-26 10:00:00Z', '2026-11-26T10:00Z', '2026-11-26T10:00:0aZ']) {
      const res = await slot(bad);
      expect(res.status, bad).to.equal(400);
      expect(JSON.stringify(res.body), bad).to.contain('Slot.start');
    }
    // end before start: same-shape instants compared as strings, anything else parsed
    expect((await slot('2026-11-26T10:00:00Z', '2026-11-26T09:59:59Z')).status).to.equal(400);
    expect((await slot('2026-11-26T10:00:00+01:00', '2026-11-26T09:30:00Z')).status).to.equal(201);
    expect((await slot('2026-11-26T10:00:00Z', '2026-11-26T10:30:00+01:00')).status).to.equal(400);
  });

  it('stored versions from a transaction are frozen copies, and the caller keeps a usable bundle', async () => {
    const { mock } = setup();
    const entry = { resourceType: 'Patient', name: [{ family: 'Tx', given: ['A'] }], extension: [{ url: 'http://x', valueDate: undefined }] } as Patient;
    const tx: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: entry, request: { method: 'POST', url: 'Patient' } }] };
    const res = await mock.handleJson({ method: 'POST', path: '', body: tx });
    expect(res.status).to.equal(200);
    const stored = (res.body as Bundle).entry![0]!.resource as Patient;
    expect(Object.isFrozen(stored)).to.equal(true);
    expect(Object.isFrozen(stored.name![0]!.given)).to.equal(true);
    expect(Object.isFrozen(stored.meta)).to.equal(true);
    expect('valueDate' in stored.extension![0]!).to.equal(false); // JSON semantics
    expect(Object.isFrozen(entry)).to.equal(false);
    entry.name![0]!.family = 'Changed';
    expect(((await mock.handleJson({ method: 'GET', path: `Patient/${stored.id}` })).body as Patient).name![0]!.family).to.equal('Tx');
  });
});
