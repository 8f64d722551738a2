import type {
  Bundle,
  CapabilityStatement,
  ExtractResource,
  OperationOutcome,
  Resource,
  ResourceType,
} from '@medplum/fhirtypes';
import { FhirError } from './error.js';
import { etag } from './bundle.js';

/** Returns the current access token; `forceRefresh` is passed after a 401 (asked once). */
export type TokenSource = (options?: { forceRefresh?: boolean }) => Promise<string | undefined>;

export interface FhirClientOptions {
  /** FHIR base URL; trailing slash optional. */
  baseUrl: string;
  tokenSource?: TokenSource;
  /** Default: globalThis.fetch, looked up at call time (so MSW and test doubles work). */
  fetch?: typeof fetch;
  /** Sent on every request (vendor presets add theirs here). */
  headers?: Record<string, string>;
  /** 'include' for the BFF mode (cookie session). */
  credentials?: RequestCredentials;
  /** Per attempt; default 30 000. A timeout is FhirError kind 'timeout'. */
  timeoutMs?: number;
  /** Safe requests only (GET, POST _search, create with ifNoneExist). attempts = total tries, default 3. */
  retry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number };
}

export interface RequestOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}
export interface SearchOptions extends RequestOptions {
  /** 'POST' sends the parameters form-encoded to Type/_search, keeping PHI out of URLs and logs. */
  method?: 'GET' | 'POST';
}

export type SearchValue = string | number | boolean | undefined | null;
/**
 * `{ family: 'Ng', birthdate: ['ge2000-01-01', 'lt2001-01-01'], _count: 50 }`, URLSearchParams,
 * or `[name, value][]`. Names may carry modifiers (`name:exact`), values prefixes (`ge…`).
 */
export type SearchParams = Record<string, SearchValue | SearchValue[]> | URLSearchParams | [string, SearchValue][];

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'copy' | 'move' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

interface Req extends RequestOptions {
  method?: string;
  url: string;
  op: string;
  body?: string;
  type?: string;
  safe?: boolean;
}

const FHIR_JSON = 'application/fhir+json';
const RETRY_STATUS = [408, 429, 502, 503, 504];

/** FHIR-friendly query encoding: keep `:`, `,`, `/`, `|`, `$` readable; encode the rest. */
const enc = (s: string) => encodeURIComponent(s).replace(/%(3A|2C|2F|7C|24)/gi, decodeURIComponent);

function query(params?: SearchParams): string {
  const pairs: [string, SearchValue][] = [];
  if (params instanceof URLSearchParams || Array.isArray(params)) pairs.push(...params);
  else
    for (const [k, v] of Object.entries(params ?? {}))
      for (const x of Array.isArray(v) ? v : [v]) pairs.push([k, x]);
  return pairs
    .filter(([, v]) => v != null)
    .map(([k, v]) => enc(k) + '=' + enc(String(v)))
    .join('&');
}

function retryAfter(h: string | null): number | undefined {
  if (!h) return undefined;
  const ms = /^\s*\d+\s*$/.test(h) ? +h * 1000 : Date.parse(h) - Date.now();
  return Number.isNaN(ms) ? undefined : Math.max(0, ms);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });
}

/** A small typed FHIR R4 REST client over fetch. */
export class FhirClient {
  readonly baseUrl: string;
  #o: FhirClientOptions;

