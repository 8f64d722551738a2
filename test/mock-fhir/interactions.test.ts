// Every FHIR REST interaction of the mock, through mock.fetch (no network, no MSW).
import { expect } from '@open-wc/testing';
import type { Bundle, OperationOutcome, Patient } from '@medplum/fhirtypes';
import { setup } from './helpers.js';

const patient = (family: string, extra: Partial<Patient> = {}): Patient => ({ resourceType: 'Patient', name: [{ family, given: ['Test'] }], ...extra });

describe('mock-fhir: interactions', () => {
  it('create → 201 with Location, ETag W/"1", Last-Modified, fhir+json, server-assigned id and meta', async () => {
    const { call } = setup();
    const res = await call<Patient>('POST', 'Patient', { ...patient('Ng'), meta: { versionId: '99', lastUpdated: '2000-01-01T00:00:00Z' } });
    expect(res.status).to.equal(201);
    expect(res.body.id).to.match(/^[A-Za-z0-9\-.]{1,64}$/);
    expect(res.body.meta!.versionId).to.equal('1');
    expect(res.body.meta!.lastUpdated).to.not.equal('2000-01-01T00:00:00Z');
    expect(res.headers.get('etag')).to.equal('W/"1"');
    expect(res.headers.get('location')).to.equal(`http://mock.test/fhir/Patient/${res.body.id}/_history/1`);
    expect(res.headers.get('last-modified')).to.equal(new Date(res.body.meta!.lastUpdated!).toUTCString());
    expect(res.headers.get('content-type')).to.contain('application/fhir+json');
  });

  it('read, vread and 404 for an unknown id', async () => {
    const { call, create } = setup();
    const p = await create(patient('Ng'));
    const read = await call<Patient>('GET', `Patient/${p.id}`);
    expect(read.status).to.equal(200);
    expect(read.body.name![0]!.family).to.equal('Ng');
    expect(read.headers.get('etag')).to.equal('W/"1"');
    await call('PUT', `Patient/${p.id}`, { ...read.body, gender: 'female' });
    const v1 = await call<Patient>('GET', `Patient/${p.id}/_history/1`);
    expect(v1.status).to.equal(200);
    expect(v1.body.gender).to.equal(undefined);
    expect((await call('GET', `Patient/${p.id}/_history/3`)).status).to.equal(404);
    const missing = await call<OperationOutcome>('GET', 'Patient/nope');
    expect(missing.status).to.equal(404);
    expect(missing.body.resourceType).to.equal('OperationOutcome');
  });

  it('update with If-Match: current version → 200 W/"2"; stale → 412, nothing written', async () => {
    const { call, create, mock } = setup();
    const p = await create(patient('Ng'));
    const ok = await call<Patient>('PUT', `Patient/${p.id}`, { ...p, gender: 'male' }, { 'If-Match': 'W/"1"' });
    expect(ok.status).to.equal(200);
    expect(ok.headers.get('etag')).to.equal('W/"2"');
    const stale = await call<OperationOutcome>('PUT', `Patient/${p.id}`, { ...p, gender: 'female' }, { 'If-Match': 'W/"1"' });
    expect(stale.status).to.equal(412);
    expect(stale.body.resourceType).to.equal('OperationOutcome');
    expect(mock.get<Patient>('Patient', p.id!)!.gender).to.equal('male');
  });

  it('update-as-create with a client id → 201; id must match the URL → 400', async () => {
    const { call } = setup();
    const created = await call<Patient>('PUT', 'Patient/client-1', { ...patient('Ng'), id: 'client-1' });
    expect(created.status).to.equal(201);
    expect(created.headers.get('location')).to.contain('/Patient/client-1/_history/1');
    const mismatch = await call<OperationOutcome>('PUT', 'Patient/client-1', { ...patient('Ng'), id: 'other' });
    expect(mismatch.status).to.equal(400);
    const noId = await call('PUT', 'Patient/client-1', patient('Ng'));
    expect(noId.status).to.equal(400);
  });

  it('conditional create (If-None-Exist): 0 matches → 201, 1 → 200 existing, >1 → 412', async () => {
    const { call, mock } = setup();
    const body = patient('Ng', { identifier: [{ system: 'urn:key', value: 'k1' }] });
    const first = await call<Patient>('POST', 'Patient', body, { 'If-None-Exist': 'identifier=urn:key|k1' });
    expect(first.status).to.equal(201);
    const again = await call<Patient>('POST', 'Patient', body, { 'If-None-Exist': 'identifier=urn:key|k1' });
    expect(again.status).to.equal(200);
    expect(again.body.id).to.equal(first.body.id);
    expect(mock.all('Patient')).to.have.length(1);
    await call('POST', 'Patient', patient('Ng', { identifier: [{ system: 'urn:key', value: 'dup' }] }));
    await call('POST', 'Patient', patient('Ng', { identifier: [{ system: 'urn:key', value: 'dup' }] }));
    const many = await call('POST', 'Patient', body, { 'If-None-Exist': 'identifier=urn:key|dup' });
    expect(many.status).to.equal(412);
  });

  it('conditional update: 0 matches → 201, 1 → 200 on that resource, >1 → 412', async () => {
    const { call, mock } = setup();
    const body = patient('Ng', { identifier: [{ system: 'urn:key', value: 'c1' }] });
    const made = await call<Patient>('PUT', 'Patient?identifier=urn:key|c1', body);
    expect(made.status).to.equal(201);
    const upd = await call<Patient>('PUT', 'Patient?identifier=urn:key|c1', { ...body, gender: 'other' });
    expect(upd.status).to.equal(200);
    expect(upd.body.id).to.equal(made.body.id);
    expect(upd.body.meta!.versionId).to.equal('2');
    mock.put(patient('X', { identifier: [{ system: 'urn:key', value: 'c2' }] }));
    mock.put(patient('Y', { identifier: [{ system: 'urn:key', value: 'c2' }] }));
    expect((await call('PUT', 'Patient?identifier=urn:key|c2', body)).status).to.equal(412);
  });

  it('JSON Patch: applies, bumps the version, honours If-Match and test ops', async () => {
    const { call, create } = setup();
    const p = await create(patient('Ng'));
    const hdr = { 'content-type': 'application/json-patch+json' };
    const ok = await call<Patient>('PATCH', `Patient/${p.id}`, [{ op: 'add', path: '/birthDate', value: '1990-01-02' }], { ...hdr, 'If-Match': 'W/"1"' });
    expect(ok.status).to.equal(200);
    expect(ok.body.birthDate).to.equal('1990-01-02');
    expect(ok.body.meta!.versionId).to.equal('2');
    expect((await call('PATCH', `Patient/${p.id}`, [{ op: 'replace', path: '/gender', value: 'x' }], { ...hdr, 'If-Match': 'W/"1"' })).status).to.equal(412);
    const failedTest = await call('PATCH', `Patient/${p.id}`, [{ op: 'test', path: '/birthDate', value: '2000-01-01' }], hdr);
    expect(failedTest.status).to.be.oneOf([409, 422]);
    const invalid = await call<OperationOutcome>('PATCH', `Patient/${p.id}`, [{ op: 'replace', path: '/birthDate', value: 'yesterday' }], hdr);
    expect(invalid.status).to.equal(400);
  });

  it('delete → 200, then read → 410 Gone, history keeps the versions, re-delete is harmless', async () => {
    const { call, create } = setup();
    const p = await create(patient('Ng'));
    expect((await call('DELETE', `Patient/${p.id}`)).status).to.equal(200);
    expect((await call('GET', `Patient/${p.id}`)).status).to.equal(410);
    const hist = await call<Bundle>('GET', `Patient/${p.id}/_history`);
    expect(hist.body.type).to.equal('history');
    expect(hist.body.entry).to.have.length(2);
    expect(hist.body.entry![0]!.request!.method).to.equal('DELETE');
    expect((await call('DELETE', `Patient/${p.id}`)).status).to.be.oneOf([200, 204]);
    expect((await call('DELETE', 'Patient/never-existed')).status).to.equal(404);
  });

  it('history: instance newest first, type history across resources', async () => {
    const { call, create } = setup();
    const a = await create(patient('A'));
    await create(patient('B'));
    await call('PUT', `Patient/${a.id}`, { ...a, gender: 'female' });
    const inst = await call<Bundle>('GET', `Patient/${a.id}/_history`);
    expect(inst.body.entry!.map((e) => (e.resource as Patient).meta!.versionId)).to.deep.equal(['2', '1']);
    const type = await call<Bundle>('GET', 'Patient/_history');
    expect(type.body.total).to.equal(3);
  });

  it('validation: unknown resourceType, bad id, missing required, bad primitives → 400 OperationOutcome with expression', async () => {
    const { call } = setup();
    const unknown = await call<OperationOutcome>('POST', 'Patient', { resourceType: 'Patientt' });
    expect(unknown.status).to.equal(400);
    const typeMismatch = await call<OperationOutcome>('POST', 'Patient', { resourceType: 'Practitioner' });
    expect(typeMismatch.status).to.equal(400);
    const badDate = await call<OperationOutcome>('POST', 'Patient', patient('Ng', { birthDate: '1990-13-01' }));
    expect(badDate.status).to.equal(400);
    expect(badDate.body.issue[0]!.expression).to.deep.equal(['Patient.birthDate']);
    const obs = await call<OperationOutcome>('POST', 'Observation', { resourceType: 'Observation', code: { text: 'x' } });
    expect(obs.status).to.equal(400);
    expect(obs.body.issue.map((i) => i.expression![0])).to.include('Observation.status');
    const slot = await call<OperationOutcome>('POST', 'Slot', { resourceType: 'Slot', status: 'free', schedule: { reference: 'Schedule/1' }, start: '2026-01-01', end: '2026-01-01T10:00:00Z' });
    expect(slot.status).to.equal(400);
    expect(slot.body.issue[0]!.expression).to.deep.equal(['Slot.start']);
    const bool = await call<OperationOutcome>('POST', 'Patient', { ...patient('Ng'), active: 'yes' });
    expect(bool.status).to.equal(400);
    expect(bool.body.issue[0]!.expression).to.deep.equal(['Patient.active']);
    const code = await call<OperationOutcome>('POST', 'Patient', { ...patient('Ng'), gender: 'woman' });
    expect(code.status).to.equal(400);
    const empty = await call<OperationOutcome>('POST', 'Patient', { ...patient('Ng'), name: [{ family: '' }] });
    expect(empty.status).to.equal(400);
    expect(empty.body.issue[0]!.expression).to.deep.equal(['Patient.name[0].family']);
    const notJson = await call('POST', 'Patient', '{nope');
    expect(notJson.status).to.equal(400);
    const badQty = await call<OperationOutcome>('POST', 'Observation', {
      resourceType: 'Observation', status: 'final', code: { text: 'hr' }, valueQuantity: { value: '72', unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    });
    expect(badQty.status).to.equal(400);
    expect(badQty.body.issue[0]!.expression).to.deep.equal(['Observation.valueQuantity.value']);
  });

  it('validation: unknown elements, arrays where single values belong (and back), choice types, per-datatype checks', async () => {
    const { call } = setup();
    const expr = async (body: unknown) => {
      const res = await call<OperationOutcome>('POST', (body as { resourceType: string }).resourceType, body);
      return res.status === 201 ? 'created' : `${res.status} ${res.body.issue.map((i) => i.expression![0]).join(',')}`;
    };
    expect(await expr({ resourceType: 'Patient', birthdate: '2000-01-01' })).to.equal('400 Patient.birthdate');
    expect(await expr({ resourceType: 'Patient', name: [{ famly: 'Ng' }] })).to.equal('400 Patient.name[0].famly');
    expect(await expr({ resourceType: 'Patient', name: { family: 'Ng' } })).to.equal('400 Patient.name');
    expect(await expr({ resourceType: 'Patient', name: [{ family: ['Ng'] }] })).to.equal('400 Patient.name[0].family');
    expect(await expr({ resourceType: 'Patient', deceasedDateTime: '2020-01-01', multipleBirthInteger: 2 })).to.equal('created');
    expect(await expr({ resourceType: 'Patient', deceasedString: 'yes' })).to.equal('400 Patient.deceasedString');
    expect(await expr({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueQuantity: { value: 1, units: 'kg' } })).to.equal('400 Observation.valueQuantity.units');
    expect(await expr({ resourceType: 'Slot', schedule: { reference: 'Schedule/1' }, status: 'free', start: '2026-01-01T10:00:00', end: '2026-01-01T10:30:00Z' })).to.equal('400 Slot.start');
    expect(await expr({ resourceType: 'Appointment', status: 'booked', participant: [{ actor: { reference: 'Patient/1' }, status: 'maybe' }] })).to.equal('400 Appointment.participant[0].status');
  });

  it('Prefer: return=minimal sends no body; return=OperationOutcome sends an outcome', async () => {
    const { call } = setup();
    const min = await call('POST', 'Patient', patient('Ng'), { Prefer: 'return=minimal' });
    expect(min.status).to.equal(201);
    expect(min.body).to.equal(undefined);
    expect(min.headers.get('location')).to.contain('/Patient/');
    const oo = await call('POST', 'Patient', patient('Ng'), { Prefer: 'return=OperationOutcome' });
    expect(oo.body.resourceType).to.equal('OperationOutcome');
  });

  it('unknown type → 404, unsupported route → 405', async () => {
    const { call } = setup();
    expect((await call('GET', 'Nonsense')).status).to.equal(404);
    expect((await call('GET', '')).status).to.equal(405);
  });

  it('metadata lists resources and their search params; smart-configuration is configurable', async () => {
    const { call } = setup({ smart: { issuer: 'http://auth.test', authorization_endpoint: 'http://auth.test/authz', token_endpoint: 'http://auth.test/tok' } });
    const cs = await call('GET', 'metadata');
    expect(cs.status).to.equal(200);
    expect(cs.body.fhirVersion).to.equal('4.0.1');
    const slot = cs.body.rest[0].resource.find((r: any) => r.type === 'Slot');
    expect(slot.searchParam.map((p: any) => p.name)).to.include.members(['schedule', 'start', 'status']);
    const smart = await call('GET', '.well-known/smart-configuration');
    expect(smart.body.authorization_endpoint).to.equal('http://auth.test/authz');
    expect(smart.body.token_endpoint).to.equal('http://auth.test/tok');
    expect(smart.body.code_challenge_methods_supported).to.include('S256');
  });

  it('$reset restores the seed and clears faults', async () => {
    const { call, mock } = setup({ seed: 'demo' });
    const before = mock.all('Patient').length;
    await call('POST', 'Patient', patient('Extra'));
    mock.faults.latency('*', 10_000);
    expect((await call('POST', '$reset')).status).to.equal(200);
    expect(mock.all('Patient')).to.have.length(before);
    expect(mock.faults.rules).to.have.length(0);
  });
});
