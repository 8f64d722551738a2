// Batch and atomic transaction (the booking path of <ehr-slot-picker>, vitals in one transaction).
import { expect } from '@open-wc/testing';
import type { Appointment, Bundle, Observation, OperationOutcome, Slot } from '@medplum/fhirtypes';
import { fixtures } from '@ehr-kit/mock-fhir';
import { setup } from './helpers.js';

const U1 = 'urn:uuid:9b5f9c8e-0000-4000-8000-000000000001';
const U2 = 'urn:uuid:9b5f9c8e-0000-4000-8000-000000000002';

function booking(slot: Slot, ifMatch: string): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: U1,
        resource: {
          resourceType: 'Appointment', status: 'booked', start: slot.start, end: slot.end, slot: [{ reference: `Slot/${slot.id}` }],
          participant: [
            { actor: { reference: `Patient/${fixtures.patients.ana.id}` }, status: 'accepted' },
            { actor: { reference: `Practitioner/${fixtures.practitioners.nguyen.id}` }, status: 'accepted' },
          ],
        } as Appointment,
        request: { method: 'POST', url: 'Appointment' },
      },
      { resource: { ...slot, status: 'busy' }, request: { method: 'PUT', url: `Slot/${slot.id}`, ifMatch } },
    ],
  };
}

