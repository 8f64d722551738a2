// The sorted indexes (string prefix, date eq) of a large type are kept up to date by the writes after
// their first build, not rebuilt. Every answer must be the one a fresh store holding the same resources
// gives: the same ids, and for the searches the index answers, in the same order (the index is in a
// total order, so a stale or missing row shows up as a different order or a different set).
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import type { MockFhir } from '@ehr-kit/mock-fhir';
import { setup } from './helpers.js';

const FAMILIES = ['Smith', 'Smyth', 'Smithers', 'Jones', 'Johnson', 'Nguyen', 'Ng', 'Müller'];
const GIVENS = ['Ana', 'Anna', 'Bo', 'Bob'];
const BIRTHS = ['1980', '1980-03', '1980-03-04', '1980-03-31', '1981-01-01', '1979-12-31', undefined];
// enough patients for Patient to get sorted indexes (SORTED_INDEX_MIN in search.ts)
const BASE_COUNT = 2100;

interface Shape {
  f: number;
  g: number;
  b: number;
  /** a second name (its family may repeat the first: two equal rows of one resource) */
  f2?: number;
}

function patient(id: string | undefined, s: Shape): Patient {
  const name: Patient['name'] = [{ family: FAMILIES[s.f % FAMILIES.length], given: [GIVENS[s.g % GIVENS.length]!] }];
  if (s.f2 !== undefined) name.push({ family: FAMILIES[s.f2 % FAMILIES.length] });
  const birthDate = BIRTHS[s.b % BIRTHS.length];
  return { resourceType: 'Patient', ...(id ? { id } : {}), name, ...(birthDate ? { birthDate } : {}) };
}

/** Searches the sorted indexes answer (their order is compared) … */
const INDEXED = [
  'family=sm', 'family=smith', 'family=SMI', 'family=mu', 'family=j', 'family=sm,ng', 'given=an', 'name=bo', 'name=j',
  'birthdate=1980', 'birthdate=1980-03', 'birthdate=eq1980-03-04', 'birthdate=1981-01-01',
  'birthdate=1980-03&family=sm',
];
/** … and the ones they do not (modifiers, other prefixes): compared as sets. */
const SCANNED = ['family:exact=Smith', 'family:contains=ith', 'birthdate=ge1980-03', 'birthdate=lt1981', 'birthdate=ge1980&birthdate=lt1980-03-31'];

function baseResources(): Patient[] {
  const out: Patient[] = [];
  for (let i = 0; i < BASE_COUNT; i++) {
    out.push(patient(`p${i}`, { f: (i * 7) % 8, g: i % 4, b: (i * 3) % 7, ...(i % 5 === 0 ? { f2: (i * 11) % 8 } : {}) }));
  }
  return out;
}

interface Answer {
  total: number;
  ids: string[];
}

/** Every match of a search, page by page (a page holds at most 1000). */
async function searchAll(mock: MockFhir, q: string): Promise<Answer> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += 1000) {
    const b = (await mock.handleJson({ method: 'GET', path: `Patient?${q}&_count=1000&_offset=${offset}` })).body as Bundle;
    const page = (b.entry ?? []).map((e) => e.resource!.id!);
    ids.push(...page);
    if (page.length < 1000) return { total: b.total!, ids };
  }
}

/** A mock over the base patients, with `model` kept as the resources it should hold. */
function tracked() {
  const env = setup({ seed: () => baseResources() });
  const model = new Map<string, Patient>(baseResources().map((p) => [p.id!, p]));
  const get = (q: string) => searchAll(env.mock, q);
  return { ...env, model, get };
}

/** Every query against a fresh store loaded with `model`'s resources. */
async function expectSameAsFresh(get: (q: string) => Promise<Answer>, model: Map<string, Patient>, queries = [...INDEXED, ...SCANNED]): Promise<void> {
  const fresh = setup({ seed: () => [...model.values()].map((r) => structuredClone(r)) });
  for (const q of queries) {
    const a = await get(q);
    const b = await searchAll(fresh.mock, q);
    expect(a.total, q).to.equal(b.total);
    expect(a.ids.length, q).to.equal(a.total);
    if (INDEXED.includes(q)) expect(a.ids, q).to.deep.equal(b.ids);
    else expect([...a.ids].sort(), q).to.deep.equal([...b.ids].sort());
  }
}