  constructor(options: FhirClientOptions) {
    this.#o = options;
    this.baseUrl = options.baseUrl.replace(/\/*$/, '/');
  }

  read<K extends ResourceType>(type: K, id: string, o?: RequestOptions): Promise<ExtractResource<K>> {
    return this.#req({ ...o, url: `${type}/${id}`, op: `read ${type}/${id}`, safe: true });
  }

  vread<K extends ResourceType>(type: K, id: string, versionId: string, o?: RequestOptions): Promise<ExtractResource<K>> {
    return this.#req({ ...o, url: `${type}/${id}/_history/${versionId}`, op: `vread ${type}/${id}/_history/${versionId}`, safe: true });
  }

  search<K extends ResourceType>(type: K, params?: SearchParams, o: SearchOptions = {}): Promise<Bundle<ExtractResource<K>>> {
    const q = query(params);
    const post = o.method === 'POST';
    return this.#req({
      ...o,
      method: o.method,
      url: post ? `${type}/_search` : q ? `${type}?${q}` : type,
      body: post ? q : undefined,
      type: post ? 'application/x-www-form-urlencoded' : undefined,
      op: `search ${type}`,
      safe: true,
    });
  }

  /** The matching resources of one page (entries with search.mode 'match'; no _include'd ones). */
  async searchResources<K extends ResourceType>(type: K, params?: SearchParams, o?: SearchOptions): Promise<ExtractResource<K>[]> {
    const b = await this.search(type, params, o);
    return (b.entry ?? [])
      .filter((e) => e.resource && (e.search?.mode ? e.search.mode === 'match' : e.resource.resourceType === type))
      .map((e) => e.resource!);
  }

  /** Every page of a search, following link[next] until there is none. */
  async *searchPages<K extends ResourceType>(type: K, params?: SearchParams, o: SearchOptions = {}): AsyncGenerator<Bundle<ExtractResource<K>>> {
    let page: Bundle<ExtractResource<K>> | undefined = await this.search(type, params, o);
    while (page) {
      yield page;
      const next: string | undefined = page.link?.find((l) => l.relation === 'next')?.url;
      page = next ? await this.#req({ ...o, method: 'GET', url: next, op: `search ${type}`, safe: true }) : undefined;
    }
  }

  /** POST Type with Prefer: return=representation; `ifNoneExist` makes it a conditional (idempotent, retryable) create. */
  create<T extends Resource>(resource: T, o: RequestOptions & { ifNoneExist?: string } = {}): Promise<T> {
    const { ifNoneExist, ...rest } = o;
    return this.#req({
      ...rest,
      headers: { ...o.headers, ...(ifNoneExist ? { 'If-None-Exist': ifNoneExist } : {}) },
      method: 'POST',
      url: resource.resourceType,
      body: JSON.stringify(resource),
      op: `create ${resource.resourceType}`,
      safe: !!ifNoneExist,
    });
  }

