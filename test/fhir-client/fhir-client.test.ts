// Unit tests of @ehr-kit/fhir-client against MSW handlers in the page: what goes on the wire
// (URLs, headers, bodies) and how every kind of failure surfaces.
import { expect } from '@open-wc/testing';
import { http, HttpResponse, delay } from 'msw';
import { setupWorker } from 'msw/browser';
import type { Bundle, Observation, OperationOutcome, Patient } from '@medplum/fhirtypes';
import {
  FhirClient,
  FhirError,
  isFhirError,
  newUrnUuid,
  etag,
  presets,
  txCreate,
  txUpdate,
  txDelete,
  referenceTo,
  transactionBundle,
} from '@ehr-kit/fhir-client';
import type { FhirClientOptions } from '@ehr-kit/fhir-client';
import { failure } from '../support/failure.js';

const BASE = 'https://fhir.client.test/r4/';

interface Seen {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}
type Responder = (req: Request, seen: Seen) => Response | Promise<Response>;

let respond: Responder = () => HttpResponse.json({}, { status: 500 });
let seen: Seen[] = [];

const worker = setupWorker(
  http.all(`${BASE}*`, async ({ request }) => {
    const s: Seen = { method: request.method, url: new URL(request.url), headers: request.headers, body: await request.clone().text() };
    seen.push(s);
    return respond(request, s);
  }),
);

const patient = (id = '123', versionId = '3'): Patient => ({
  resourceType: 'Patient',
  id,
  meta: { versionId },
  name: [{ family: 'Ng', given: ['Ana'] }],
});
const outcome = (diagnostics: string, code = 'invalid'): OperationOutcome => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: code as 'invalid', diagnostics }],
});
const fhirJson = (body: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(body), { ...init, headers: { 'Content-Type': 'application/fhir+json', ...init.headers } });

const client = (o: Partial<FhirClientOptions> = {}) =>
  new FhirClient({ baseUrl: BASE, retry: { baseDelayMs: 5, maxDelayMs: 3_000 }, ...o });

before(async () => {
  await worker.start({ quiet: true, onUnhandledFrame: 'bypass' });
});
after(() => worker.stop());
beforeEach(() => {
  seen = [];
  respond = () => fhirJson(patient());
});

