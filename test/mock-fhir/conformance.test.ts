// CONFORMANCE: the same HTTP requests against the mock's Node server and the reference server
// (Medplum FhirRouter + MemoryRepository over HTTP, test/support/10-reference-fhir.server.node.ts).
// Where the FHIR spec decides the answer, both must give it. Where the reference departs from the
// spec (raw transactions without rollback, "contains" string search, no quantity/number search,
// unknown parameters ignored), the test states the spec and asserts the mock follows it.
// Reference cases are skipped when the reference server is not running (no env key).
import { expect } from '@open-wc/testing';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { testEnv } from '../support/env.js';
import { referenceFhirBase } from '../support/reference-fhir.js';

interface Reply {
  status: number;
  headers: Headers;
  body: any;
}
interface Target {
  name: 'mock' | 'reference';
  base: string; // no trailing slash
}

const hasReference = !!testEnv.referenceFhirOrigin || !!testEnv.referenceFhirUrl;
const tenant = () => `conf-${crypto.randomUUID()}`;

function mockTarget(): Target {
  return { name: 'mock', base: `${testEnv.mockFhirOrigin}/t/${tenant()}/fhir` };
}
function referenceTarget(rollback = true): Target {
  return { name: 'reference', base: referenceFhirBase({ rollback }).replace(/\/$/, '') };
}
/** Fresh empty stores on both servers (just the mock when the reference is absent). */
function targets(): Target[] {
  return hasReference ? [mockTarget(), referenceTarget()] : [mockTarget()];
}

