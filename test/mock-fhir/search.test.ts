// The search engine, parameter type by parameter type, through mock.fetch.
import { expect } from '@open-wc/testing';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { setup } from './helpers.js';

const people: Resource[] = [
  { resourceType: 'Patient', id: 'zoe', name: [{ family: "O'Brien", given: ['Zoë'] }], gender: 'female', birthDate: '1992-07-01', identifier: [{ system: 'urn:mrn', value: '1' }], meta: { tag: [{ system: 'urn:t', code: 'vip' }] } },
  { resourceType: 'Patient', id: 'muller', name: [{ family: 'Müller', given: ['Hannah'] }], gender: 'female', birthDate: '1991-01-09', identifier: [{ system: 'urn:mrn', value: '2' }] },
  { resourceType: 'Patient', id: 'mullerson', name: [{ family: 'Mullerson', given: ['Bob'] }], gender: 'male', birthDate: '1991-01', active: true },
  { resourceType: 'Patient', id: 'wei', name: [{ family: '张', given: ['伟'] }, { family: 'Zhang', given: ['Wei'] }], gender: 'male', birthDate: '1990' },
  { resourceType: 'Patient', id: 'smith', name: [{ family: 'Smith-Jones', given: ['Mary'] }], gender: 'female', birthDate: '1948-12-25', active: false },
  { resourceType: 'Practitioner', id: 'pr1', name: [{ family: 'Nguyễn', given: ['Linh'] }] },
  { resourceType: 'Practitioner', id: 'pr2', name: [{ family: 'Okafor' }] },
  { resourceType: 'Schedule', id: 'sc1', actor: [{ reference: 'Practitioner/pr1' }] },
  { resourceType: 'Schedule', id: 'sc2', actor: [{ reference: 'Practitioner/pr2' }] },
  { resourceType: 'Slot', id: 's1', schedule: { reference: 'Schedule/sc1' }, status: 'free', start: '2026-12-01T14:00:00Z', end: '2026-12-01T14:30:00Z' },
  { resourceType: 'Slot', id: 's2', schedule: { reference: 'Schedule/sc1' }, status: 'busy', start: '2026-12-01T14:30:00Z', end: '2026-12-01T15:00:00Z' },
  { resourceType: 'Slot', id: 's3', schedule: { reference: 'Schedule/sc1' }, status: 'free', start: '2026-12-02T09:00:00-05:00', end: '2026-12-02T09:30:00-05:00' },
  { resourceType: 'Slot', id: 's4', schedule: { reference: 'Schedule/sc2' }, status: 'free', start: '2026-12-01T14:00:00Z', end: '2026-12-01T14:30:00Z' },
  { resourceType: 'Observation', id: 'o1', status: 'final', category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }], code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] }, subject: { reference: 'Patient/zoe' }, effectiveDateTime: '2026-01-10T10:00:00Z', valueQuantity: { value: 72, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' } },
  { resourceType: 'Observation', id: 'o2', status: 'final', category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }], code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }] }, subject: { reference: 'Patient/zoe' }, effectiveDateTime: '2026-03-10T10:00:00Z', valueQuantity: { value: 61.5, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' } },
  { resourceType: 'Observation', id: 'o3', status: 'amended', category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }], code: { coding: [{ system: 'http://loinc.org', code: '2339-0' }], text: 'Glucose' }, subject: { reference: 'Patient/muller' }, effectiveDateTime: '2026-02-01', valueQuantity: { value: 5.4, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' } },
  { resourceType: 'Observation', id: 'o4', status: 'final', category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }], code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] }, subject: { reference: 'Patient/zoe' }, effectiveDateTime: '2026-02-10T10:00:00Z', valueQuantity: { value: 88, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' } },
  { resourceType: 'RiskAssessment', id: 'r1', status: 'final', subject: { reference: 'Patient/zoe' }, prediction: [{ probabilityDecimal: 0.25 }] },
  { resourceType: 'RiskAssessment', id: 'r2', status: 'final', subject: { reference: 'Patient/zoe' }, prediction: [{ probabilityDecimal: 0.7 }] },
];