  /** PUT Type/id, guarded by If-Match W/"meta.versionId" unless `ifMatch: false`. */
  update<T extends Resource>(resource: T, o: RequestOptions & { ifMatch?: string | false } = {}): Promise<T> {
    if (!resource.id) throw new TypeError(`update needs ${resource.resourceType}.id`);
    const { ifMatch, ...rest } = o;
    const path = `${resource.resourceType}/${resource.id}`;
    const v = resource.meta?.versionId;
    const m = ifMatch === false ? undefined : (ifMatch ?? (v && etag(v)));
    return this.#req({
      ...rest,
      headers: { ...o.headers, ...(m ? { 'If-Match': m } : {}) },
      method: 'PUT',
      url: path,
      body: JSON.stringify(resource),
      op: `update ${path}`,
    });
  }

  patch<K extends ResourceType>(type: K, id: string, ops: JsonPatchOp[], o: RequestOptions & { ifMatch?: string } = {}): Promise<ExtractResource<K>> {
    const { ifMatch, ...rest } = o;
    return this.#req({
      ...rest,
      headers: { ...o.headers, ...(ifMatch ? { 'If-Match': ifMatch } : {}) },
      method: 'PATCH',
      url: `${type}/${id}`,
      body: JSON.stringify(ops),
      type: 'application/json-patch+json',
      op: `patch ${type}/${id}`,
    });
  }

  async delete(type: ResourceType, id: string, o?: RequestOptions): Promise<void> {
    await this.#req({ ...o, method: 'DELETE', url: `${type}/${id}`, op: `delete ${type}/${id}` });
  }

  history(type: ResourceType, id?: string, o?: RequestOptions): Promise<Bundle> {
    const path = id ? `${type}/${id}` : type;
    return this.#req({ ...o, url: `${path}/_history`, op: `history ${path}`, safe: true });
  }

  batch(bundle: Bundle, o?: RequestOptions): Promise<Bundle> {
    return this.#req({ ...o, method: 'POST', url: '', body: JSON.stringify({ ...bundle, type: 'batch' }), op: 'batch' });
  }

  /** All-or-nothing on a conforming server. Never retried. */
  transaction(bundle: Bundle, o?: RequestOptions): Promise<Bundle> {
    return this.#req({ ...o, method: 'POST', url: '', body: JSON.stringify({ ...bundle, type: 'transaction' }), op: 'transaction' });
  }

  capabilities(o?: RequestOptions): Promise<CapabilityStatement> {
    return this.#req({ ...o, url: 'metadata', op: 'capabilities', safe: true });
  }

  async #req<T>(r: Req): Promise<T> {
    const o = this.#o;
    const { attempts = 3, baseDelayMs = 300, maxDelayMs = 10_000 } = o.retry ?? {};
    const url = new URL(r.url, this.baseUrl).href;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      let err: FhirError;
      const token = await o.tokenSource?.({ forceRefresh: refreshed });
      const headers: Record<string, string> = { Accept: FHIR_JSON, ...o.headers, ...r.headers };
      if (r.body != null) headers['Content-Type'] = r.type ?? FHIR_JSON;
      if (r.method === 'POST' || r.method === 'PUT' || r.method === 'PATCH') headers.Prefer ??= 'return=representation';
      // Never hand the token to another origin (e.g. a misconfigured server's link[next]).
      if (token && new URL(url).origin === new URL(this.baseUrl).origin) headers.Authorization = 'Bearer ' + token;

      const ac = new AbortController();
      const onAbort = () => ac.abort();
      r.signal?.addEventListener('abort', onAbort);
      let timedOut = false;
      const timer = setTimeout(() => ((timedOut = true), ac.abort()), o.timeoutMs ?? 30_000);
      try {
        if (r.signal?.aborted) throw 0;
        const res = await (o.fetch ?? globalThis.fetch)(url, {
          method: r.method ?? 'GET',
          headers,
          body: r.body,
          credentials: o.credentials,
          signal: ac.signal,
        });
        const text = await res.text();
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          /* not JSON: keep the status */
        }
        if (res.ok) {
          // A server that ignored Prefer: return=representation: read what was written.
          const loc = res.headers.get('Location') ?? (r.method === 'PUT' || r.method === 'PATCH' ? url : null);
          if (json === undefined && r.method !== 'DELETE' && loc) {
            return this.#req({ ...r, method: 'GET', url: loc, body: undefined, headers: undefined, safe: true });
          }
          return json as T;
        }
        if (res.status === 401 && o.tokenSource && !refreshed) {
          refreshed = true;
          attempt--;
          continue;
        }
        const outcome = (json as Resource | undefined)?.resourceType === 'OperationOutcome' ? (json as OperationOutcome) : undefined;
        err = new FhirError('http', r.op, { status: res.status, outcome, retryAfterMs: retryAfter(res.headers.get('Retry-After')) });
        if (!RETRY_STATUS.includes(res.status)) throw err;
      } catch (e) {
        if (e instanceof FhirError) throw e;
        if (r.signal?.aborted) throw new FhirError('aborted', r.op, { message: 'Aborted', cause: r.signal.reason });
        if (timedOut) throw new FhirError('timeout', r.op, { message: `No answer within ${o.timeoutMs ?? 30_000} ms` });
        err = new FhirError('network', r.op, { message: 'Network error: the server could not be reached', cause: e });
      } finally {
        clearTimeout(timer);
        r.signal?.removeEventListener('abort', onAbort);
      }
      const wait = err.retryAfterMs ?? Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      if (!r.safe || attempt >= attempts || wait > maxDelayMs) throw err;
      try {
        await sleep(wait, r.signal);
      } catch (e) {
        throw new FhirError('aborted', r.op, { message: 'Aborted', cause: e });
      }
    }
  }
}