describe('FhirClient: requests on the wire', () => {
  it('normalizes the base URL and reads Type/id with FHIR JSON accept', async () => {
    const c = new FhirClient({ baseUrl: BASE.slice(0, -1) });
    expect(c.baseUrl).to.equal(BASE);
    const p = await c.read('Patient', '123');
    expect(p.id).to.equal('123');
    expect(seen[0].method).to.equal('GET');
    expect(seen[0].url.href).to.equal(`${BASE}Patient/123`);
    expect(seen[0].headers.get('accept')).to.equal('application/fhir+json');
  });

  it('vreads, reads history and capabilities at the spec paths', async () => {
    const c = client();
    await c.vread('Patient', '123', '2');
    await c.history('Patient', '123');
    await c.history('Patient');
    await c.capabilities();
    expect(seen.map((s) => s.url.pathname)).to.deep.equal([
      '/r4/Patient/123/_history/2',
      '/r4/Patient/123/_history',
      '/r4/Patient/_history',
      '/r4/metadata',
    ]);
  });

  it('encodes record params: repeated values, modifiers, prefixes, _include, _count, _sort; skips undefined', async () => {
    respond = () => fhirJson({ resourceType: 'Bundle', type: 'searchset' });
    await client().search('Patient', {
      family: 'Ng',
      birthdate: ['ge2000-01-01', 'lt2001-01-01'],
      'name:exact': 'Ana María',
      identifier: 'http://hospital.example/mrn|12345',
      _include: 'Patient:general-practitioner',
      _count: 50,
      _sort: '-birthdate',
      active: true,
      gender: undefined,
    });
    const u = seen[0].url;
    expect(u.pathname).to.equal('/r4/Patient');
    expect(u.searchParams.get('family')).to.equal('Ng');
    expect(u.searchParams.getAll('birthdate')).to.deep.equal(['ge2000-01-01', 'lt2001-01-01']);
    expect(u.searchParams.get('name:exact')).to.equal('Ana María');
    expect(u.searchParams.get('identifier')).to.equal('http://hospital.example/mrn|12345');
    expect(u.searchParams.get('_include')).to.equal('Patient:general-practitioner');
    expect(u.searchParams.get('_count')).to.equal('50');
    expect(u.searchParams.get('_sort')).to.equal('-birthdate');
    expect(u.searchParams.get('active')).to.equal('true');
    expect(u.searchParams.has('gender')).to.equal(false);
    // modifiers and the token system stay readable in the raw query
    expect(u.search).to.contain('name:exact=Ana%20Mar%C3%ADa');
    expect(u.search).to.contain('_include=Patient:general-practitioner');
  });

  it('accepts URLSearchParams and [name, value] tuples, keeping order and repeats', async () => {
    respond = () => fhirJson({ resourceType: 'Bundle', type: 'searchset' });
    await client().search('Observation', new URLSearchParams([['code', 'a'], ['code', 'b'], ['date', 'gt2020']]));
    await client().search('Observation', [['code', 'x,y'], ['_include', 'Observation:subject'], ['_include', 'Observation:performer']]);
    expect([...seen[0].url.searchParams]).to.deep.equal([['code', 'a'], ['code', 'b'], ['date', 'gt2020']]);
    expect([...seen[1].url.searchParams]).to.deep.equal([
      ['code', 'x,y'],
      ['_include', 'Observation:subject'],
      ['_include', 'Observation:performer'],
    ]);
  });

  it("POST _search sends params form-encoded in the body, none in the URL", async () => {
    respond = () => fhirJson({ resourceType: 'Bundle', type: 'searchset' });
    await client().search('Patient', { family: 'Ng', birthdate: '1990-01-01' }, { method: 'POST' });
    const s = seen[0];
    expect(s.method).to.equal('POST');
    expect(s.url.href).to.equal(`${BASE}Patient/_search`);
    expect(s.headers.get('content-type')).to.equal('application/x-www-form-urlencoded');
    expect([...new URLSearchParams(s.body)]).to.deep.equal([['family', 'Ng'], ['birthdate', '1990-01-01']]);
  });

  it('create POSTs with Prefer: return=representation, and If-None-Exist for ifNoneExist', async () => {
    const c = client();
    await c.create({ resourceType: 'Patient', name: [{ family: 'Ng' }] });
    await c.create({ resourceType: 'Patient' }, { ifNoneExist: 'identifier=urn:ehr-kit|abc' });
    expect(seen[0].method).to.equal('POST');
    expect(seen[0].url.href).to.equal(`${BASE}Patient`);
    expect(seen[0].headers.get('prefer')).to.equal('return=representation');
    expect(seen[0].headers.get('content-type')).to.equal('application/fhir+json');
    expect(JSON.parse(seen[0].body)).to.deep.equal({ resourceType: 'Patient', name: [{ family: 'Ng' }] });
    expect(seen[0].headers.has('if-none-exist')).to.equal(false);
    expect(seen[1].headers.get('if-none-exist')).to.equal('identifier=urn:ehr-kit|abc');
  });

  it('create with an empty 201 reads the resource from Location', async () => {
    respond = (req) =>
      req.method === 'POST'
        ? new Response(null, { status: 201, headers: { Location: `${BASE}Patient/9/_history/1` } })
        : fhirJson(patient('9', '1'));
    const p = await client().create<Patient>({ resourceType: 'Patient' });
    expect(p.id).to.equal('9');
    expect(seen.map((s) => `${s.method} ${s.url.pathname}`)).to.deep.equal(['POST /r4/Patient', 'GET /r4/Patient/9/_history/1']);
  });

  it('update with an empty 200 reads the resource back; update without an id is refused before any request', async () => {
    respond = (req) => (req.method === 'PUT' ? new Response(null, { status: 200 }) : fhirJson(patient('123', '4')));
    const p = await client().update(patient('123', '3'));
    expect(p.meta?.versionId).to.equal('4');
    expect(seen.map((s) => `${s.method} ${s.url.pathname} ${s.headers.get('if-match')}`)).to.deep.equal([
      'PUT /r4/Patient/123 W/"3"',
      'GET /r4/Patient/123 null',
    ]);
    seen = [];
    let thrown: unknown;
    try {
      await client().update({ resourceType: 'Patient' });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).to.be.instanceOf(TypeError);
    expect(seen).to.have.length(0);
  });

  it('update sends If-Match W/"versionId" by default, a given etag, or none with ifMatch: false', async () => {
    const c = client();
    await c.update(patient('123', '3'));
    await c.update(patient('123', '3'), { ifMatch: 'W/"7"' });
    await c.update(patient('123', '3'), { ifMatch: false });
    await c.update({ resourceType: 'Patient', id: '123' });
    expect(seen[0].method).to.equal('PUT');
    expect(seen[0].url.href).to.equal(`${BASE}Patient/123`);
    expect(seen.map((s) => s.headers.get('if-match'))).to.deep.equal(['W/"3"', 'W/"7"', null, null]);
  });

  it('patch sends a JSON Patch document', async () => {
    await client().patch('Patient', '123', [{ op: 'replace', path: '/active', value: false }], { ifMatch: etag('3') });
    expect(seen[0].method).to.equal('PATCH');
    expect(seen[0].headers.get('content-type')).to.equal('application/json-patch+json');
    expect(seen[0].headers.get('if-match')).to.equal('W/"3"');
    expect(JSON.parse(seen[0].body)).to.deep.equal([{ op: 'replace', path: '/active', value: false }]);
  });

  it('delete sends DELETE and resolves on 204', async () => {
    respond = () => new Response(null, { status: 204 });
    await client().delete('Patient', '123');
    expect(seen[0].method).to.equal('DELETE');
    expect(seen[0].url.href).to.equal(`${BASE}Patient/123`);
  });

  it('batch and transaction POST the bundle to the base with the right type', async () => {
    respond = () => fhirJson({ resourceType: 'Bundle', type: 'transaction-response', entry: [] });
    const c = client();
    await c.transaction({ resourceType: 'Bundle', type: 'batch', entry: [] });
    await c.batch({ resourceType: 'Bundle', type: 'transaction', entry: [] });
    expect(seen[0].url.href).to.equal(BASE);
    expect(JSON.parse(seen[0].body).type).to.equal('transaction');
    expect(JSON.parse(seen[1].body).type).to.equal('batch');
  });

  it('sends the token, configured headers, per-call headers and credentials', async () => {
    const c = new FhirClient({
      ...presets.oystehr({ projectId: 'proj-1', baseUrl: BASE }),
      tokenSource: async () => 'tok-1',
    });
    await c.read('Patient', '1', { headers: { 'x-request-id': 'r-1' } });
    expect(seen[0].headers.get('authorization')).to.equal('Bearer tok-1');
    expect(seen[0].headers.get('x-oystehr-project-id')).to.equal('proj-1');
    expect(seen[0].headers.get('x-request-id')).to.equal('r-1');
  });

  it('looks fetch up at call time, and uses an injected fetch', async () => {
    const calls: string[] = [];
    const fake: typeof fetch = async (input) => {
      calls.push(String(input));
      return fhirJson(patient('5'));
    };
    const c = client({ fetch: fake });
    expect((await c.read('Patient', '5')).id).to.equal('5');
    expect(calls).to.deep.equal([`${BASE}Patient/5`]);
    expect(seen).to.have.length(0);
  });
});

