// The server: one function from a standard Request to a Response. Routing, every FHIR REST
// interaction, batch and atomic transaction, conditional operations, capability statement and
// SMART configuration. No MSW and no Node APIs here (see ./browser.ts and ./node/).
import type { Bundle, BundleEntry, CapabilityStatement } from '@medplum/fhirtypes';
import { Faults } from './faults.ts';
import { DEFAULT_COUNT, findAll, includes, indexKeys, parseSearch, refString, type ParsedSearch } from './search.ts';
import { COMMON_PARAMS, SEARCH_PARAMS } from './search-params.ts';
import { Store } from './store.ts';
import { RESOURCE_TYPES, validateResource } from './validate.ts';
import {
  FhirHttpError, PRIMITIVE, badRequest, copyFrozen, copyJson, deepClone, fail, httpDate, notFound, outcome, rngFrom, sleep, uuid, type Res,
} from './util.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type A = any;

export interface SeedContext {
  /** The clock the seed is relative to. */
  now: Date;
  /** Deterministic random numbers from the seed name. */
  rng: () => number;
  /** The seed name (e.g. 'demo'). */
  seed: string;
}
/** Returns the resources to load (with ids; meta is set by the server). */
export type SeedFn = (ctx: SeedContext) => Res[];

export interface SmartOptions {
  issuer?: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  [key: string]: unknown;
}

export interface MockFhirOptions {
  /** Where the server lives. Absolute ('http://localhost:8080/fhir') or a path ('/fhir'); default '/fhir'. */
  baseUrl?: string;
  /** Seed data: a function, or a name resolved by `seeds` (createMockFhir from the package root knows 'demo', 'empty', 'large'). */
  seed?: string | SeedFn;
  /** The clock seed data is relative to (default: now). */
  now?: Date | string | number;
  /** `.well-known/smart-configuration` endpoints; default points at a fake authorization server on the same origin. */
  smart?: SmartOptions;
  /** Named seeds (filled in by the package entry). */
  seeds?: Record<string, SeedFn>;
}

/** A request to {@link MockFhir.handleJson}: what a server has once HTTP is parsed. */
export interface JsonRequest {
  method: string;
  /** Path under the base URL ('Patient/1', 'Patient', '' for batch/transaction); may carry '?query'. */
  path: string;
  /** Search/conditional parameters (merged after any '?query' in `path`). */
  query?: URLSearchParams | string | Record<string, string | string[]>;
  /** Request headers (any case): if-match, if-none-exist, if-none-match, prefer … */
  headers?: Record<string, string | undefined>;
  /** The JSON body (a resource, Bundle or JSON Patch), or URLSearchParams for POST _search. Not modified, not kept. */
  body?: unknown;
  /** Absolute base for Location, fullUrl and links; default: the configured base (on http://localhost when it is a path). */
  base?: string;
}

/** The answer of {@link MockFhir.handleJson}. */
export interface JsonResponse {
  status: number;
  headers: Record<string, string>;
  /** The JSON body. Resources in it are the stored versions: deeply frozen, so read-only. */
  body?: unknown;
}

export interface MockFhir {
  /** Absolute or path base URL, without trailing slash. */
  readonly baseUrl: string;
  /**
   * The whole server as one function. A dropped connection is `Response.error()`. A thin HTTP
   * adapter over {@link handleJson}: URL and body parsing, CORS preflight, fault injection, then JSON.
   */
  handle(request: Request): Promise<Response>;
  /**
   * The server without HTTP: method, path, query, headers and a JSON body in; status, headers and a
   * JSON body out (no fault injection: faults are about the transport). Same routing and results as `handle`.
   */
  handleJson(request: JsonRequest): Promise<JsonResponse>;
  /** fetch-compatible; rejects with a TypeError on a dropped connection, like a real network error. */
  fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  /** Fault injection. */
  readonly faults: Faults;
  /** The underlying store (indexes, versions). */
  readonly store: Store;
  /** A copy of the current version, or undefined (also when deleted). */
  get<T extends Res = Res>(type: string, id: string): T | undefined;
  /** Copies of every current resource of a type. */
  all<T extends Res = Res>(type: string): T[];
  /** Writes a resource as the server would (new version, meta set), bypassing validation and faults. */
  put<T extends Res>(resource: T): T;
  /** Empties the store and loads a seed (default: the one given at creation); clears faults. */
  reset(seed?: string | SeedFn): void;
  /** Does this server answer this URL? (path under the base, and same origin if the base is absolute) */
  owns(url: string | URL): boolean;
  /** The seed's clock. */
  readonly now: Date;
}

interface Req {
  method: string;
  /** Path relative to the base, no leading slash, no query. */
  path: string;
  query: URLSearchParams;
  headers: { get(name: string): string | null };
  body: unknown;
  /** Absolute base URL for links (no trailing slash). */
  base: string;
  /** Absolute request URL (for Bundle.link self). */
  url: string;
  /** Transaction context. */
  presetId?: string;
  existing?: Res;
  /** The body is the server's own (parsed from the request text, or already copied): no copy needed before storing it. */
  owned?: boolean;
  /** Everything nested in the (owned) body is frozen already (a copyFrozen copy): storing it needs no deep freeze. */
  frozen?: boolean;
  /** An entry of a batch/transaction: its response becomes a Bundle entry (ETag and Location only, no HTTP date). */
  entry?: boolean;
}