async function call(t: Target, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const init: RequestInit = { method, headers: { ...headers }, cache: 'no-store' };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= method === 'PATCH' ? 'application/json-patch+json' : 'application/fhir+json';
  }
  const res = await fetch(path.startsWith('http') ? path : `${t.base}/${path}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** Runs the same scenario on every target; returns results keyed by target name. */
async function onBoth<T>(scenario: (t: Target) => Promise<T>, make = targets): Promise<{ mock: T; reference?: T }> {
  const out: Record<string, T> = {};
  for (const t of make()) out[t.name] = await scenario(t);
  return out as { mock: T; reference?: T };
}

/** Asserts the reference agrees with the mock (when it runs). */
function agree<T>(r: { mock: T; reference?: T }, what: string): T {
  if ('reference' in r) expect(r.reference, `${what}: reference vs mock`).to.deep.equal(r.mock);
  return r.mock;
}

/** Content without server-managed parts (id, meta, text). */
function content(r: Resource | undefined): unknown {
  if (!r) return r;
  const { id: _i, meta: _m, text: _t, ...rest } = r as Resource & { text?: unknown };
  return rest;
}

const KEY = 'urn:conformance';
const keyOf = (r: any): string => r?.identifier?.find((i: any) => i.system === KEY)?.value ?? `${r?.resourceType}/?`;
const keys = (b: Bundle, mode = 'match') => (b.entry ?? []).filter((e: BundleEntry) => (e.search?.mode ?? 'match') === mode).map((e) => keyOf(e.resource));
const sortedKeys = (b: Bundle, mode = 'match') => keys(b, mode).sort();

const ident = (k: string) => [{ system: KEY, value: k }];

/** The shared search fixture, created by POST on each server; returns key → server id. */
async function seedSearchData(t: Target): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  const post = async (r: any) => {
    const res = await call(t, 'POST', r.resourceType, r);
    if (res.status !== 201) throw new Error(`${t.name}: seeding ${keyOf(r)} failed ${res.status} ${JSON.stringify(res.body)}`);
    ids[keyOf(r)] = res.body.id;
    return res.body.id as string;
  };
  await post({ resourceType: 'Patient', identifier: ident('zoe'), name: [{ family: "O'Brien", given: ['Zoë'] }], gender: 'female', birthDate: '1992-07-01' });
  await post({ resourceType: 'Patient', identifier: ident('muller'), name: [{ family: 'Müller', given: ['Hannah'] }], gender: 'female', birthDate: '1991-01-09' });
  await post({ resourceType: 'Patient', identifier: ident('mullerson'), name: [{ family: 'Mullerson', given: ['Bob'] }], gender: 'male', birthDate: '1991-03-15', active: true });
  await post({ resourceType: 'Patient', identifier: ident('smith'), name: [{ family: 'Smith-Jones', given: ['Mary'] }], gender: 'female', birthDate: '1948-12-25', active: false });
  await post({ resourceType: 'Patient', identifier: ident('wei'), name: [{ family: 'Zhang', given: ['Wei'] }], gender: 'male', birthDate: '1990-02-02' });
  const pr1 = await post({ resourceType: 'Practitioner', identifier: ident('pr1'), name: [{ family: 'Nguyen', given: ['Linh'] }] });
  const pr2 = await post({ resourceType: 'Practitioner', identifier: ident('pr2'), name: [{ family: 'Okafor' }] });
  const sc1 = await post({ resourceType: 'Schedule', identifier: ident('sc1'), actor: [{ reference: `Practitioner/${pr1}` }] });
  const sc2 = await post({ resourceType: 'Schedule', identifier: ident('sc2'), actor: [{ reference: `Practitioner/${pr2}` }] });
  const slot = (k: string, sc: string, status: string, start: string, end: string) =>
    post({ resourceType: 'Slot', identifier: ident(k), schedule: { reference: `Schedule/${sc}` }, status, start, end });
  await slot('s1', sc1, 'free', '2026-12-01T14:00:00Z', '2026-12-01T14:30:00Z');
  await slot('s2', sc1, 'busy', '2026-12-01T14:30:00Z', '2026-12-01T15:00:00Z');
  await slot('s3', sc1, 'free', '2026-12-02T14:00:00Z', '2026-12-02T14:30:00Z');
  await slot('s4', sc2, 'free', '2026-12-01T14:00:00Z', '2026-12-01T14:30:00Z');
  const vital = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] };
  const obs = (k: string, patient: string, code: string, date: string, value: number, unit: string, status = 'final') =>
    post({
      resourceType: 'Observation', identifier: ident(k), status, category: [vital],
      code: { coding: [{ system: 'http://loinc.org', code }] }, subject: { reference: `Patient/${ids[patient]}` },
      effectiveDateTime: date, valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
    });
  await obs('o1', 'zoe', '8867-4', '2026-01-10T10:00:00Z', 72, '/min');
  await obs('o2', 'zoe', '29463-7', '2026-03-10T10:00:00Z', 61.5, 'kg');
  await obs('o3', 'muller', '8867-4', '2026-02-01T08:00:00Z', 64, '/min', 'amended');
  await obs('o4', 'zoe', '8867-4', '2026-02-10T10:00:00Z', 88, '/min');
  return ids;
}

describe('mock-fhir: conformance with the reference server', function () {
  this.timeout(60_000);

  before(function () {
    expect(testEnv.mockFhirOrigin, 'mockFhirOrigin (20-mock-fhir.server.node.ts)').to.be.a('string');
    if (!hasReference) console.warn('referenceFhirUrl missing: conformance runs against the mock only');
  });

  describe('interactions', () => {
    it('create: 201, Location to the new version, ETag W/"1", versionId 1; read returns what was sent', async () => {
      const r = await onBoth(async (t) => {
        const sent = { resourceType: 'Patient', name: [{ family: 'Ng', given: ['An'] }], birthDate: '1990-02-03' };
        const res = await call(t, 'POST', 'Patient', sent);
        const read = await call(t, 'GET', `Patient/${res.body.id}`);
        // versionId is opaque (the reference uses UUIDs): compare how it is used, not its value
        const vid = res.body.meta.versionId;
        return {
          status: res.status,
          location: (res.headers.get('location') ?? '').endsWith(`/Patient/${res.body.id}/_history/${vid}`),
          etag: res.headers.get('etag') === `W/"${vid}"`,
          lastModified: Date.parse(res.headers.get('last-modified') ?? '') === Math.floor(Date.parse(res.body.meta.lastUpdated) / 1000) * 1000,
          readStatus: read.status,
          readEtag: read.headers.get('etag') === `W/"${vid}"`,
          content: content(read.body),
        };
      });
      const m = agree(r, 'create');
      expect(m).to.deep.include({ status: 201, location: true, etag: true, lastModified: true, readStatus: 200, readEtag: true });
    });

    it('read of an unknown id: 404 OperationOutcome', async () => {
      agree(await onBoth(async (t) => {
        const res = await call(t, 'GET', 'Patient/does-not-exist');
        return [res.status, res.body?.resourceType];
      }), 'read 404');
    });

    it('update: If-Match current → 200 version 2; stale → 412 and nothing written; vread 1 is the old content', async () => {
      const r = await onBoth(async (t) => {
        const createdRes = await call(t, 'POST', 'Patient', { resourceType: 'Patient', name: [{ family: 'A' }] });
        const created = createdRes.body;
        const etag1 = createdRes.headers.get('etag')!;
        const ok = await call(t, 'PUT', `Patient/${created.id}`, { ...created, gender: 'male' }, { 'If-Match': etag1 });
        const stale = await call(t, 'PUT', `Patient/${created.id}`, { ...created, gender: 'female' }, { 'If-Match': etag1 });
        const now = await call(t, 'GET', `Patient/${created.id}`);
        const v1 = await call(t, 'GET', `Patient/${created.id}/_history/${created.meta.versionId}`);
        const newVersion = ok.body.meta.versionId !== created.meta.versionId && ok.headers.get('etag') === `W/"${ok.body.meta.versionId}"`;
        return [ok.status, newVersion, stale.status, stale.body.resourceType, now.body.gender, v1.status, content(v1.body)];
      });
      expect(agree(r, 'update')).to.deep.equal([200, true, 412, 'OperationOutcome', 'male', 200, { resourceType: 'Patient', name: [{ family: 'A' }] }]);
    });

    it('update with an id that does not match the URL: 400', async () => {
      agree(await onBoth(async (t) => {
        const created = (await call(t, 'POST', 'Patient', { resourceType: 'Patient' })).body;
        return (await call(t, 'PUT', `Patient/${created.id}`, { resourceType: 'Patient', id: 'someone-else' })).status;
      }), 'id mismatch');
    });

    // FHIR R4 §3.1.0.2: "A GET for a deleted resource returns a 410 status code" (reference: 404)
    it('delete: 200/204, then read is gone (spec: 410; the reference answers 404)', async () => {
      const r = await onBoth(async (t) => {
        const created = (await call(t, 'POST', 'Patient', { resourceType: 'Patient' })).body;
        await call(t, 'PUT', `Patient/${created.id}`, { ...created, gender: 'other' });
        const del = await call(t, 'DELETE', `Patient/${created.id}`);
        const read = await call(t, 'GET', `Patient/${created.id}`);
        return { del: del.status === 200 || del.status === 204, gone: read.status === 404 || read.status === 410, status: read.status };
      });
      expect(r.reference?.gone ?? true, 'reference: read after delete is 404/410').to.equal(true);
      expect(r.mock).to.deep.equal({ del: true, gone: true, status: 410 });
    });

    it('spec: history of a deleted resource lists delete, update, create newest first (reference: 404, history dropped)', async () => {
      // FHIR R4 §3.1.0.10: history includes deletions (entry.request.method DELETE, no resource)
      const t = mockTarget();
      const created = (await call(t, 'POST', 'Patient', { resourceType: 'Patient' })).body;
      await call(t, 'PUT', `Patient/${created.id}`, { ...created, gender: 'other' });
      await call(t, 'DELETE', `Patient/${created.id}`);
      const hist = (await call(t, 'GET', `Patient/${created.id}/_history`)).body as Bundle;
      expect(hist.entry!.map((e) => e.request!.method)).to.deep.equal(['DELETE', 'PUT', 'POST']);
      expect(hist.entry![0]!.resource).to.equal(undefined);
      expect((hist.entry![1]!.resource as any).gender).to.equal('other');
    });

    it('conditional create: 0 matches → 201, 1 → 200 with the same resource, >1 → 412', async () => {
      const r = await onBoth(async (t) => {
        const body = { resourceType: 'Patient', identifier: ident('k1') };
        const first = await call(t, 'POST', 'Patient', body, { 'If-None-Exist': `identifier=${KEY}|k1` });
        const again = await call(t, 'POST', 'Patient', body, { 'If-None-Exist': `identifier=${KEY}|k1` });
        await call(t, 'POST', 'Patient', { resourceType: 'Patient', identifier: ident('dup') });
        await call(t, 'POST', 'Patient', { resourceType: 'Patient', identifier: ident('dup') });
        const many = await call(t, 'POST', 'Patient', body, { 'If-None-Exist': `identifier=${KEY}|dup` });
        const all = await call(t, 'GET', `Patient?identifier=${KEY}|k1`);
        return [first.status, again.status, again.body.id === first.body.id, many.status, all.body.entry.length];
      });
      expect(agree(r, 'conditional create')).to.deep.equal([201, 200, true, 412, 1]);
    });

    it('JSON Patch: 200, version 2, content patched', async () => {
      const r = await onBoth(async (t) => {
        const created = (await call(t, 'POST', 'Patient', { resourceType: 'Patient', name: [{ family: 'P' }] })).body;
        const res = await call(t, 'PATCH', `Patient/${created.id}`, [{ op: 'add', path: '/birthDate', value: '1980-05-06' }, { op: 'replace', path: '/name/0/family', value: 'Q' }]);
        return [res.status, res.body.meta?.versionId !== created.meta.versionId, content(res.body)];
      });
      expect(agree(r, 'patch')).to.deep.equal([200, true, { resourceType: 'Patient', name: [{ family: 'Q' }], birthDate: '1980-05-06' }]);
    });

    it('conditional update: 0 matches → 201, 1 → 200 on that resource, >1 → 412', async () => {
      const r = await onBoth(async (t) => {
        const body = { resourceType: 'Patient', identifier: ident('cu'), gender: 'male' };
        const made = await call(t, 'PUT', `Patient?identifier=${KEY}|cu`, body);
        const upd = await call(t, 'PUT', `Patient?identifier=${KEY}|cu`, { ...body, gender: 'female' });
        await call(t, 'POST', 'Patient', { resourceType: 'Patient', identifier: ident('cu2') });
        await call(t, 'POST', 'Patient', { resourceType: 'Patient', identifier: ident('cu2') });
        const many = await call(t, 'PUT', `Patient?identifier=${KEY}|cu2`, { resourceType: 'Patient', identifier: ident('cu2') });
        return [made.status, upd.status, upd.body.id === made.body.id, upd.body.gender, many.status];
      });
      expect(agree(r, 'conditional update')).to.deep.equal([201, 200, true, 'female', 412]);
    });

    it('POST _search with a form body answers like GET', async () => {
      const r = await onBoth(async (t) => {
        await call(t, 'POST', 'Patient', { resourceType: 'Patient', identifier: ident('ps'), gender: 'other', birthDate: '1977-07-07' });
        const res = await fetch(`${t.base}/Patient/_search`, {
          method: 'POST', cache: 'no-store', headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ gender: 'other', birthdate: '1977-07-07' }),
        });
        const b = (await res.json()) as Bundle;
        return [res.status, sortedKeys(b)];
      });
      expect(agree(r, 'POST _search')).to.deep.equal([200, ['ps']]);
    });

    it('validation: bad date, missing status, unknown element, object for an array, instant without zone → 400 OperationOutcome', async () => {
      const r = await onBoth(async (t) => {
        const date = await call(t, 'POST', 'Patient', { resourceType: 'Patient', birthDate: '1990-02-30x' });
        const obs = await call(t, 'POST', 'Observation', { resourceType: 'Observation', code: { text: 'x' } });
        const unknown = await call(t, 'POST', 'Patient', { resourceType: 'Patient', birthdate: '1990-01-01' });
        const shape = await call(t, 'POST', 'Patient', { resourceType: 'Patient', name: { family: 'Ng' } });
        const instant = await call(t, 'POST', 'Slot', { resourceType: 'Slot', schedule: { reference: 'Schedule/x' }, status: 'free', start: '2026-01-01T10:00:00', end: '2026-01-01T10:30:00Z' });
        return [date.status, date.body.resourceType, obs.status, obs.body.resourceType, unknown.status, shape.status, instant.status];
      });
      expect(agree(r, 'validation')).to.deep.equal([400, 'OperationOutcome', 400, 'OperationOutcome', 400, 400, 400]);
    });
  });

  describe('search (result sets by id)', () => {
    let made: { mock: { t: Target; ids: Record<string, string> }; reference?: { t: Target; ids: Record<string, string> } };
    before(async () => {
      made = await onBoth(async (t) => ({ t, ids: await seedSearchData(t) }));
    });
    /** The same query on both; `q` may use the server's own ids. */
    const both = async (q: (ids: Record<string, string>) => string, pick: (b: Bundle) => unknown = sortedKeys) => {
      const out: Record<string, unknown> = {};
      for (const [name, { t, ids }] of Object.entries(made)) {
        const res = await call(t, 'GET', q(ids));
        expect(res.status, `${name} ${q(ids)}: ${JSON.stringify(res.body).slice(0, 300)}`).to.equal(200);
        out[name] = pick(res.body);
      }
      return out as { mock: unknown; reference?: unknown };
    };
    const expectBoth = async (q: string | ((ids: Record<string, string>) => string), expected: unknown, pick?: (b: Bundle) => unknown) => {
      const r = await both(typeof q === 'string' ? () => q : q, pick);
      expect(agree(r, String(q)), String(q)).to.deep.equal(expected);
    };

    it('token: code, system|code, :not, boolean', async () => {
      await expectBoth('Patient?gender=female', ['muller', 'smith', 'zoe']);
      await expectBoth(`Patient?identifier=${KEY}|wei`, ['wei']);
      await expectBoth('Observation?code=http://loinc.org|8867-4', ['o1', 'o3', 'o4']);
      await expectBoth('Observation?status:not=final', ['o3']);
      await expectBoth('Patient?active=false', ['smith']);
      await expectBoth('Patient?gender=male,female&active=true', ['mullerson']);
    });

    it('date: day precision, prefixes, ranges on instants', async () => {
      await expectBoth('Patient?birthdate=1991-01-09', ['muller']);
      await expectBoth('Patient?birthdate=ge1992-01-01', ['zoe']);
      await expectBoth('Patient?birthdate=lt1950-01-01', ['smith']);
      await expectBoth('Slot?start=ge2026-12-01T14:00:00Z&start=lt2026-12-01T15:00:00Z', ['s1', 's2', 's4']);
      await expectBoth('Observation?date=gt2026-02-01T00:00:00Z', ['o2', 'o3', 'o4']);
    });

    it('reference: Type/id, bare id, chained schedule.actor, with status', async () => {
      await expectBoth((ids) => `Observation?subject=Patient/${ids.zoe}`, ['o1', 'o2', 'o4']);
      await expectBoth((ids) => `Observation?patient=${ids.zoe}`, ['o1', 'o2', 'o4']);
      await expectBoth((ids) => `Slot?schedule=Schedule/${ids.sc1}&status=free`, ['s1', 's3']);
      await expectBoth((ids) => `Slot?schedule.actor=Practitioner/${ids.pr1}&status=free`, ['s1', 's3']);
      await expectBoth((ids) => `Slot?schedule.actor=Practitioner/${ids.pr1}&start=ge2026-12-01T00:00:00Z&start=lt2026-12-02T00:00:00Z&status=free`, ['s1']);
    });

    it('string: whole values match on both (case-insensitive)', async () => {
      await expectBoth('Patient?family=smith-jones', ['smith']);
      await expectBoth('Patient?name=ZHANG', ['wei']);
      await expectBoth('Patient?given=zoë', ['zoe']);
    });

    it('_sort (multi-key, descending), _count with total and next link, following next', async () => {
      await expectBoth('Patient?_sort=birthdate', ['smith', 'wei', 'muller', 'mullerson', 'zoe'], keys);
      await expectBoth((ids) => `Observation?patient=${ids.zoe}&_sort=-date`, ['o2', 'o4', 'o1'], keys);
      const pages = await onBoth(async (t) => {
        const p1 = (await call(t, 'GET', 'Patient?_sort=birthdate&_count=2')).body as Bundle;
        const next = p1.link?.find((l) => l.relation === 'next')?.url;
        const p2 = next ? ((await call(t, 'GET', next)).body as Bundle) : undefined;
        return { total: p1.total, first: keys(p1), second: p2 && keys(p2) };
      }, () => Object.values(made).map((m) => m.t));
      expect(agree(pages, 'paging')).to.deep.equal({ total: 5, first: ['smith', 'wei'], second: ['muller', 'mullerson'] });
    });

    it('_include and _revinclude', async () => {
      await expectBoth((ids) => `Slot?schedule=Schedule/${ids.sc2}&_include=Slot:schedule`, ['sc2'], (b) => sortedKeys(b, 'include'));
      await expectBoth((ids) => `Patient?_id=${ids.zoe}&_revinclude=Observation:subject`, ['o1', 'o2', 'o4'], (b) => sortedKeys(b, 'include'));
    });

    it('string :exact, token :missing, _lastUpdated', async () => {
      await expectBoth('Patient?family:exact=Müller', ['muller']);
      await expectBoth('Patient?active:missing=true', ['muller', 'wei', 'zoe']);
      await expectBoth('Patient?_lastUpdated=gt2000-01-01T00:00:00Z&gender=male', ['mullerson', 'wei']);
      await expectBoth('Patient?_lastUpdated=lt2000-01-01T00:00:00Z', []);
    });

    it('_id, _summary=count', async () => {
      await expectBoth((ids) => `Patient?_id=${ids.zoe},${ids.wei}`, ['wei', 'zoe']);
      await expectBoth('Patient?gender=female&_summary=count', 3, (b) => b.total);
    });

    // ---- where the reference departs from the spec: the mock follows the spec -------------
    const mockOnly = async (q: string | ((ids: Record<string, string>) => string), headers: Record<string, string> = {}) => {
      const { t, ids } = made.mock;
      return call(t, 'GET', typeof q === 'string' ? q : q(ids), undefined, headers);
    };

    it('spec: string search matches values that START with the text (reference: contains)', async () => {
      // FHIR R4 §3.1.1.5.3: "By default, a field matches a string query if the value of the field equals or starts with the supplied parameter value"
      expect(sortedKeys((await mockOnly('Patient?family=jones')).body)).to.deep.equal([]);
      expect(sortedKeys((await mockOnly('Patient?family=mull')).body)).to.deep.equal(['muller', 'mullerson']);
      expect(sortedKeys((await mockOnly('Patient?family:contains=jones')).body)).to.deep.equal(['smith']);
    });

    it('spec: :exact matches the whole value including case and accents (reference: case-insensitive)', async () => {
      // FHIR R4 §3.1.1.5.3: ":exact ... the search parameter must match the entire string, including casing and combining characters"
      expect(sortedKeys((await mockOnly('Patient?family:exact=müller')).body)).to.deep.equal([]);
      expect(sortedKeys((await mockOnly('Patient?family:exact=Muller')).body)).to.deep.equal([]);
      expect(sortedKeys((await mockOnly('Patient?family:exact=Müller')).body)).to.deep.equal(['muller']);
    });

    it('spec: string search is accent-insensitive ("muller" finds Müller)', async () => {
      // §3.1.1.5.3: "...the search is performed as case-insensitive and accent-insensitive"
      expect(sortedKeys((await mockOnly('Patient?family=muller')).body)).to.deep.equal(['muller', 'mullerson']);
    });

    it('spec: _sort with several keys sorts by the first, then the next (reference: only one key applies)', async () => {
      // FHIR R4 §3.1.1.4.3: "_sort=status,-date ... sorted by status, then by date descending"
      expect(keys((await mockOnly('Patient?_sort=gender,-birthdate')).body)).to.deep.equal(['zoe', 'muller', 'smith', 'mullerson', 'wei']);
    });

    it('spec: quantity search with prefixes and units (reference: matches nothing)', async () => {
      expect(sortedKeys((await mockOnly('Observation?value-quantity=gt70||/min')).body)).to.deep.equal(['o4', 'o1'].sort());
      expect(sortedKeys((await mockOnly('Observation?value-quantity=61.5|http://unitsofmeasure.org|kg')).body)).to.deep.equal(['o2']);
    });

    it('spec: Prefer: handling=strict → an unknown parameter is an error (reference: ignored)', async () => {
      // §3.1.1.4: "handling=strict ... the server SHALL return an error for any unknown or unsupported parameter"
      const strict = await mockOnly('Patient?nickname=bob', { Prefer: 'handling=strict' });
      expect(strict.status).to.equal(400);
      expect(strict.body.resourceType).to.equal('OperationOutcome');
      const lenient = await mockOnly('Patient?nickname=bob&gender=male', { Prefer: 'handling=lenient' });
      expect(sortedKeys(lenient.body)).to.deep.equal(['mullerson', 'wei']);
    });
  });

  describe('transaction and batch', () => {
    const booking = (slot: any, ifMatch: string, patient: string, practitioner: string): Bundle => ({
      resourceType: 'Bundle', type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:0d7c2a6e-5d7e-4f5c-9a51-000000000001',
          resource: {
            resourceType: 'Appointment', status: 'booked', start: slot.start, end: slot.end, slot: [{ reference: `Slot/${slot.id}` }],
            participant: [{ actor: { reference: `Patient/${patient}` }, status: 'accepted' }, { actor: { reference: `Practitioner/${practitioner}` }, status: 'accepted' }],
          } as any,
          request: { method: 'POST', url: 'Appointment' },
        },
        { resource: { ...slot, status: 'busy' }, request: { method: 'PUT', url: `Slot/${slot.id}`, ifMatch } },
      ],
    });
    const setupBooking = async (t: Target) => {
      const patient = (await call(t, 'POST', 'Patient', { resourceType: 'Patient' })).body.id;
      const practitioner = (await call(t, 'POST', 'Practitioner', { resourceType: 'Practitioner' })).body.id;
      const sched = (await call(t, 'POST', 'Schedule', { resourceType: 'Schedule', actor: [{ reference: `Practitioner/${practitioner}` }] })).body.id;
      const slot = (await call(t, 'POST', 'Slot', { resourceType: 'Slot', schedule: { reference: `Schedule/${sched}` }, status: 'free', start: '2026-12-01T14:00:00Z', end: '2026-12-01T14:30:00Z' })).body;
      return { patient, practitioner, slot };
    };

    it('booking: Appointment 201 + Slot 200 new version, Slot busy, Appointment.slot points at it', async () => {
      const r = await onBoth(async (t) => {
        const { patient, practitioner, slot } = await setupBooking(t);
        const res = await call(t, 'POST', '', booking(slot, `W/"${slot.meta.versionId}"`, patient, practitioner));
        const slotNow = (await call(t, 'GET', `Slot/${slot.id}`)).body;
        const appts = (await call(t, 'GET', `Appointment?slot=Slot/${slot.id}`)).body as Bundle;
        return {
          status: res.status,
          type: res.body.type,
          entries: res.body.entry.map((e: BundleEntry) => e.response!.status.slice(0, 3)),
          slotStatus: slotNow.status,
          slotVersionChanged: slotNow.meta.versionId !== slot.meta.versionId,
          appointments: appts.entry?.length ?? 0,
        };
      });
      expect(agree(r, 'booking')).to.deep.equal({ status: 200, type: 'transaction-response', entries: ['201', '200'], slotStatus: 'busy', slotVersionChanged: true, appointments: 1 });
    });

    it('a second booking of the same slot (stale ifMatch) fails with 412 and creates no Appointment (reference with rollback)', async () => {
      const r = await onBoth(async (t) => {
        const { patient, practitioner, slot } = await setupBooking(t);
        const ifMatch = `W/"${slot.meta.versionId}"`;
        await call(t, 'POST', '', booking(slot, ifMatch, patient, practitioner));
        const second = await call(t, 'POST', '', booking(slot, ifMatch, patient, practitioner));
        const appts = (await call(t, 'GET', `Appointment?slot=Slot/${slot.id}`)).body as Bundle;
        return { status: second.status, outcome: second.body.resourceType, appointments: appts.entry?.length ?? 0 };
      });
      expect(agree(r, 'double booking')).to.deep.equal({ status: 412, outcome: 'OperationOutcome', appointments: 1 });
    });

    it('spec: a failed transaction leaves nothing behind (the raw reference keeps earlier entries)', async () => {
      // FHIR R4 §3.1.0.11.2: "...either all the actions succeed or all fail"
      const failing = (): Bundle => ({
        resourceType: 'Bundle', type: 'transaction',
        entry: [
          { resource: { resourceType: 'Patient', identifier: ident('rolled-back') }, request: { method: 'POST', url: 'Patient' } },
          { resource: { resourceType: 'Observation', code: { text: 'no status' } } as any, request: { method: 'POST', url: 'Observation' } },
        ],
      });
      const run = async (t: Target) => {
        const res = await call(t, 'POST', '', failing());
        const left = (await call(t, 'GET', `Patient?identifier=${KEY}|rolled-back`)).body as Bundle;
        return { status: res.status, left: left.entry?.length ?? 0 };
      };
      const mock = await run(mockTarget());
      expect(mock).to.deep.equal({ status: 400, left: 0 });
      if (hasReference) {
        // the reference with its rollback wrapper agrees with the spec…
        expect(await run(referenceTarget(true))).to.deep.equal(mock);
        // …raw MemoryRepository does not roll back: documented, not asserted as correct
        const raw = await run(referenceTarget(false));
        console.info(`reference /norollback/: failed transaction status ${raw.status}, left ${raw.left} resource(s) behind`);
      }
    });

    it('urn:uuid references are rewritten to the created resources', async () => {
      const r = await onBoth(async (t) => {
        const res = await call(t, 'POST', '', {
          resourceType: 'Bundle', type: 'transaction',
          entry: [
            { fullUrl: 'urn:uuid:5b0a3d7e-1111-4111-8111-000000000001', resource: { resourceType: 'Patient', identifier: ident('tx-p') }, request: { method: 'POST', url: 'Patient' } },
            {
              resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: 'urn:uuid:5b0a3d7e-1111-4111-8111-000000000001' } },
              request: { method: 'POST', url: 'Observation' },
            },
          ],
        });
        const patient = (await call(t, 'GET', `Patient?identifier=${KEY}|tx-p`)).body.entry[0].resource;
        const obs = (await call(t, 'GET', `Observation?subject=Patient/${patient.id}`)).body as Bundle;
        return { status: res.status, linked: obs.entry?.length ?? 0 };
      });
      expect(agree(r, 'urn:uuid')).to.deep.equal({ status: 200, linked: 1 });
    });

    it('transaction entries honour ifNoneExist (a retried create does not duplicate)', async () => {
      const r = await onBoth(async (t) => {
        const tx = () => ({
          resourceType: 'Bundle', type: 'transaction',
          entry: [{ resource: { resourceType: 'Patient', identifier: ident('once') }, request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${KEY}|once` } }],
        });
        const a = await call(t, 'POST', '', tx());
        const b = await call(t, 'POST', '', tx());
        const all = (await call(t, 'GET', `Patient?identifier=${KEY}|once`)).body as Bundle;
        return [a.status, b.status, all.entry?.length ?? 0];
      });
      expect(agree(r, 'ifNoneExist')).to.deep.equal([200, 200, 1]);
    });

    it('batch: entries succeed or fail independently', async () => {
      const r = await onBoth(async (t) => {
        const res = await call(t, 'POST', '', {
          resourceType: 'Bundle', type: 'batch',
          entry: [
            { resource: { resourceType: 'Patient' }, request: { method: 'POST', url: 'Patient' } },
            { request: { method: 'GET', url: 'Patient/not-there' } },
          ],
        });
        return [res.status, res.body.type, res.body.entry.map((e: BundleEntry) => e.response!.status.slice(0, 3))];
      });
      expect(agree(r, 'batch')).to.deep.equal([200, 'batch-response', ['201', '404']]);
    });
  });
});