describe('FhirClient: auth', () => {
  it('after a 401 asks the token source again with forceRefresh and retries once', async () => {
    const asked: unknown[] = [];
    respond = (req) =>
      req.headers.get('authorization') === 'Bearer fresh' ? fhirJson(patient()) : fhirJson(outcome('expired', 'login'), { status: 401 });
    const c = client({
      tokenSource: async (o) => {
        asked.push(o?.forceRefresh ?? false);
        return o?.forceRefresh ? 'fresh' : 'stale';
      },
    });
    const p = await c.read('Patient', '123');
    expect(p.id).to.equal('123');
    expect(asked).to.deep.equal([false, true]);
    expect(seen.map((s) => s.headers.get('authorization'))).to.deep.equal(['Bearer stale', 'Bearer fresh']);
  });

  it('a second 401 is an http error, and the token source is asked only twice (also for a plain POST)', async () => {
    let asked = 0;
    respond = () => fhirJson(outcome('Token rejected', 'login'), { status: 401 });
    const c = client({ tokenSource: async () => (asked++, 'nope') });
    const e = await failure(c.create({ resourceType: 'Patient' }));
    expect(e.kind).to.equal('http');
    expect(e.status).to.equal(401);
    expect(e.message).to.equal('Token rejected');
    expect(asked).to.equal(2);
    expect(seen).to.have.length(2);
  });
});