type HeaderGetter = { get(name: string): string | null };
const NO_HEADERS: HeaderGetter = { get: () => null };
/** Case-insensitive `get` over a plain record, like `Headers` without building one. */
function headerGetter(h: Record<string, string | undefined> | undefined): HeaderGetter {
  if (!h) return NO_HEADERS;
  const lower: Record<string, string> = {};
  for (const k in h) {
    const v = h[k];
    if (v !== undefined) lower[k.toLowerCase()] = v;
  }
  return { get: (name) => lower[name.toLowerCase()] ?? null };
}
const EMPTY_QUERY = new URLSearchParams();
/** The headers of a batch/transaction entry (from entry.request, and the Bundle request's Prefer), as a `get`. */
class EntryHeaders implements HeaderGetter {
  private ifMatch: string | undefined;
  private ifNoneExist: string | undefined;
  private ifNoneMatch: string | undefined;
  private prefer: string | null;
  constructor(ifMatch: string | undefined, ifNoneExist: string | undefined, ifNoneMatch: string | undefined, prefer: string | null) {
    this.ifMatch = ifMatch;
    this.ifNoneExist = ifNoneExist;
    this.ifNoneMatch = ifNoneMatch;
    this.prefer = prefer;
  }
  get(name: string): string | null {
    switch (name.toLowerCase()) {
      case 'if-match':
        return this.ifMatch || null;
      case 'if-none-exist':
        return this.ifNoneExist || null;
      case 'if-none-match':
        return this.ifNoneMatch || null;
      case 'prefer':
        return this.prefer || null;
      default:
        return null;
    }
  }
}
/** A relative entry URL that needs no URL parser: no scheme, no dot segments, nothing the parser would encode. */
const PLAIN_URL = /^[\w\-.~/$?=&%:|,+*@!'()]*$/;
const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const DOT_SEGMENT = /(^|\/)\.\.?(\/|\?|$)/;

interface Resp {
  status: number;
  body?: unknown;
  headers: Record<string, string>;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 304: 'Not Modified', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden',
  404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 410: 'Gone', 412: 'Precondition Failed', 415: 'Unsupported Media Type',
  422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const ROUTABLE_TYPE = /^[A-Z][A-Za-z]+$/;

/** Is there a header `name` (lower case) in a plain record, whatever its case? */
function hasHeader(h: Record<string, string | undefined> | undefined, name: string): boolean {
  if (h === undefined) return false;
  for (const k in h) if (h[k] !== undefined && k.length === name.length && k.toLowerCase() === name) return true;
  return false;
}

export function createMockFhirCore(options: MockFhirOptions = {}): MockFhir {
  const configuredBase = (options.baseUrl ?? '/fhir').replace(/\/+$/, '');
  const baseIsAbsolute = /^https?:\/\//.test(configuredBase);
  const basePath = baseIsAbsolute ? new URL(configuredBase).pathname.replace(/\/+$/, '') : configuredBase;
  const now = options.now === undefined ? new Date() : new Date(options.now);
  const store = new Store(indexKeys);
  const faults = new Faults();
  let currentSeed: string | SeedFn = options.seed ?? 'empty';

  function load(seed: string | SeedFn): void {
    store.clear();
    const name = typeof seed === 'string' ? seed : 'custom';
    let fn: SeedFn | undefined = typeof seed === 'function' ? seed : options.seeds?.[seed];
    if (!fn && typeof seed === 'string') {
      // 'demo:xyz' = the demo clinic with a different random stream
      const [family] = seed.split(':');
      fn = options.seeds?.[family!];
    }
    if (!fn) {
      if (seed === 'empty') return;
      throw new Error(`Unknown seed '${String(seed)}'`);
    }
    const resources = fn({ now, rng: rngFrom(name), seed: name });
    const stamp = new Date(now.getTime() - 24 * 3600_000).toISOString();
    for (const r of resources) {
      r.meta = { ...r.meta, versionId: '1', lastUpdated: r.meta?.lastUpdated ?? stamp };
      store.write(r, 'POST');
    }
  }
  load(currentSeed);

  // -------------------------------------------------------------------------------------------
  // helpers

  const versionOf = (r: Res) => String(r.meta?.versionId ?? '1');
  const resourceHeaders = (r: Res, base: string): Record<string, string> => {
    const v = versionOf(r);
    return { ETag: `W/"${v}"`, 'Last-Modified': httpDate(r.meta!.lastUpdated), 'Content-Location': `${base}/${r.resourceType}/${r.id}/_history/${v}` };
  };

  // A plain read (GET Type/id: no query, no If-None-Match) of a current version is answered straight from
  // the store, without the router. Anything else (a miss, a deletion, a type or id the router would treat otherwise) takes the
  // general path, which gives the same answer in the other cases.
  const routableTypes = new Map<string, boolean>();
  function fastRead(path: string, base: string): JsonResponse | undefined {
    const slash = path.indexOf('/');
    if (slash <= 0 || path.indexOf('/', slash + 1) >= 0 || path.indexOf('?') >= 0 || path.indexOf('%') >= 0) return undefined;
    const r = store.get(path.slice(0, slash), path.slice(slash + 1));
    if (r === undefined) return undefined;
    const type = r.resourceType;
    let routable = routableTypes.get(type);
    if (routable === undefined) routableTypes.set(type, (routable = ROUTABLE_TYPE.test(type) && RESOURCE_TYPES.has(type)));
    if (!routable || !PRIMITIVE.id!.test(r.id!)) return undefined;
    return { status: 200, headers: resourceHeaders(r, base), body: r };
  }

  function checkType(type: string): void {
    if (!RESOURCE_TYPES.has(type)) fail(404, 'not-supported', `Unknown resource type '${type}'`);
  }

  function parseIfMatch(h: string | null): string | undefined {
    if (h == null) return undefined;
    const m = /^(?:W\/)?"?([^"]*)"?$/.exec(h.trim());
    if (!m || !m[1]) badRequest(`Invalid If-Match '${h}'`);
    return m![1];
  }

  /**
   * Stores `resource` as the next version of `id`, after `previous` (the current version, if any).
   * `frozen`: everything nested in it is frozen already (copyFrozen). `fresh`: `id` was just made by the server (a
   * new UUID), so it has no history to continue.
   */
  function commitWrite(resource: Res, method: 'POST' | 'PUT' | 'PATCH', previous: Res | undefined, id: string, frozen = false, fresh = false): Res {
    const type = resource.resourceType;
    let nextVersion: number;
    // the current version is the last one; without it (new, or deleted) the history says where to go on
    if (previous?.meta?.versionId !== undefined) nextVersion = Number(previous.meta.versionId) + 1;
    else if (fresh) nextVersion = 1;
    else {
      const versions = store.versionsOf(type, id);
      nextVersion = versions ? Number(versions[versions.length - 1]!.resource.meta?.versionId ?? versions.length) + 1 : 1;
    }
    const meta = { ...(resource.meta ?? {}) };
    meta.versionId = String(nextVersion);
    meta.lastUpdated = store.stamp();
    // resourceType first, id second (what servers send), then the body's members in order, meta where it was (or last)
    const stored: Res = { resourceType: type, id };
    let hasMeta = false;
    for (const k in resource) {
      if (k === 'meta') {
        stored.meta = meta;
        hasMeta = true;
      } else if (k !== 'resourceType' && k !== 'id') stored[k] = resource[k];
    }
    if (!hasMeta) stored.meta = meta;
    void previous;
    if (frozen) {
      Object.freeze(meta);
      Object.freeze(stored);
    }
    store.write(stored, method, false, frozen);
    return stored;
  }

  function searchPairs(req: Req, extra?: URLSearchParams): Array<[string, string]> {
    const pairs: Array<[string, string]> = [];
    for (const [k, v] of req.query) pairs.push([k, v]);
    if (extra) for (const [k, v] of extra) pairs.push([k, v]);
    return pairs;
  }

  const lenientOf = (req: Req) => /handling\s*=\s*lenient/.test(req.headers.get('prefer') ?? '');

  function conditionalMatches(type: string, query: string): Res[] {
    const q = parseSearch(type, [...new URLSearchParams(query)].map(([k, v]) => [k, v] as [string, string]), false);
    if (!q.filters.length) badRequest(`A conditional request needs search criteria: '${query}'`);
    return findAll(store, q, Date.now());
  }

  function preferReturn(req: Req): 'minimal' | 'representation' | 'OperationOutcome' {
    const m = /return\s*=\s*(minimal|representation|OperationOutcome)/.exec(req.headers.get('prefer') ?? '');
    return (m?.[1] as 'minimal' | 'representation' | 'OperationOutcome' | undefined) ?? 'representation';
  }

  function writeResponse(req: Req, status: number, r: Res, withLocation = false): Resp {
    const v = versionOf(r);
    // an entry's response needs only ETag and Location (Bundle.entry.response); a request's gets the full set
    const headers: Record<string, string> = req.entry ? { ETag: `W/"${v}"` } : resourceHeaders(r, req.base);
    if (withLocation) headers.Location = `${req.base}/${r.resourceType}/${r.id}/_history/${v}`;
    const pref = preferReturn(req);
    if (pref === 'minimal') return { status, headers };
    if (pref === 'OperationOutcome') return { status, headers, body: outcome('informational', `${r.resourceType}/${r.id} saved`, 'information') };
    return { status, headers, body: r };
  }

  // -------------------------------------------------------------------------------------------
  // interactions

  function read(req: Req, type: string, id: string): Resp {
    checkType(type);
    const r = store.get(type, id);
    if (!r) {
      const versions = store.versionsOf(type, id);
      if (versions?.[versions.length - 1]?.deleted) {
        const last = versions[versions.length - 1]!;
        throw Object.assign(new FhirHttpError(410, outcome('deleted', `${type}/${id} was deleted`)), {
          headers: { ETag: `W/"${versionOf(last.resource)}"` },
        });
      }
      notFound(`${type}/${id} not found`);
    }
    const inm = req.headers.get('if-none-match');
    if (inm && inm.replace(/^W\//, '') === `"${versionOf(r!)}"`) return { status: 304, headers: resourceHeaders(r!, req.base) };
    return { status: 200, headers: resourceHeaders(r!, req.base), body: r };
  }

  function vread(req: Req, type: string, id: string, vid: string): Resp {
    checkType(type);
    const v = store.versionsOf(type, id)?.find((x) => versionOf(x.resource) === vid);
    if (!v) notFound(`${type}/${id}/_history/${vid} not found`);
    if (v!.deleted) fail(410, 'deleted', `${type}/${id} version ${vid} is a deletion`);
    return { status: 200, headers: resourceHeaders(v!.resource, req.base), body: v!.resource };
  }

  function parseBody(req: Req, type: string): Res {
    // The caller's object is never kept (it will be frozen once stored): copy it unless it is ours.
    // The copy has JSON semantics (undefined members dropped), so it is validated, like a parsed body.
    // copyFrozen: the copy is frozen as it is made, so storing it needs no second walk.
    const body = req.owned ? req.body : copyFrozen(req.body);
    if (!req.owned) req.frozen = true;
    validateResource(body, type);
    return body as Res;
  }

  function create(req: Req, type: string): Resp {
    checkType(type);
    if (req.existing) return writeResponse(req, 200, req.existing, true);
    const ifNoneExist = req.presetId ? null : req.headers.get('if-none-exist');
    const resource = parseBody(req, type);
    if (ifNoneExist) {
      const found = conditionalMatches(type, ifNoneExist.replace(/^[^?]*\?/, ''));
      if (found.length > 1) fail(412, 'duplicate', `If-None-Exist matched ${found.length} ${type} resources`);
      if (found.length === 1) {
        return writeResponse(req, 200, found[0]!, true);
      }
    }
    // a new UUID: from here, or made for this entry by the transaction
    const id = req.presetId ?? uuid();
    const saved = commitWrite(resource, 'POST', undefined, id, req.frozen === true, true);
    return writeResponse(req, 201, saved, true);
  }

  function update(req: Req, type: string, id: string, body?: Res): Resp {
    checkType(type);
    const resource = body ?? parseBody(req, type);
    if (resource.id === undefined) badRequest(`The resource needs an id matching the URL (${type}/${id})`, [`${type}.id`]);
    if (resource.id !== id) badRequest(`Resource id '${resource.id}' does not match the URL id '${id}'`, [`${type}.id`]);
    const current = store.get(type, id);
    const ifMatch = parseIfMatch(req.headers.get('if-match'));
    if (ifMatch !== undefined) {
      if (!current) fail(412, 'conflict', `If-Match given but ${type}/${id} does not exist`);
      if (versionOf(current!) !== ifMatch) {
        fail(412, 'conflict', `${type}/${id} is at version ${versionOf(current!)}, not ${ifMatch}: it was changed by someone else`);
      }
    }
    const saved = commitWrite(resource, 'PUT', current, id, req.frozen === true);
    if (current) return writeResponse(req, 200, saved);
    return writeResponse(req, 201, saved, true);
  }

  function conditionalUpdate(req: Req, type: string): Resp {
    checkType(type);
    const resource = parseBody(req, type);
    const found = conditionalMatches(type, req.query.toString());
    if (found.length > 1) fail(412, 'multiple-matches', `Conditional update matched ${found.length} ${type} resources`);
    if (found.length === 1) {
      const id = found[0]!.id!;
      if (resource.id !== undefined && resource.id !== id) badRequest(`Resource id '${resource.id}' does not match the matched ${type}/${id}`, [`${type}.id`]);
      return update(req, type, id, { ...resource, id });
    }
    const id = resource.id ?? req.presetId ?? uuid();
    if (resource.id && store.versionsOf(type, id)) {
      return update(req, type, id, resource);
    }
    const saved = commitWrite(resource, 'PUT', undefined, id, req.frozen === true);
    return writeResponse(req, 201, saved, true);
  }

  function patch(req: Req, type: string, id: string): Resp {
    checkType(type);
    const current = store.get(type, id);
    if (!current) return read(req, type, id);
    const ifMatch = parseIfMatch(req.headers.get('if-match'));
    if (ifMatch !== undefined && versionOf(current) !== ifMatch) {
      fail(412, 'conflict', `${type}/${id} is at version ${versionOf(current)}, not ${ifMatch}`);
    }
    const ops = req.body;
    if (!Array.isArray(ops)) {
      if ((ops as A)?.resourceType === 'Parameters') fail(400, 'not-supported', 'FHIRPath Patch is not supported; send a JSON Patch (application/json-patch+json)');
      badRequest('A JSON Patch body must be an array of operations');
    }
    const patched = applyJsonPatch(copyJson(current), ops as A[]);
    if (patched.resourceType !== type || patched.id !== id) badRequest('A patch must not change resourceType or id');
    delete patched.meta?.versionId;
    validateResource(patched, type);
    const saved = commitWrite(patched, 'PATCH', current, id);
    return writeResponse(req, 200, saved);
  }

  function remove(type: string, id: string): Resp {
    checkType(type);
    const current = store.get(type, id);
    if (!current) {
      const versions = store.versionsOf(type, id);
      if (!versions) notFound(`${type}/${id} not found`);
      return { status: 200, headers: {}, body: outcome('informational', `${type}/${id} was already deleted`, 'information') };
    }
    const vid = Number(versionOf(current)) + 1;
    const tomb: Res = { resourceType: type, id, meta: { versionId: String(vid), lastUpdated: store.stamp() } };
    store.write(tomb, 'DELETE', true);
    return { status: 200, headers: { ETag: `W/"${vid}"` }, body: outcome('informational', `Deleted ${type}/${id}`, 'information') };
  }

  function conditionalDelete(req: Req, type: string): Resp {
    checkType(type);
    const found = conditionalMatches(type, req.query.toString());
    if (found.length > 1) fail(412, 'multiple-matches', `Conditional delete matched ${found.length} ${type} resources`);
    if (found.length === 0) return { status: 200, headers: {}, body: outcome('informational', 'Nothing matched; nothing deleted', 'information') };
    return remove(type, found[0]!.id!);
  }

  function search(req: Req, type: string, extra?: URLSearchParams): Resp {
    checkType(type);
    const pairs = searchPairs(req, extra);
    const q = parseSearch(type, pairs, lenientOf(req));
    const all = findAll(store, q, Date.now());
    const bundle = toBundle(req, type, q, all, pairs);
    return { status: 200, headers: {}, body: bundle };
  }

  function toBundle(req: Req, type: string, q: ParsedSearch, all: Res[], pairs: Array<[string, string]>): Bundle {
    const bundle: Bundle = { resourceType: 'Bundle', id: uuid(), meta: { lastUpdated: new Date().toISOString() }, type: 'searchset' };
    if (q.total !== 'none' || q.summary === 'count') bundle.total = all.length;
    const selfUrl = new URL(`${req.base}/${type}`);
    const kept = pairs.filter(([k]) => k !== '_offset' && k !== '_count');
    const link = (offset: number) => {
      const u = new URL(selfUrl);
      for (const [k, v] of kept) u.searchParams.append(k, v);
      u.searchParams.set('_count', String(q.count));
      u.searchParams.set('_offset', String(offset));
      return u.toString();
    };
    const selfLink = new URL(selfUrl);
    for (const [k, v] of pairs) selfLink.searchParams.append(k, v);
    bundle.link = [{ relation: 'self', url: selfLink.toString() }];
    if (q.summary === 'count' || q.count === 0) {
      bundle.total = all.length;
      return bundle;
    }
    const page = all.slice(q.offset, q.offset + q.count);
    bundle.link.push({ relation: 'first', url: link(0) });
    if (q.offset > 0) bundle.link.push({ relation: 'previous', url: link(Math.max(0, q.offset - q.count)) });
    if (q.offset + q.count < all.length) bundle.link.push({ relation: 'next', url: link(q.offset + q.count) });
    if (all.length > 0) bundle.link.push({ relation: 'last', url: link(Math.floor((all.length - 1) / q.count) * q.count) });
    const shape = (r: Res) => subset(r, q);
    bundle.entry = page.map((r) => ({ fullUrl: `${req.base}/${r.resourceType}/${r.id}`, resource: shape(r) as A, search: { mode: 'match' } }));
    for (const r of includes(store, q, page)) {
      bundle.entry.push({ fullUrl: `${req.base}/${r.resourceType}/${r.id}`, resource: shape(r) as A, search: { mode: 'include' } });
    }
    if (q.ignored.length) {
      bundle.entry.push({
        resource: outcome('not-supported', `Ignored search parameters: ${q.ignored.join(', ')}`, 'warning') as A,
        search: { mode: 'outcome' },
      });
    }
    return bundle;
  }

  function subset(r: Res, q: ParsedSearch): Res {
    if (q.elements?.length) {
      const out: Res = { resourceType: r.resourceType, id: r.id, meta: { ...r.meta, tag: [...(r.meta?.tag ?? []), SUBSETTED] } };
      for (const e of q.elements) if (e in r) out[e] = r[e];
      return out;
    }
    if (q.summary === 'data' || q.summary === 'true' || q.summary === 'text') {
      const { text: _text, ...rest } = r;
      void _text;
      return { ...rest, meta: { ...r.meta, tag: [...(r.meta?.tag ?? []), SUBSETTED] } } as Res;
    }
    return r;
  }

  function history(req: Req, type: string, id?: string): Resp {
    checkType(type);
    let versions = id ? store.versionsOf(type, id) : store.historyOfType(type);
    if (id && !versions) notFound(`${type}/${id} not found`);
    versions = [...(versions ?? [])].reverse();
    const since = req.query.get('_since');
    if (since) {
      const t = Date.parse(since);
      versions = versions.filter((v) => Date.parse(v.resource.meta!.lastUpdated) >= t);
    }
    const count = Number(req.query.get('_count') ?? 100);
    const offset = Number(req.query.get('_offset') ?? 0);
    const page = versions.slice(offset, offset + count);
    const bundle: Bundle = {
      resourceType: 'Bundle',
      id: uuid(),
      type: 'history',
      total: versions.length,
      link: [{ relation: 'self', url: req.url }],
      entry: page.map((v) => {
        const r = v.resource;
        const e: BundleEntry = {
          fullUrl: `${req.base}/${r.resourceType}/${r.id}`,
          request: { method: v.method, url: v.method === 'POST' ? r.resourceType : `${r.resourceType}/${r.id}` },
          response: {
            status: v.deleted ? '204 No Content' : v.method === 'POST' ? '201 Created' : '200 OK',
            etag: `W/"${versionOf(r)}"`,
            lastModified: r.meta!.lastUpdated,
          },
        };
        if (!v.deleted) e.resource = r as A;
        return e;
      }),
    };
    if (offset + count < versions.length) {
      const u = new URL(req.url);
      u.searchParams.set('_offset', String(offset + count));
      u.searchParams.set('_count', String(count));
      bundle.link!.push({ relation: 'next', url: u.toString() });
    }
    return { status: 200, headers: {}, body: bundle };
  }

  // -------------------------------------------------------------------------------------------
  // batch / transaction

  function entryReq(parent: Req, entry: BundleEntry, i: number, prefer: string | null = parent.headers.get('prefer')): Req {
    const rq = entry.request;
    if (!rq?.method || !rq.url) badRequest(`Bundle.entry[${i}].request needs method and url`, [`Bundle.entry[${i}].request`]);
    const raw = rq!.url.charCodeAt(0) === 47 ? rq!.url.replace(/^\/+/, '') : rq!.url;
    let path: string;
    let query: URLSearchParams;
    let url: string;
    if (PLAIN_URL.test(raw) && !HAS_SCHEME.test(raw) && !DOT_SEGMENT.test(raw)) {
      // 'Slot/1', 'Appointment', 'Patient?identifier=a|b': what the URL parser would give, without it
      const q = raw.indexOf('?');
      path = q < 0 ? raw : raw.slice(0, q);
      if (path.charCodeAt(path.length - 1) === 47) path = path.replace(/\/+$/, '');
      query = q < 0 ? EMPTY_QUERY : new URLSearchParams(raw.slice(q + 1));
      url = `${parent.base}/${raw}`;
    } else {
      const u = new URL(raw, `${parent.base}/`);
      path = u.pathname.slice(new URL(`${parent.base}/`).pathname.length).replace(/\/+$/, '');
      query = u.searchParams;
      url = u.toString();
    }
    const headers = new EntryHeaders(rq!.ifMatch, rq!.ifNoneExist, rq!.ifNoneMatch, prefer);
    return { method: rq!.method, path, query, headers, body: entry.resource, base: parent.base, url, owned: parent.owned, entry: true };
  }

  function entryResponse(resp: Resp): BundleEntry {
    const text = STATUS_TEXT[resp.status];
    const e: BundleEntry = { response: { status: text ? `${resp.status} ${text}` : String(resp.status) } };
    const h = resp.headers;
    if (h.Location) e.response!.location = h.Location;
    if (h.ETag) e.response!.etag = h.ETag;
    const body = resp.body as Res | undefined;
    if (body?.meta?.lastUpdated && body.resourceType !== 'Bundle') e.response!.lastModified = body.meta.lastUpdated;
    if (body) {
      if (body.resourceType === 'OperationOutcome' && resp.status >= 400) e.response!.outcome = body as A;
      else e.resource = body as A;
    }
    const location = e.response!.location;
    if (location && body && body.resourceType !== 'OperationOutcome' && body.resourceType !== 'Bundle' && body.id) {
      const h = location.indexOf('/_history/');
      e.fullUrl = h < 0 ? location : location.slice(0, h);
    }
    return e;
  }

  function errorResp(err: unknown): Resp {
    if (err instanceof FhirHttpError) return { status: err.status, headers: (err as A).headers ?? {}, body: err.outcome };
    return { status: 500, headers: {}, body: outcome('exception', `Server error: ${(err as Error)?.message ?? err}`) };
  }

  function bundleInteraction(req: Req): Resp {
    const b = req.body as A;
    if (!b || b.resourceType !== 'Bundle') badRequest('POST to the base URL takes a Bundle (batch or transaction)');
    if (b.type !== 'batch' && b.type !== 'transaction') badRequest(`Bundle.type must be batch or transaction, not '${b.type}'`, ['Bundle.type']);
    const entries: BundleEntry[] = Array.isArray(b.entry) ? b.entry : [];
    if (b.type === 'batch') {
      const out: BundleEntry[] = [];
      for (let i = 0; i < entries.length; i++) {
        try {
          const sub = entryReq(req, entries[i]!, i);
          if (sub.method === 'POST' && sub.path === '') badRequest('A batch cannot contain a nested batch or transaction');
          out.push(entryResponse(exec(sub)));
        } catch (err) {
          out.push(entryResponse(errorResp(err)));
        }
      }
      return { status: 200, headers: {}, body: { resourceType: 'Bundle', id: uuid(), type: 'batch-response', entry: out } };
    }
    return transaction(req, entries);
  }

  function transaction(req: Req, entries: BundleEntry[]): Resp {
    const subs: Req[] = [];
    const idMap = new Map<string, string>();
    const identities = new Set<string>();
    const prefer = req.headers.get('prefer');
    // phase 1: requests, ids for POSTs, identity of every write
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      let sub: Req;
      try {
        sub = entryReq(req, e, i, prefer);
      } catch (err) {
        throw withEntry(err, i);
      }
      if (sub.method === 'POST' && sub.path === '') badRequest('A transaction cannot contain a nested bundle', [`Bundle.entry[${i}]`]);
      subs.push(sub);
      const slash = sub.path.indexOf('/');
      const type = slash < 0 ? sub.path : sub.path.slice(0, slash);
      const id = slash < 0 ? undefined : sub.path.slice(slash + 1, (sub.path.indexOf('/', slash + 1) + 1 || sub.path.length + 1) - 1);
      if (sub.method === 'POST') {
        if (!type || sub.path.includes('/')) continue; // operations, _search: handled as reads
        let newId = uuid();
        const ine = sub.headers.get('if-none-exist');
        if (ine) {
          const found = at(i, () => conditionalMatches(type, ine.replace(/^[^?]*\?/, '')));
          if (found.length > 1) throw withEntry(new FhirHttpError(412, outcome('duplicate', `If-None-Exist matched ${found.length} ${type} resources`)), i);
          if (found.length === 1) {
            sub.existing = found[0]!;
            newId = found[0]!.id!;
          }
        }
        if (!sub.existing) sub.presetId = newId;
        if (e.fullUrl) idMap.set(e.fullUrl, `${type}/${newId}`);
      } else if ((sub.method === 'PUT' || sub.method === 'DELETE' || sub.method === 'PATCH') && type) {
        let target = id ? `${type}/${id}` : undefined;
        if (!id && sub.method === 'PUT' && [...sub.query].length) {
          const found = at(i, () => conditionalMatches(type, sub.query.toString()));
          if (found.length === 1) target = `${type}/${found[0]!.id}`;
          else if (found.length === 0) {
            const bodyId = (e.resource as A)?.id ?? uuid();
            sub.presetId = bodyId;
            target = `${type}/${bodyId}`;
          }
        }
        if (target) {
          if (identities.has(target)) badRequest(`Bundle.entry[${i}]: ${target} appears more than once in the transaction`, [`Bundle.entry[${i}]`]);
          identities.add(target);
          if (e.fullUrl && e.fullUrl.startsWith('urn:')) idMap.set(e.fullUrl, target);
        }
      }
    }
    // phase 2: rewrite urn:uuid (and conditional) references everywhere in the bundle
    for (let i = 0; i < subs.length; i++) {
      const sub = subs[i]!;
      // one copy of a caller's body, references rewritten and frozen in the same walk; a parsed body is ours already
      if (sub.body) {
        if (sub.owned) sub.body = rewriteRefs(sub.body, idMap, i);
        else {
          sub.body = copyFrozen(sub.body, (k, v) => rewriteRef(k, v, idMap, i));
          sub.owned = true;
          sub.frozen = true;
        }
      }
      if (sub.existing || sub.presetId || idMap.size === 0) continue;
      const slash = sub.path.indexOf('/');
      const head = slash < 0 ? sub.path : sub.path.slice(0, slash);
      if (head && idMap.has(head)) {
        const mapped = idMap.get(head)!;
        sub.path = mapped;
      }
    }
    if (idMap.size) {
      const mappedUrls = [...idMap.keys()];
      for (const sub of subs) {
        const urnPath = mappedUrls.find((k) => sub.url.endsWith(k));
        if (urnPath) sub.path = idMap.get(urnPath)!;
      }
    }
    // phase 3: process in FHIR order (DELETE, POST, PUT/PATCH, then the rest), entry order within each, all or nothing
    const indices: number[] = [];
    for (let rank = 0; rank < 4; rank++) {
      for (let i = 0; i < subs.length; i++) {
        const m = subs[i]!.method;
        if ((m === 'DELETE' ? 0 : m === 'POST' ? 1 : m === 'PUT' || m === 'PATCH' ? 2 : 3) === rank) indices.push(i);
      }
    }
    const results: Resp[] = new Array(subs.length);
    store.begin();
    try {
      for (const i of indices) {
        const sub = subs[i]!;
        let resp: Resp;
        try {
          resp = exec(sub);
        } catch (err) {
          throw withEntry(err, i);
        }
        if (resp.status >= 400) {
          throw withEntry(new FhirHttpError(resp.status, resp.body as A), i);
        }
        results[i] = resp;
      }
      store.commit();
    } catch (err) {
      store.rollback();
      throw err;
    }
    return {
      status: 200,
      headers: {},
      body: { resourceType: 'Bundle', id: uuid(), type: 'transaction-response', entry: results.map(entryResponse) },
    };
  }

  function at<T>(i: number, f: () => T): T {
    try {
      return f();
    } catch (err) {
      throw withEntry(err, i);
    }
  }

  function withEntry(err: unknown, i: number): unknown {
    if (err instanceof FhirHttpError) {
      for (const issue of err.outcome.issue ?? []) {
        issue.diagnostics = `Bundle.entry[${i}]: ${issue.diagnostics ?? ''}`;
        issue.expression = (issue.expression ?? []).map((e) => `Bundle.entry[${i}].resource.${e.replace(/^[A-Za-z]+\./, '')}`);
        if (!issue.expression.length) issue.expression = [`Bundle.entry[${i}]`];
      }
    }
    return err;
  }

  function rewriteRefs(node: A, idMap: Map<string, string>, entry: number): A {
    if (Array.isArray(node)) return node.map((x) => rewriteRefs(x, idMap, entry));
    if (node && typeof node === 'object') {
      for (const k of Object.keys(node)) {
        const v = node[k];
        if (typeof v === 'string') node[k] = rewriteRef(k, v, idMap, entry);
        else if (v && typeof v === 'object') node[k] = rewriteRefs(v, idMap, entry);
      }
    }
    return node;
  }

  /** A string member `k` of an entry's resource, as stored: a fullUrl mapped to its id, a conditional reference resolved. */
  function rewriteRef(k: string, v: string, idMap: Map<string, string>, entry: number): string {
    if (idMap.size !== 0) {
      const mapped = idMap.get(v);
      if (mapped !== undefined) return mapped;
    }
    if (k !== 'reference') return v;
    if (v.startsWith('urn:uuid:')) {
      badRequest(`Bundle.entry[${entry}]: reference '${v}' is not the fullUrl of any entry in this transaction`, [`Bundle.entry[${entry}]`]);
    } else if (/^[A-Z][A-Za-z]+\?/.test(v)) {
      const [type, query] = [v.slice(0, v.indexOf('?')), v.slice(v.indexOf('?') + 1)];
      const found = conditionalMatches(type, query);
      if (found.length !== 1) {
        fail(412, 'not-found', `Bundle.entry[${entry}]: conditional reference '${v}' matched ${found.length} resources`, [`Bundle.entry[${entry}]`]);
      }
      return `${type}/${found[0]!.id}`;
    }
    return v;
  }

  // -------------------------------------------------------------------------------------------
  // metadata, SMART, reset

  function capabilityStatement(req: Req): CapabilityStatement {
    const interactions = ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type'] as const;
    const types = Object.keys(SEARCH_PARAMS);
    return {
      resourceType: 'CapabilityStatement',
      status: 'active',
      date: now.toISOString(),
      kind: 'instance',
      fhirVersion: '4.0.1',
      format: ['application/fhir+json', 'json'],
      patchFormat: ['application/json-patch+json'],
      software: { name: '@ehr-kit/mock-fhir', version: '0.1.0' },
      implementation: { description: 'ehr-kit in-memory mock FHIR R4 server', url: req.base },
      rest: [
        {
          mode: 'server',
          security: {
            extension: [
              {
                url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
                extension: [
                  { url: 'authorize', valueUri: smartConfig(req).authorization_endpoint as string },
                  { url: 'token', valueUri: smartConfig(req).token_endpoint as string },
                ],
              },
            ],
            service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
          },
          interaction: [{ code: 'transaction' }, { code: 'batch' }],
          searchParam: Object.entries(COMMON_PARAMS).map(([name, d]) => ({ name, type: d.type as A })),
          resource: types.map((type) => ({
            type: type as A,
            versioning: 'versioned',
            readHistory: true,
            updateCreate: true,
            conditionalCreate: true,
            conditionalUpdate: true,
            conditionalDelete: 'single',
            conditionalRead: 'not-supported',
            interaction: interactions.map((code) => ({ code })),
            searchInclude: Object.entries(SEARCH_PARAMS[type]!).filter(([, d]) => d.type === 'reference').map(([n]) => `${type}:${n}`),
            searchRevInclude: [],
            searchParam: Object.entries(SEARCH_PARAMS[type]!).map(([name, d]) => ({ name, type: d.type as A })),
          })),
        },
      ],
    };
  }

  function smartConfig(req: Req): Record<string, unknown> {
    const origin = new URL(req.base).origin;
    const s = options.smart ?? {};
    const issuer = s.issuer ?? `${origin}/oauth`;
    return {
      issuer,
      jwks_uri: `${issuer}/jwks`,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'private_key_jwt'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      scopes_supported: ['openid', 'fhirUser', 'launch', 'launch/patient', 'offline_access', 'patient/*.rs', 'user/*.cruds', 'patient/*.read', 'user/*.*'],
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      capabilities: [
        'launch-ehr', 'launch-standalone', 'client-public', 'client-confidential-symmetric', 'context-ehr-patient',
        'context-standalone-patient', 'permission-offline', 'permission-patient', 'permission-user', 'permission-v2', 'sso-openid-connect',
      ],
      ...s,
    };
  }

  // -------------------------------------------------------------------------------------------
  // routing

  // Synchronous: the store is in memory, so a transaction runs start to end with nothing interleaved.
  function exec(req: Req): Resp {
    const seg = req.path === '' ? [] : req.path.split('/');
    const m = req.method;
    const [a, b, c, d] = seg;
    if (seg.length === 0) {
      if (m === 'POST') return bundleInteraction(req);
      fail(405, 'not-supported', 'System-level search is not supported');
    }
    if (a === 'metadata' && seg.length === 1 && m === 'GET') return { status: 200, headers: {}, body: capabilityStatement(req) };
    if (a === '.well-known' && b === 'smart-configuration' && m === 'GET') {
      return { status: 200, headers: { 'Content-Type': 'application/json' }, body: smartConfig(req) };
    }
    if ((a === '$reset' || a === '__reset') && m === 'POST') {
      const seed = req.query.get('seed');
      api.reset(seed ?? undefined);
      return { status: 200, headers: {}, body: outcome('informational', `Store reset (seed ${seed ?? String(typeof currentSeed === 'string' ? currentSeed : 'custom')})`, 'information') };
    }
    if (a === '$fault' && m === 'POST') return faultOverHttp(req);
    if (!ROUTABLE_TYPE.test(a!)) fail(404, 'not-found', `No route for ${m} ${req.path}`);
    const type = a!;
    if (seg.length === 1) {
      if (m === 'GET' || m === 'HEAD') return search(req, type);
      if (m === 'POST') return create(req, type);
      if (m === 'PUT') return conditionalUpdate(req, type);
      if (m === 'DELETE') return conditionalDelete(req, type);
    }
    if (seg.length === 2 && b === '_search' && m === 'POST') {
      return search(req, type, req.body instanceof URLSearchParams ? req.body : new URLSearchParams());
    }
    if (seg.length === 2 && b === '_history' && m === 'GET') return history(req, type);
    if (seg.length === 2 && b !== '_history' && b !== '_search') {
      if (m === 'GET' || m === 'HEAD') return read(req, type, b!);
      if (m === 'PUT') return update(req, type, b!);
      if (m === 'PATCH') return patch(req, type, b!);
      if (m === 'DELETE') return remove(type, b!);
    }
    if (seg.length === 3 && c === '_history' && m === 'GET') return history(req, type, b!);
    if (seg.length === 4 && c === '_history' && m === 'GET') return vread(req, type, b!, d!);
    return fail(405, 'not-supported', `${m} ${req.path} is not supported`);
  }

  function faultOverHttp(req: Req): Resp {
    const body = (req.body ?? {}) as A;
    const route = body.route ?? '*';
    switch (body.action) {
      case 'latency': faults.latency(route, body.ms ?? 1000, body); break;
      case 'fail': faults.fail(route, body.status ?? 503, body); break;
      case 'drop': faults.drop(route, body); break;
      case 'preconditionFailed': faults.preconditionFailed(route, body); break;
      case 'conflict': faults.conflict(route, body); break;
      case 'flaky': faults.flaky(body.rate ?? 0.3, body); break;
      case 'clear': faults.clear(); break;
      default: badRequest(`Unknown fault action '${body.action}'`);
    }
    return { status: 200, headers: {}, body: outcome('informational', `fault ${body.action} set`, 'information') };
  }

  function owns(url: string | URL): boolean {
    const u = new URL(url, baseIsAbsolute ? configuredBase : 'http://localhost');
    if (baseIsAbsolute && u.origin !== new URL(configuredBase).origin) return false;
    return u.pathname === basePath || u.pathname.startsWith(`${basePath}/`) || (basePath === '' && true) || u.pathname === '/__reset';
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    let rel = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
    if (url.pathname === '/__reset') rel = '/__reset';
    rel = rel.replace(/^\/+/, '').replace(/\/+$/, '');
    if (rel.includes('%')) {
      try {
        rel = decodeURIComponent(rel);
      } catch {
        /* keep raw */
      }
    }
    const base = baseIsAbsolute ? configuredBase : `${url.origin}${basePath}`;

    if (method === 'OPTIONS') return new Response(null, { status: 204, headers: corsHeaders(request) });

    const delay = faults.latencyFor(method, rel, url.search, request);
    if (delay > 0) await sleep(delay, request.signal);
    const decision = faults.decide(method, rel, url.search, request);
    if (decision?.kind === 'drop' && !decision.after) return Response.error();
    if (decision?.kind === 'status') {
      const headers: Record<string, string> = { 'Content-Type': FHIR_JSON };
      if (decision.retryAfter !== undefined) headers['Retry-After'] = String(decision.retryAfter);
      const code = decision.status === 429 ? 'throttled' : decision.status === 412 || decision.status === 409 ? 'conflict' : 'transient';
      return new Response(JSON.stringify(outcome(code, decision.message ?? `Injected fault: ${decision.status}`)), {
        status: decision.status,
        headers,
      });
    }

    if (method === 'GET' && !url.search && !decision && !request.headers.has('if-none-match')) {
      const hit = fastRead(rel, base);
      if (hit) return new Response(JSON.stringify(hit.body), { status: 200, headers: { 'Content-Type': FHIR_JSON, 'Cache-Control': 'no-cache', ...hit.headers } });
    }

    let resp: Resp;
    try {
      const body = method === 'GET' || method === 'HEAD' || method === 'DELETE' ? undefined : await readBody(request);
      // the body was parsed here, so it is the server's own (owned: stored without a copy)
      const query = url.search ? url.searchParams : EMPTY_QUERY;
      resp = dispatch({ method, path: rel, query, headers: request.headers, body, base, url: url.href, owned: true });
    } catch (err) {
      resp = errorResp(err);
    }
    if (decision?.kind === 'drop' && decision.after) return Response.error();
    // Reads are always revalidated (If-None-Match → 304), so a browser never shows a stale copy.
    // A plain record (the Response builds its Headers from it once; every header name here is in canonical case).
    const headers: Record<string, string> = { 'Content-Type': FHIR_JSON, 'Cache-Control': 'no-cache', ...resp.headers };
    if (resp.status === 304 || resp.body === undefined) {
      if (resp.status !== 304) delete headers['Content-Type'];
      return new Response(null, { status: resp.status === 200 && resp.body === undefined ? 200 : resp.status, headers });
    }
    return new Response(method === 'HEAD' ? null : JSON.stringify(resp.body), { status: resp.status, headers });
  }

  /** The one code path of both entry points: route, run, and turn a failure into an OperationOutcome. */
  function dispatch(req: Req): Resp {
    try {
      return exec(req);
    } catch (err) {
      return errorResp(err);
    }
  }

  const defaultBase = baseIsAbsolute ? configuredBase : `http://localhost${basePath}`;

  async function handleJson(request: JsonRequest): Promise<JsonResponse> {
    if (request.method === 'GET' && request.query === undefined && request.base === undefined && !hasHeader(request.headers, 'if-none-match')) {
      const hit = fastRead(request.path, defaultBase);
      if (hit) return hit;
    }
    const method = request.method.toUpperCase();
    let path = request.path;
    let query: URLSearchParams = EMPTY_QUERY;
    const q = path.indexOf('?');
    if (q >= 0) {
      query = new URLSearchParams(path.slice(q + 1));
      path = path.slice(0, q);
    }
    const extra = request.query;
    if (extra !== undefined) {
      const more = typeof extra === 'string' || extra instanceof URLSearchParams ? new URLSearchParams(extra) : recordQuery(extra);
      if (query === EMPTY_QUERY) query = more;
      else for (const [k, v] of more) query.append(k, v);
    }
    if (path.charCodeAt(0) === 47 || path.charCodeAt(path.length - 1) === 47) path = path.replace(/^\/+/, '').replace(/\/+$/, '');
    if (path.includes('%')) {
      try {
        path = decodeURIComponent(path);
      } catch {
        /* keep raw */
      }
    }
    const base = request.base === undefined ? defaultBase : request.base.replace(/\/+$/, '');
    const search = query === EMPTY_QUERY ? '' : query.toString();
    const req: Req = {
      method, path, query, headers: headerGetter(request.headers), body: request.body, base,
      url: `${base}/${path}${search ? `?${search}` : ''}`,
    };
    const resp = dispatch(req);
    return method === 'HEAD' ? { status: resp.status, headers: resp.headers } : resp;
  }

  async function readBody(request: Request): Promise<unknown> {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'DELETE') return undefined;
    const text = await request.text();
    if (!text) return undefined;
    const ct = request.headers.get('content-type') ?? '';
    if (ct.includes('application/x-www-form-urlencoded')) return new URLSearchParams(text);
    try {
      return JSON.parse(text);
    } catch {
      return fail(400, 'structure', 'The body is not valid JSON');
    }
  }

  const api: MockFhir = {
    get baseUrl() {
      return configuredBase;
    },
    get now() {
      return now;
    },
    faults,
    store,
    handle,
    handleJson,
    owns,
    async fetch(input, init) {
      const origin = baseIsAbsolute ? configuredBase : (globalThis as A).location?.href ?? 'http://localhost';
      const request =
        input instanceof Request && !init ? input : new Request(new URL(input instanceof Request ? input.url : String(input), origin), init ?? (input instanceof Request ? input : undefined));
      const response = await handle(request);
      if (response.type === 'error') throw new TypeError('Failed to fetch (mock-fhir: connection dropped)');
      return response;
    },
    get<T extends Res = Res>(type: string, id: string) {
      const r = store.get(type, id);
      return r ? (deepClone(r) as T) : undefined;
    },
    all<T extends Res = Res>(type: string) {
      return [...store.all(type)].map((r) => deepClone(r) as T);
    },
    put<T extends Res>(resource: T): T {
      const id = resource.id ?? uuid();
      return deepClone(commitWrite(deepClone(resource), 'PUT', store.get(resource.resourceType, id), id)) as T;
    },
    reset(seed?: string | SeedFn) {
      if (seed !== undefined) currentSeed = seed;
      faults.clear();
      load(currentSeed);
    },
  };
  return api;
}