describe('mock-fhir: search', () => {
  const { search, ids, call, mock } = setup({ seed: () => structuredClone(people) as never });
  const q = async (query: string) => {
    const res = await search(query);
    expect(res.status, `${query}: ${JSON.stringify(res.body)}`).to.equal(200);
    return ids(res.body);
  };
  const sorted = async (query: string) => (await q(query)).sort();

  it('string: starts-with by default, case- and accent-insensitive, any name part', async () => {
    expect(await sorted('Patient?family=muller')).to.deep.equal(['muller', 'mullerson']);
    expect(await sorted('Patient?family=MÜL')).to.deep.equal(['muller', 'mullerson']);
    expect(await q('Patient?name=zoe')).to.deep.equal(['zoe']);
    expect(await q("Patient?name=o'br")).to.deep.equal(['zoe']);
    expect(await q('Patient?name=张')).to.deep.equal(['wei']);
    expect(await q('Patient?family=jones')).to.deep.equal([]); // starts-with, not contains
  });

  it('string :exact and :contains', async () => {
    expect(await q('Patient?family:exact=Müller')).to.deep.equal(['muller']);
    expect(await q('Patient?family:exact=muller')).to.deep.equal([]);
    expect(await q('Patient?family:contains=jones')).to.deep.equal(['smith']);
  });

  it('token: code, system|code, |code, :not, :text, booleans', async () => {
    expect(await sorted('Patient?gender=male')).to.deep.equal(['mullerson', 'wei']);
    expect(await q('Patient?identifier=urn:mrn|2')).to.deep.equal(['muller']);
    expect(await q('Patient?identifier=urn:other|2')).to.deep.equal([]);
    expect(await sorted('Observation?code=http://loinc.org|8867-4')).to.deep.equal(['o1', 'o4']);
    expect(await sorted('Observation?status:not=final')).to.deep.equal(['o3']);
    expect(await q('Observation?code:text=gluc')).to.deep.equal(['o3']);
    expect(await q('Observation?code:text=heart')).to.deep.equal(['o1']);
    expect(await q('Patient?active=false')).to.deep.equal(['smith']);
    expect(await sorted('Patient?gender=male,female&active=true')).to.deep.equal(['mullerson']);
  });

  it('date: prefixes and precision as ranges', async () => {
    expect(await q('Patient?birthdate=1991-01-09')).to.deep.equal(['muller']);
    expect(await sorted('Patient?birthdate=1991')).to.deep.equal(['muller', 'mullerson']); // month precision is inside the year
    expect(await q('Patient?birthdate=1991-01-09&birthdate=lt1992')).to.deep.equal(['muller']);
    expect(await sorted('Patient?birthdate=ge1992-01-01')).to.deep.equal(['zoe']);
    expect(await sorted('Patient?birthdate=lt1950')).to.deep.equal(['smith']);
    expect(await sorted('Patient?birthdate=gt1991-01-31&birthdate=lt1993')).to.deep.equal(['zoe']);
    expect(await sorted('Slot?start=ge2026-12-01T14:00:00Z&start=lt2026-12-01T15:00:00Z')).to.deep.equal(['s1', 's2', 's4']);
    expect(await q('Slot?start=2026-12-02')).to.deep.equal(['s3']); // 09:00-05:00 = 14:00Z on the 2nd
    expect(await sorted('Slot?start=sa2026-12-01T14:00:00Z')).to.deep.equal(['s2', 's3']);
    expect(await sorted('Slot?start=eb2026-12-01T14:30:00Z')).to.deep.equal(['s1', 's4']); // ends before 14:30:00
    expect(await sorted('Slot?start=ne2026-12-01')).to.deep.equal(['s3']);
  });

  it('reference: Type/id, bare id, :Type, absolute URL, chained', async () => {
    expect(await sorted('Observation?subject=Patient/zoe')).to.deep.equal(['o1', 'o2', 'o4']);
    expect(await sorted('Observation?patient=zoe')).to.deep.equal(['o1', 'o2', 'o4']);
    expect(await sorted('Observation?subject:Patient=muller')).to.deep.equal(['o3']);
    expect(await sorted('Observation?subject=http://mock.test/fhir/Patient/muller')).to.deep.equal(['o3']);
    expect(await sorted('Slot?schedule.actor=Practitioner/pr1&status=free')).to.deep.equal(['s1', 's3']);
    expect(await sorted('Slot?schedule.actor:Practitioner.name=okafor')).to.deep.equal(['s4']);
    expect(await sorted('Observation?patient.name=müller')).to.deep.equal(['o3']);
  });

  it('quantity and number with prefixes', async () => {
    expect(await sorted('Observation?value-quantity=gt70')).to.deep.equal(['o1', 'o4']);
    expect(await q('Observation?value-quantity=72||/min')).to.deep.equal(['o1']);
    expect(await q('Observation?value-quantity=61.5|http://unitsofmeasure.org|kg')).to.deep.equal(['o2']);
    expect(await q('Observation?value-quantity=le5.4')).to.deep.equal(['o3']);
    expect(await q('Observation?value-quantity=ap85')).to.deep.equal(['o4']);
    expect(await q('RiskAssessment?probability=gt0.5')).to.deep.equal(['r2']);
    expect(await q('RiskAssessment?probability=0.25')).to.deep.equal(['r1']);
  });

  it('_id, _lastUpdated, _tag, :missing', async () => {
    expect(await sorted('Patient?_id=zoe,wei')).to.deep.equal(['wei', 'zoe']);
    expect(await q('Patient?_tag=urn:t|vip')).to.deep.equal(['zoe']);
    expect((await q('Patient?_lastUpdated=gt2000-01-01')).length).to.equal(5);
    expect(await q('Patient?_lastUpdated=lt2000-01-01')).to.deep.equal([]);
    expect(await sorted('Patient?active:missing=true')).to.deep.equal(['muller', 'wei', 'zoe']);
  });

  it('_sort multi-key with -, and _count/_offset paging with next/previous links', async () => {
    expect(await q('Observation?patient=zoe&_sort=-date')).to.deep.equal(['o2', 'o4', 'o1']);
    expect(await q('Patient?_sort=gender,-birthdate')).to.deep.equal(['zoe', 'muller', 'smith', 'mullerson', 'wei']);
    const page1 = (await search('Patient?_sort=birthdate&_count=2')).body;
    expect(ids(page1)).to.deep.equal(['smith', 'wei']);
    expect(page1.total).to.equal(5);
    const next = page1.link!.find((l) => l.relation === 'next')!.url;
    expect(page1.link!.find((l) => l.relation === 'previous')).to.equal(undefined);
    const page2 = (await (await mock.fetch(next)).json()) as Bundle;
    expect(ids(page2)).to.deep.equal(['mullerson', 'muller']);
    expect(page2.link!.find((l) => l.relation === 'previous')).to.not.equal(undefined);
    const page3 = (await (await mock.fetch(page2.link!.find((l) => l.relation === 'next')!.url)).json()) as Bundle;
    expect(ids(page3)).to.deep.equal(['zoe']);
    expect(page3.link!.find((l) => l.relation === 'next')).to.equal(undefined);
  });

  it('_total=none, _summary=count, _elements', async () => {
    expect((await search('Patient?_total=none')).body.total).to.equal(undefined);
    const count = (await search('Patient?gender=female&_summary=count')).body;
    expect(count.total).to.equal(3);
    expect(count.entry).to.equal(undefined);
    const el = (await search('Patient?_id=zoe&_elements=gender')).body.entry![0]!.resource as any;
    expect(el.gender).to.equal('female');
    expect(el.name).to.equal(undefined);
  });

  it('_include and _revinclude', async () => {
    const inc = (await search('Slot?_id=s1&_include=Slot:schedule')).body;
    expect(ids(inc, 'include')).to.deep.equal(['sc1']);
    const rev = (await search('Patient?_id=zoe&_revinclude=Observation:subject')).body;
    expect(ids(rev, 'include').sort()).to.deep.equal(['o1', 'o2', 'o4']);
  });

  it('POST _search with a form body equals GET', async () => {
    const res = await call<Bundle>('POST', 'Patient/_search', new URLSearchParams({ family: 'muller' }), { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).to.equal(200);
    expect(ids(res.body).sort()).to.deep.equal(['muller', 'mullerson']);
  });

  it('unknown parameters → 400, or ignored (with a warning) under Prefer: handling=lenient', async () => {
    const strict = await search('Patient?nickname=bob');
    expect(strict.status).to.equal(400);
    expect(strict.body.resourceType).to.equal('OperationOutcome');
    const lenient = await search('Patient?nickname=bob&gender=male', { Prefer: 'handling=lenient' });
    expect(lenient.status).to.equal(200);
    expect(ids(lenient.body).sort()).to.deep.equal(['mullerson', 'wei']);
    expect(lenient.body.entry!.some((e) => e.search?.mode === 'outcome')).to.equal(true);
    expect((await search('Patient?birthdate=notadate')).status).to.equal(400);
    expect((await search('Patient?family:below=x')).status).to.equal(400);
  });

  it('sees writes immediately (index stays in step with updates and deletes)', async () => {
    await call('PUT', 'Slot/s4', { resourceType: 'Slot', id: 's4', schedule: { reference: 'Schedule/sc1' }, status: 'free', start: '2026-12-01T14:00:00Z', end: '2026-12-01T14:30:00Z' });
    expect(await sorted('Slot?schedule=Schedule/sc1&status=free')).to.deep.equal(['s1', 's3', 's4']);
    expect(await q('Slot?schedule=Schedule/sc2')).to.deep.equal([]);
    await call('DELETE', 'Slot/s4');
    expect(await sorted('Slot?schedule=Schedule/sc1&status=free')).to.deep.equal(['s1', 's3']);
    mock.reset();
  });

  it('large stores use sorted indexes that follow writes and rollbacks (2,500 patients)', async () => {
    const many = setup({
      seed: () => Array.from({ length: 2500 }, (_, i) => ({ resourceType: 'Patient', id: `p${i}`, name: [{ family: i % 2 ? 'Lefèvre' : 'Lee' }], birthDate: `19${50 + (i % 50)}-01-01` })) as never,
    });
    const total = async (query: string) => (await many.search(query)).body.total;
    expect(await total('Patient?family=lefevre')).to.equal(1250);
    expect(await total('Patient?family=le')).to.equal(2500);
    expect(await total('Patient?birthdate=1951-01-01')).to.equal(50);
    expect(await total('Patient?family=lee&birthdate=1951-01-01')).to.equal(0); // odd i → Lefèvre
    await many.call('PUT', 'Patient/p1', { resourceType: 'Patient', id: 'p1', name: [{ family: 'Lee' }], birthDate: '1951-01-01' });
    expect(await total('Patient?family=lee&birthdate=1951-01-01')).to.equal(1);
    expect(await total('Patient?family=lefevre')).to.equal(1249);
    const failed = await many.call('POST', '', {
      resourceType: 'Bundle', type: 'transaction',
      entry: [
        { resource: { resourceType: 'Patient', id: 'p3', name: [{ family: 'Zed' }] }, request: { method: 'PUT', url: 'Patient/p3' } },
        { resource: { resourceType: 'Observation' }, request: { method: 'POST', url: 'Observation' } },
      ],
    });
    expect(failed.status).to.equal(400);
    expect(await total('Patient?family=zed')).to.equal(0);
    expect(await total('Patient?family=lefevre')).to.equal(1249);
  });
});