describe('FhirClient: errors', () => {
  for (const [status, diagnostics, op] of [
    [400, 'Invalid date format', 'read'],
    [404, 'Patient/123 not found', 'read'],
    [412, 'Version mismatch', 'update'],
    [422, 'Patient.name: minimum required = 1', 'update'],
    [500, 'Database unavailable', 'read'],
  ] as const) {
    it(`${status} with an OperationOutcome → FhirError kind http with status, outcome, issues, message and operation`, async () => {
      respond = () => fhirJson(outcome(diagnostics), { status });
      const c = client({ retry: { attempts: 1 } });
      const e = await failure(op === 'read' ? c.read('Patient', '123') : c.update(patient('123', '3')));
      expect(e).to.be.instanceOf(FhirError);
      expect(e.kind).to.equal('http');
      expect(e.status).to.equal(status);
      expect(e.outcome?.resourceType).to.equal('OperationOutcome');
      expect(e.issues).to.have.length(1);
      expect(e.issues[0].diagnostics).to.equal(diagnostics);
      expect(e.message).to.equal(diagnostics);
      expect(e.operation).to.equal(`${op} Patient/123`);
    });
  }

  it('uses details.text when there are no diagnostics, and a status phrase when the body is not an OperationOutcome', async () => {
    respond = () => fhirJson({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'conflict', details: { text: 'Duplicate' } }] }, { status: 409 });
    expect((await failure(client().create({ resourceType: 'Patient' }))).message).to.equal('Duplicate');
    respond = () => new Response('<html>Bad Gateway</html>', { status: 404, headers: { 'Content-Type': 'text/html' } });
    const e = await failure(client().read('Patient', 'x'));
    expect(e.outcome).to.equal(undefined);
    expect(e.issues).to.deep.equal([]);
    expect(e.message).to.equal('Not found');
    expect(e.operation).to.equal('read Patient/x');
  });

  it('a failed connection is kind network', async () => {
    respond = () => HttpResponse.error();
    const e = await failure(client({ retry: { attempts: 1 } }).read('Patient', '1'));
    expect(e.kind).to.equal('network');
    expect(e.status).to.equal(undefined);
  });

  it('no answer within timeoutMs is kind timeout', async () => {
    respond = async () => {
      await delay(5_000);
      return fhirJson(patient());
    };
    const t0 = performance.now();
    const e = await failure(client({ timeoutMs: 150 }).read('Patient', '1'));
    expect(e.kind).to.equal('timeout');
    expect(performance.now() - t0).to.be.lessThan(2_000);
    expect(seen).to.have.length(1); // timeouts are not retried
  });

  it("the caller's AbortSignal makes it kind aborted, during the request and before it", async () => {
    respond = async () => {
      await delay(5_000);
      return fhirJson(patient());
    };
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const e = await failure(client().read('Patient', '1', { signal: ac.signal }));
    expect(e.kind).to.equal('aborted');
    const pre = new AbortController();
    pre.abort();
    expect((await failure(client().read('Patient', '1', { signal: pre.signal }))).kind).to.equal('aborted');
  });

  it('aborting while waiting to retry stops the retries', async () => {
    respond = () => fhirJson(outcome('busy'), { status: 503, headers: { 'Retry-After': '2' } });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const e = await failure(client({ retry: { maxDelayMs: 5_000 } }).read('Patient', '1', { signal: ac.signal }));
    expect(e.kind).to.equal('aborted');
    expect(seen).to.have.length(1);
  });
});