function recordQuery(r: Record<string, string | string[]>): URLSearchParams {
  const out = new URLSearchParams();
  for (const k in r) {
    const v = r[k];
    for (const x of Array.isArray(v) ? v : [v]) if (x !== undefined) out.append(k, x);
  }
  return out;
}

const SUBSETTED = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' };

export function corsHeaders(request: Request): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': request.headers.get('origin') ?? '*',
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS',
    'Access-Control-Allow-Headers':
      request.headers.get('access-control-request-headers') ?? 'Authorization, Content-Type, If-Match, If-None-Exist, If-None-Match, Prefer',
    'Access-Control-Expose-Headers': 'ETag, Location, Content-Location, Last-Modified, Retry-After',
    'Access-Control-Max-Age': '600',
  };
}

// ---------------------------------------------------------------------------------------------
// JSON Patch (RFC 6902)

function applyJsonPatch(doc: A, ops: A[]): A {
  const parse = (p: string): string[] => {
    if (typeof p !== 'string' || (p !== '' && !p.startsWith('/'))) badRequest(`Invalid JSON pointer '${p}'`);
    return p === '' ? [] : p.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  };
  const unprocessable = (msg: string): never => fail(422, 'processing', msg);
  const parentOf = (path: string[]): [A, string] => {
    let node = doc;
    for (const key of path.slice(0, -1)) {
      node = Array.isArray(node) ? node[Number(key)] : node?.[key];
      if (node === undefined || node === null || typeof node !== 'object') unprocessable(`Path /${path.join('/')} does not exist`);
    }
    return [node, path[path.length - 1]!];
  };
  const get = (path: string[]): A => {
    let node = doc;
    for (const key of path) {
      if (node === undefined || node === null) return undefined;
      node = Array.isArray(node) ? node[Number(key)] : node[key];
    }
    return node;
  };
  const add = (path: string[], value: A) => {
    if (!path.length) return (doc = value);
    const [parent, key] = parentOf(path);
    if (Array.isArray(parent)) {
      const i = key === '-' ? parent.length : Number(key);
      if (!Number.isInteger(i) || i < 0 || i > parent.length) unprocessable(`Index ${key} out of range`);
      parent.splice(i, 0, value);
    } else parent[key] = value;
  };
  const removeAt = (path: string[]): A => {
    const [parent, key] = parentOf(path);
    if (Array.isArray(parent)) {
      const i = Number(key);
      if (!(i >= 0 && i < parent.length)) unprocessable(`Index ${key} out of range`);
      return parent.splice(i, 1)[0];
    }
    if (!(key in parent)) unprocessable(`Path /${path.join('/')} does not exist`);
    const v = parent[key];
    delete parent[key];
    return v;
  };
  for (const op of ops) {
    const path = parse(op?.path);
    switch (op?.op) {
      case 'add':
        add(path, deepClone(op.value));
        break;
      case 'remove':
        removeAt(path);
        break;
      case 'replace':
        if (get(path) === undefined) unprocessable(`Cannot replace missing /${path.join('/')}`);
        if (!path.length) doc = deepClone(op.value);
        else {
          const [parent, key] = parentOf(path);
          parent[Array.isArray(parent) ? Number(key) : key] = deepClone(op.value);
        }
        break;
      case 'move': {
        const v = removeAt(parse(op.from));
        add(path, v);
        break;
      }
      case 'copy':
        add(path, deepClone(get(parse(op.from))));
        break;
      case 'test':
        if (JSON.stringify(get(path)) !== JSON.stringify(op.value)) unprocessable(`Test failed at /${path.join('/')}`);
        break;
      default:
        badRequest(`Unknown JSON Patch op '${op?.op}'`);
    }
  }
  return doc;
}

export { refString, DEFAULT_COUNT };