describe('mock-fhir: sorted indexes after writes', function () {
  this.timeout(120_000);

  it('a search right after create, update, delete, a transaction and a failed transaction answers like a fresh store', async () => {
    const { mock, model, get } = tracked();
    await expectSameAsFresh(get, model); // builds the indexes
    expect((await get('family=sm')).total).to.be.greaterThan(0);

    const created = (await mock.handleJson({ method: 'POST', path: 'Patient', body: patient(undefined, { f: 0, g: 0, b: 2 }) })).body as Patient;
    model.set(created.id!, { ...patient(created.id, { f: 0, g: 0, b: 2 }) });
    await expectSameAsFresh(get, model);

    // family Smith → Smyth and a birth date of another precision: the old rows must go, the new ones come in
    const upd = patient('p0', { f: 1, g: 1, b: 0, f2: 1 });
    expect((await mock.handleJson({ method: 'PUT', path: 'Patient/p0', body: upd })).status).to.equal(200);
    model.set('p0', upd);
    await expectSameAsFresh(get, model);

    expect((await mock.handleJson({ method: 'DELETE', path: 'Patient/p8' })).status).to.equal(200);
    model.delete('p8');
    await expectSameAsFresh(get, model);

    const tx = (entries: NonNullable<Bundle['entry']>): Bundle => ({ resourceType: 'Bundle', type: 'transaction', entry: entries });
    const p16 = patient('p16', { f: 5, g: 3, b: 3 });
    const newOne = patient(undefined, { f: 6, g: 2, b: 4, f2: 6 });
    const ok = await mock.handleJson({
      method: 'POST', path: '', body: tx([
        { request: { method: 'PUT', url: 'Patient/p16' }, resource: p16 },
        { request: { method: 'POST', url: 'Patient' }, resource: newOne, fullUrl: 'urn:uuid:8b0c7a52-1b1f-4a55-9f3e-0f5e0b1c2d3e' },
        { request: { method: 'DELETE', url: 'Patient/p24' } },
      ]),
    });
    expect(ok.status).to.equal(200);
    const location = (ok.body as Bundle).entry![1]!.response!.location!;
    const newId = /Patient\/([^/]+)/.exec(location)![1]!;
    model.set('p16', p16);
    model.set(newId, { ...newOne, id: newId });
    model.delete('p24');
    await expectSameAsFresh(get, model);

    // every entry but the last succeeds, then If-Match fails: all of it is undone
    const failed = await mock.handleJson({
      method: 'POST', path: '', body: tx([
        { request: { method: 'PUT', url: 'Patient/p32' }, resource: patient('p32', { f: 7, g: 0, b: 1 }) },
        { request: { method: 'POST', url: 'Patient' }, resource: patient(undefined, { f: 0, g: 0, b: 0 }) },
        { request: { method: 'DELETE', url: 'Patient/p40' } },
        { request: { method: 'PUT', url: 'Patient/p48', ifMatch: 'W/"99"' }, resource: patient('p48', { f: 3, g: 1, b: 5 }) },
      ]),
    });
    expect(failed.status).to.equal(412);
    await expectSameAsFresh(get, model);
  });

  it('after more writes than are worth replaying (rebuilt) and a change log trimmed at its bound (replayed from the rest)', async () => {
    const { mock, model, get } = tracked();
    await expectSameAsFresh(get, model);
    const put = async (i: number, round: number) => {
      const id = `p${i % BASE_COUNT}`;
      const r = patient(id, { f: i + round, g: round, b: i * round });
      expect((await mock.handleJson({ method: 'PUT', path: `Patient/${id}`, body: r })).status).to.equal(200);
      model.set(id, r);
    };
    // 300 changes: more than this type's replay limit, so the next search rebuilds
    for (let i = 0; i < 300; i++) await put(i * 13, 1);
    await expectSameAsFresh(get, model);
    // past the log's bound (4 × 2,100 + 256 entries): its oldest half is dropped; the reader is within what is kept
    for (let i = 0; i < 4400; i++) await put(i * 7, 2);
    await expectSameAsFresh(get, model);
    for (let i = 0; i < 40; i++) await put(i * 5, 3);
    await expectSameAsFresh(get, model);
  });

  it('many interleaved writes and searches (property): every search answers like a fresh store', async () => {
    const shape = fc.record({ f: fc.nat(7), g: fc.nat(3), b: fc.nat(6), f2: fc.option(fc.nat(7), { nil: undefined }) });
    const op = fc.oneof(
      fc.record({ kind: fc.constant('create' as const), s: shape }),
      fc.record({ kind: fc.constant('update' as const), i: fc.nat(BASE_COUNT - 1), s: shape }),
      fc.record({ kind: fc.constant('delete' as const), i: fc.nat(BASE_COUNT - 1) }),
      fc.record({ kind: fc.constant('tx' as const), i: fc.nat(BASE_COUNT - 1), s: shape, fail: fc.boolean() }),
      fc.record({ kind: fc.constant('search' as const), q: fc.constantFrom(...INDEXED, ...SCANNED) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 40 }), async (ops) => {
        const { mock, model, get } = tracked();
        await get('family=s');
        await get('name=a');
        await get('given=a');
        await get('birthdate=1980');
        const live = () => [...model.keys()];
        for (const o of ops) {
          if (o.kind === 'create') {
            const r = (await mock.handleJson({ method: 'POST', path: 'Patient', body: patient(undefined, o.s) })).body as Patient;
            model.set(r.id!, patient(r.id, o.s));
          } else if (o.kind === 'update' || o.kind === 'delete' || o.kind === 'tx') {
            const ids = live();
            const id = ids[o.i % ids.length]!;
            if (o.kind === 'update') {
              expect((await mock.handleJson({ method: 'PUT', path: `Patient/${id}`, body: patient(id, o.s) })).status).to.equal(200);
              model.set(id, patient(id, o.s));
            } else if (o.kind === 'delete') {
              expect((await mock.handleJson({ method: 'DELETE', path: `Patient/${id}` })).status).to.equal(200);
              model.delete(id);
            } else {
              const other = ids[(o.i + 1) % ids.length]!;
              const res = await mock.handleJson({
                method: 'POST', path: '', body: {
                  resourceType: 'Bundle', type: 'transaction', entry: [
                    { request: { method: 'PUT', url: `Patient/${id}` }, resource: patient(id, o.s) },
                    { request: { method: 'DELETE', url: `Patient/${other}` } },
                    ...(o.fail ? [{ request: { method: 'PUT', url: `Patient/${id}x`, ifMatch: 'W/"99"' }, resource: patient(`${id}x`, o.s) }] : []),
                  ],
                },
              });
              expect(res.status).to.equal(o.fail ? 412 : 200);
              if (!o.fail) {
                model.set(id, patient(id, o.s));
                model.delete(other);
              }
            }
          } else {
            await expectSameAsFresh(get, model, [o.q]);
          }
        }
        await expectSameAsFresh(get, model);
      }),
      { numRuns: 12 },
    );
  });
});