describe('FhirClient: retries', () => {
  it('retries a GET on 503 honouring Retry-After in seconds', async () => {
    respond = () => (seen.length === 1 ? fhirJson(outcome('busy'), { status: 503, headers: { 'Retry-After': '1' } }) : fhirJson(patient()));
    const t0 = performance.now();
    const p = await client().read('Patient', '123');
    expect(p.id).to.equal('123');
    expect(seen).to.have.length(2);
    expect(performance.now() - t0).to.be.greaterThan(900);
  });

  it('honours Retry-After as an HTTP date, and retries 429/502/504/408', async () => {
    let statuses = [429, 502, 504, 408];
    respond = () => {
      const s = statuses.shift();
      return s ? fhirJson(outcome('later'), { status: s, headers: { 'Retry-After': new Date(Date.now()).toUTCString() } }) : fhirJson(patient());
    };
    await client({ retry: { attempts: 5, baseDelayMs: 5 } }).read('Patient', '123');
    expect(seen).to.have.length(5);
    statuses = [];
  });

  it('retries a GET after a network error, and gives up after `attempts`', async () => {
    respond = () => (seen.length === 1 ? HttpResponse.error() : fhirJson(patient()));
    expect((await client().read('Patient', '123')).id).to.equal('123');
    expect(seen).to.have.length(2);
    seen = [];
    respond = () => HttpResponse.error();
    const e = await failure(client({ retry: { attempts: 3, baseDelayMs: 1 } }).read('Patient', '1'));
    expect(e.kind).to.equal('network');
    expect(seen).to.have.length(3);
  });

  it('retries POST _search and a create with ifNoneExist', async () => {
    respond = (_r, s) => (seen.filter((x) => x.url.pathname === s.url.pathname).length === 1 ? fhirJson(outcome('busy'), { status: 503 }) : fhirJson({ resourceType: 'Bundle', type: 'searchset' }));
    await client().search('Patient', { family: 'Ng' }, { method: 'POST' });
    expect(seen).to.have.length(2);
    seen = [];
    respond = () => (seen.length === 1 ? HttpResponse.error() : fhirJson(patient(), { status: 201 }));
    await client().create({ resourceType: 'Patient' }, { ifNoneExist: 'identifier=k|1' });
    expect(seen).to.have.length(2);
  });

  for (const [name, call] of [
    ['plain create (POST)', (c: FhirClient) => c.create({ resourceType: 'Patient' })],
    ['update (PUT)', (c: FhirClient) => c.update(patient())],
    ['patch', (c: FhirClient) => c.patch('Patient', '1', [{ op: 'remove', path: '/active' }])],
    ['delete', (c: FhirClient) => c.delete('Patient', '1')],
    ['transaction', (c: FhirClient) => c.transaction(transactionBundle([]))],
    ['batch', (c: FhirClient) => c.batch({ resourceType: 'Bundle', type: 'batch', entry: [] })],
  ] as const) {
    it(`never retries a ${name}, on 503 or on a network error`, async () => {
      respond = () => fhirJson(outcome('busy'), { status: 503, headers: { 'Retry-After': '0' } });
      const e = await failure(call(client()));
      expect(e.status).to.equal(503);
      expect(seen).to.have.length(1);
      seen = [];
      respond = () => HttpResponse.error();
      expect((await failure(call(client()))).kind).to.equal('network');
      expect(seen).to.have.length(1);
    });
  }

  it('does not retry 400/404/409/412/500', async () => {
    for (const status of [400, 404, 409, 412, 500]) {
      seen = [];
      respond = () => fhirJson(outcome('no'), { status });
      await failure(client().read('Patient', '1'));
      expect(seen, `status ${status}`).to.have.length(1);
    }
  });

  it('does not wait out a Retry-After longer than maxDelayMs: throws with retryAfterMs', async () => {
    respond = () => fhirJson(outcome('maintenance'), { status: 503, headers: { 'Retry-After': '120' } });
    const e = await failure(client({ retry: { maxDelayMs: 1_000 } }).read('Patient', '1'));
    expect(e.status).to.equal(503);
    expect(e.retryAfterMs).to.equal(120_000);
    expect(seen).to.have.length(1);
  });
});

describe('FhirClient: paging and search results', () => {
  const page = (n: number, next?: number): Bundle => ({
    resourceType: 'Bundle',
    type: 'searchset',
    total: 5,
    link: [{ relation: 'self', url: `${BASE}Patient?page=${n}` }, ...(next ? [{ relation: 'next', url: `${BASE}Patient?family=Ng&page=${next}` }] : [])],
    entry: [
      { search: { mode: 'match' }, resource: patient(`p${n}`) },
      { search: { mode: 'include' }, resource: { resourceType: 'Practitioner', id: `dr${n}` } },
    ],
  });

  it('searchPages follows link[next] until there is none', async () => {
    respond = (req) => {
      const n = Number(new URL(req.url).searchParams.get('page') ?? 1);
      return fhirJson(page(n, n < 3 ? n + 1 : undefined));
    };
    const ids: string[] = [];
    for await (const b of client().searchPages('Patient', { family: 'Ng' })) ids.push(b.entry![0].resource!.id!);
    expect(ids).to.deep.equal(['p1', 'p2', 'p3']);
    expect(seen.map((s) => s.url.search)).to.deep.equal(['?family=Ng', '?family=Ng&page=2', '?family=Ng&page=3']);
  });

  it('follows a next link to another origin without sending the token there', async () => {
    const OTHER = 'https://other.client.test/fhir/';
    const elsewhere: (string | null)[] = [];
    worker.use(
      http.all(`${OTHER}*`, ({ request }) => {
        elsewhere.push(request.headers.get('authorization'));
        return fhirJson({ resourceType: 'Bundle', type: 'searchset', entry: [] });
      }),
    );
    respond = () => fhirJson({ ...page(1), link: [{ relation: 'next', url: `${OTHER}Patient?page=2` }] });
    const c = client({ tokenSource: async () => 'secret' });
    let pages = 0;
    for await (const _ of c.searchPages('Patient')) pages++;
    expect(pages).to.equal(2);
    expect(seen[0].headers.get('authorization')).to.equal('Bearer secret');
    expect(elsewhere).to.deep.equal([null]);
    worker.resetHandlers();
  });

  it('searchResources returns the match entries only', async () => {
    respond = () => fhirJson(page(1));
    const found = await client().searchResources('Patient', { _include: 'Patient:general-practitioner' });
    expect(found.map((r) => `${r.resourceType}/${r.id}`)).to.deep.equal(['Patient/p1']);
  });
});