describe('mock-fhir: batch and transaction', () => {
  it('books a slot atomically: Appointment created + Slot busy, response has status/location/etag', async () => {
    const { call, mock } = setup({ seed: 'demo' });
    const slot = mock.all<Slot>('Slot').find((s) => s.status === 'free')!;
    const res = await call<Bundle>('POST', '', booking(slot, 'W/"1"'));
    expect(res.status).to.equal(200);
    expect(res.body.type).to.equal('transaction-response');
    const [appt, put] = res.body.entry!;
    expect(appt!.response!.status).to.match(/^201/);
    expect(appt!.response!.location).to.match(/Appointment\/[^/]+\/_history\/1$/);
    expect(appt!.response!.etag).to.equal('W/"1"');
    expect(put!.response!.status).to.match(/^200/);
    expect(put!.response!.etag).to.equal('W/"2"');
    expect(mock.get<Slot>('Slot', slot.id!)!.status).to.equal('busy');
  });

  it('two patients, one slot: the second booking fails with 412 and leaves nothing behind', async () => {
    const { call, mock } = setup({ seed: 'demo' });
    const slot = mock.all<Slot>('Slot').find((s) => s.status === 'free')!;
    const appts = mock.all('Appointment').length;
    expect((await call('POST', '', booking(slot, 'W/"1"'))).status).to.equal(200);
    const second = await call<OperationOutcome>('POST', '', booking(slot, 'W/"1"'));
    expect(second.status).to.equal(412);
    expect(second.body.resourceType).to.equal('OperationOutcome');
    expect(mock.all('Appointment')).to.have.length(appts + 1); // the POST of the failed bundle was rolled back
  });

  it('rolls back every earlier entry when a later one is invalid (all or nothing)', async () => {
    const { call, mock } = setup();
    const res = await call<OperationOutcome>('POST', '', {
      resourceType: 'Bundle', type: 'transaction',
      entry: [
        { resource: { resourceType: 'Patient', name: [{ family: 'Kept?' }] }, request: { method: 'POST', url: 'Patient' } },
        { resource: { resourceType: 'Patient', id: 'p2', name: [{ family: 'Kept?' }] }, request: { method: 'PUT', url: 'Patient/p2' } },
        { resource: { resourceType: 'Observation', status: 'final' }, request: { method: 'POST', url: 'Observation' } },
      ],
    });
    expect(res.status).to.equal(400);
    expect(res.body.issue[0]!.expression![0]).to.match(/^Bundle\.entry\[2\]/);
    expect(mock.all('Patient')).to.have.length(0);
    expect(mock.all('Observation')).to.have.length(0);
    expect((await call('GET', 'Patient/p2')).status).to.equal(404);
  });

  it('rewrites urn:uuid references everywhere (nested, extensions, between new resources)', async () => {
    const { call, mock } = setup();
    const res = await call<Bundle>('POST', '', {
      resourceType: 'Bundle', type: 'transaction',
      entry: [
        {
          fullUrl: U2,
          resource: {
            resourceType: 'Observation', status: 'final', code: { text: 'BP' },
            subject: { reference: U1 },
            extension: [{ url: 'http://example.org/x', valueReference: { reference: U1 } }],
            component: [{ code: { text: 'sys' }, valueQuantity: { value: 120, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } }],
          },
          request: { method: 'POST', url: 'Observation' },
        },
        { fullUrl: U1, resource: { resourceType: 'Patient', name: [{ family: 'Ng' }] }, request: { method: 'POST', url: 'Patient' } },
      ],
    });
    expect(res.status).to.equal(200);
    const patientId = mock.all('Patient')[0]!.id;
    const obs = mock.all<Observation>('Observation')[0]!;
    expect(obs.subject!.reference).to.equal(`Patient/${patientId}`);
    expect(obs.extension![0]!.valueReference!.reference).to.equal(`Patient/${patientId}`);
    // entries come back in request order
    expect(res.body.entry![0]!.response!.location).to.contain('Observation/');
  });

  it('processes DELETE, then POST, then PUT, then GET (FHIR order), whatever the entry order', async () => {
    const { call, mock } = setup();
    mock.put({ resourceType: 'Patient', id: 'old', name: [{ family: 'Old' }] });
    const res = await call<Bundle>('POST', '', {
      resourceType: 'Bundle', type: 'transaction',
      entry: [
        { request: { method: 'GET', url: 'Patient?family=new' } },
        { resource: { resourceType: 'Patient', id: 'put1', name: [{ family: 'NewPut' }] }, request: { method: 'PUT', url: 'Patient/put1' } },
        { resource: { resourceType: 'Patient', name: [{ family: 'NewPost' }] }, request: { method: 'POST', url: 'Patient' } },
        { request: { method: 'DELETE', url: 'Patient/old' } },
      ],
    });
    expect(res.status).to.equal(200);
    const search = res.body.entry![0]!.resource as Bundle;
    expect(search.total).to.equal(2); // the GET ran after both writes
    expect(res.body.entry![3]!.response!.status).to.match(/^20[04]/);
    expect(mock.get('Patient', 'old')).to.equal(undefined);
  });

  it('honours ifNoneExist in entry.request (idempotent retry) and maps its fullUrl to the existing id', async () => {
    const { call, mock } = setup();
    const bundle = (): Bundle => ({
      resourceType: 'Bundle', type: 'transaction',
      entry: [
        { fullUrl: U1, resource: { resourceType: 'Patient', identifier: [{ system: 'urn:k', value: '1' }] }, request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=urn:k|1' } },
        { resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: U1 } }, request: { method: 'POST', url: 'Observation' } },
      ],
    });
    const a = await call<Bundle>('POST', '', bundle());
    const b = await call<Bundle>('POST', '', bundle());
    expect(a.body.entry![0]!.response!.status).to.match(/^201/);
    expect(b.body.entry![0]!.response!.status).to.match(/^200/);
    expect(mock.all('Patient')).to.have.length(1);
    const pid = mock.all('Patient')[0]!.id;
    expect(mock.all<Observation>('Observation').map((o) => o.subject!.reference)).to.deep.equal([`Patient/${pid}`, `Patient/${pid}`]);
  });

  it('a conditional PUT that creates gets the id its urn:uuid was mapped to', async () => {
    const { call, mock } = setup();
    const res = await call<Bundle>('POST', '', {
      resourceType: 'Bundle', type: 'transaction',
      entry: [
        { fullUrl: U1, resource: { resourceType: 'Patient', identifier: [{ system: 'urn:k', value: 'cp' }] }, request: { method: 'PUT', url: 'Patient?identifier=urn:k|cp' } },
        { resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: U1 } }, request: { method: 'POST', url: 'Observation' } },
      ],
    });
    expect(res.status).to.equal(200);
    const pid = mock.all('Patient')[0]!.id;
    expect(mock.all<Observation>('Observation')[0]!.subject!.reference).to.equal(`Patient/${pid}`);
  });

  it('rejects a transaction naming the same resource twice, and an unresolved urn:uuid', async () => {
    const { call } = setup();
    const twice = await call('POST', '', {
      resourceType: 'Bundle', type: 'transaction',
      entry: [
        { resource: { resourceType: 'Patient', id: 'a' }, request: { method: 'PUT', url: 'Patient/a' } },
        { resource: { resourceType: 'Patient', id: 'a' }, request: { method: 'PUT', url: 'Patient/a' } },
      ],
    });
    expect(twice.status).to.equal(400);
    const dangling = await call('POST', '', {
      resourceType: 'Bundle', type: 'transaction',
      entry: [{ resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: U2 } }, request: { method: 'POST', url: 'Observation' } }],
    });
    expect(dangling.status).to.equal(400);
  });

  it('batch: entries succeed or fail independently, each with its own status', async () => {
    const { call, mock } = setup();
    const res = await call<Bundle>('POST', '', {
      resourceType: 'Bundle', type: 'batch',
      entry: [
        { resource: { resourceType: 'Patient', name: [{ family: 'Ok' }] }, request: { method: 'POST', url: 'Patient' } },
        { resource: { resourceType: 'Observation' }, request: { method: 'POST', url: 'Observation' } },
        { request: { method: 'GET', url: 'Patient/missing' } },
      ],
    });
    expect(res.status).to.equal(200);
    expect(res.body.type).to.equal('batch-response');
    expect(res.body.entry!.map((e) => e.response!.status.slice(0, 3))).to.deep.equal(['201', '400', '404']);
    expect(res.body.entry![1]!.response!.outcome!.resourceType).to.equal('OperationOutcome');
    expect(mock.all('Patient')).to.have.length(1);
  });
});
