// @ehr-kit/fhir-client against the independent reference server (Medplum FhirRouter +
// MemoryRepository over HTTP, test/support/10-reference-fhir.server.node.ts). Each test gets its
// own empty store (a tenant base), so nothing leaks between tests or files.
import { expect } from '@open-wc/testing';
import type { Observation, Patient } from '@medplum/fhirtypes';
import { FhirClient, referenceTo, transactionBundle, txCreate, txUpdate } from '@ehr-kit/fhir-client';
import { referenceFhirBase } from '../support/reference-fhir.js';
import { failure } from '../support/failure.js';

let fhir: FhirClient;
beforeEach(() => {
  fhir = new FhirClient({ baseUrl: referenceFhirBase() });
});

const newPatient = (family: string, extra: Partial<Patient> = {}): Patient => ({
  resourceType: 'Patient',
  name: [{ family, given: ['Ana'] }],
  birthDate: '1990-04-01',
  gender: 'female',
  ...extra,
});

describe('fhir-client × reference server', () => {
  it('reports a FHIR 4.0.1 CapabilityStatement', async () => {
    const cs = await fhir.capabilities();
    expect(cs.resourceType).to.equal('CapabilityStatement');
    expect(cs.fhirVersion).to.equal('4.0.1');
  });

  it('creates, reads, updates (If-Match), vreads, patches, reads history and deletes', async () => {
    const created = await fhir.create(newPatient('Ng'));
    expect(created.id).to.be.a('string');
    expect(created.meta?.versionId).to.be.a('string');

    const read = await fhir.read('Patient', created.id!);
    expect(read.name?.[0].family).to.equal('Ng');

    const updated = await fhir.update({ ...read, gender: 'other' });
    expect(updated.gender).to.equal('other');
    expect(updated.meta?.versionId).to.not.equal(created.meta?.versionId);

    const v1 = await fhir.vread('Patient', created.id!, created.meta!.versionId!);
    expect(v1.gender).to.equal('female');

    const patched = await fhir.patch('Patient', created.id!, [{ op: 'replace', path: '/birthDate', value: '1991-05-02' }]);
    expect(patched.birthDate).to.equal('1991-05-02');

    const history = await fhir.history('Patient', created.id!);
    expect(history.type).to.equal('history');
    expect(history.entry).to.have.length(3);

    await fhir.delete('Patient', created.id!);
    const gone = await failure(fhir.read('Patient', created.id!));
    expect(gone.kind).to.equal('http');
    expect(gone.status).to.be.oneOf([404, 410]);
    expect(gone.operation).to.equal(`read Patient/${created.id}`);
  });

  it('conditional create with ifNoneExist is idempotent', async () => {
    const key = `urn:ehr-kit:test|${crypto.randomUUID()}`;
    const p = newPatient('Idem', { identifier: [{ system: key.split('|')[0], value: key.split('|')[1] }] });
    const first = await fhir.create(p, { ifNoneExist: `identifier=${key}` });
    const second = await fhir.create(p, { ifNoneExist: `identifier=${key}` });
    expect(second.id).to.equal(first.id);
    const all = await fhir.searchResources('Patient', { identifier: key });
    expect(all).to.have.length(1);
  });

  it('an update with a stale If-Match is a 412 and changes nothing', async () => {
    const v1 = await fhir.create(newPatient('Stale'));
    await fhir.update({ ...v1, gender: 'male' });
    const e = await failure(fhir.update({ ...v1, gender: 'unknown' }));
    expect(e.kind).to.equal('http');
    expect(e.status).to.equal(412);
    expect(e.operation).to.equal(`update Patient/${v1.id}`);
    expect(e.message).to.be.a('string').and.not.equal('');
    expect((await fhir.read('Patient', v1.id!)).gender).to.equal('male');
  });

  it('an invalid resource is a 400 with the issues', async () => {
    const e = await failure(fhir.create({ ...newPatient('Bad'), birthDate: '01/04/1990' }));
    expect(e.status).to.equal(400);
    expect(e.issues.length).to.be.greaterThan(0);
    expect(e.issues[0].expression?.[0]).to.equal('Patient.birthDate');
  });

  it('searches with paging (searchPages follows next), by GET and by POST _search', async () => {
    const family = `Page${Date.now()}`;
    for (let i = 0; i < 5; i++) await fhir.create(newPatient(family, { birthDate: `199${i}-01-01` }));
    await fhir.create(newPatient('Other'));

    const pages: string[][] = [];
    for await (const b of fhir.searchPages('Patient', { family, _count: 2, _sort: 'birthdate' })) {
      pages.push((b.entry ?? []).map((e) => e.resource!.birthDate!));
    }
    expect(pages).to.deep.equal([['1990-01-01', '1991-01-01'], ['1992-01-01', '1993-01-01'], ['1994-01-01']]);

    const byPost = await fhir.search('Patient', { family, birthdate: ['ge1991-01-01', 'lt1993-01-01'] }, { method: 'POST' });
    expect(byPost.total).to.equal(2);
  });

  it('a transaction resolves urn:uuid references to the new ids', async () => {
    const p = txCreate<Patient>(newPatient('Tx'));
    const o = txCreate<Observation>({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
      subject: referenceTo(p),
      valueQuantity: { value: 72, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    });
    const res = await fhir.transaction(transactionBundle([p, o]));
    expect(res.type).to.equal('transaction-response');
    const statuses = res.entry!.map((e) => e.response!.status);
    expect(statuses.every((s) => s.startsWith('201'))).to.equal(true, statuses.join());
    expect(res.entry![0].response!.etag).to.equal(`W/"${res.entry![0].resource!.meta!.versionId}"`);
    const [obs] = await fhir.searchResources('Observation', { code: 'http://loinc.org|8867-4' });
    const patientId = res.entry![0].resource!.id;
    expect(obs.subject?.reference).to.equal(`Patient/${patientId}`);
  });

  it('a failed transaction is rolled back: nothing from it is kept', async () => {
    const existing = await fhir.create(newPatient('Existing'));
    await fhir.update({ ...existing, gender: 'male' }); // existing's version is now stale
    const tx = transactionBundle([txCreate(newPatient('Orphan')), txUpdate({ ...existing, gender: 'other' })]);
    const e = await failure(fhir.transaction(tx));
    expect(e.status).to.equal(412);
    expect(e.operation).to.equal('transaction');
    expect(await fhir.searchResources('Patient', { family: 'Orphan' })).to.have.length(0);
    expect((await fhir.read('Patient', existing.id!)).gender).to.equal('male');
  });

  it("Medplum's raw MemoryRepository (the /norollback/ base) keeps a failed transaction's writes — the gap the wrapper closes", async () => {
    const raw = new FhirClient({ baseUrl: referenceFhirBase({ rollback: false }) });
    const existing = await raw.create(newPatient('Existing'));
    await raw.update({ ...existing, gender: 'male' });
    const tx = transactionBundle([txCreate(newPatient('Orphan')), txUpdate({ ...existing, gender: 'other' })]);
    expect((await failure(raw.transaction(tx))).status).to.equal(412);
    expect(await raw.searchResources('Patient', { family: 'Orphan' })).to.have.length(1);
  });
});