describe('bundle helpers and presets', () => {
  it('isFhirError recognises a FhirError from another copy of the package, and nothing else', () => {
    const foreign = Object.assign(new Error('x'), { name: 'FhirError', kind: 'network', issues: [], operation: 'read Patient/1' });
    expect(isFhirError(foreign)).to.equal(true);
    expect(isFhirError(new FhirError('timeout', 'read Patient/1'))).to.equal(true);
    expect(isFhirError(new TypeError('Failed to fetch'))).to.equal(false);
    expect(isFhirError({ name: 'FhirError', kind: 'http' })).to.equal(false);
  });

  it('newUrnUuid makes distinct urn:uuid v4 values', () => {
    const a = newUrnUuid();
    expect(a).to.match(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newUrnUuid()).to.not.equal(a);
  });

  it('tx helpers build entries with urn:uuid fullUrls, If-Match and references', () => {
    const p = txCreate<Patient>({ resourceType: 'Patient' }, { ifNoneExist: 'identifier=a|b' });
    const o = txCreate<Observation>({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: referenceTo(p) });
    const u = txUpdate(patient('7', '4'));
    const d = txDelete('Slot', '9');
    const b = transactionBundle([p, o, u, d]);
    expect(b.type).to.equal('transaction');
    expect(p.fullUrl).to.match(/^urn:uuid:/);
    expect(p.request).to.deep.include({ method: 'POST', url: 'Patient', ifNoneExist: 'identifier=a|b' });
    expect(o.resource!.subject!.reference).to.equal(p.fullUrl);
    expect(u.request).to.deep.include({ method: 'PUT', url: 'Patient/7', ifMatch: 'W/"4"' });
    expect(txUpdate(patient('7', '4'), { ifMatch: false }).request!.ifMatch).to.equal(undefined);
    expect(d.request).to.deep.equal({ method: 'DELETE', url: 'Slot/9' });
  });

  it('presets give the vendor base URL and headers', () => {
    expect(presets.medplum({ baseUrl: 'https://mp.example.org/' }).baseUrl).to.equal('https://mp.example.org/fhir/R4/');
    expect(new FhirClient(presets.medplum()).baseUrl).to.equal('https://api.medplum.com/fhir/R4/');
    expect(presets.oystehr({ projectId: 'p' }).headers).to.deep.equal({ 'x-oystehr-project-id': 'p' });
  });
});

describe('FhirClient: params round-trip (property)', () => {
  it('any names and values arrive intact, in order, by GET and by POST _search', async () => {
    const fc = await import('fast-check');
    const got: { url: string; body: string }[] = [];
    const c = client({
      fetch: async (input, init) => {
        got.push({ url: String(input), body: String(init?.body ?? '') });
        return fhirJson({ resourceType: 'Bundle', type: 'searchset' });
      },
    });
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_:.-]{0,12}$/);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(name, fc.string({ unit: 'grapheme', maxLength: 20 })), { maxLength: 6 }), async (pairs) => {
        got.length = 0;
        await c.search('Patient', pairs);
        await c.search('Patient', pairs, { method: 'POST' });
        expect([...new URL(got[0].url).searchParams]).to.deep.equal(pairs);
        expect([...new URLSearchParams(got[1].body)]).to.deep.equal(pairs);
      }),
      { numRuns: 200 },
    );
  });
});
