// Shared helpers for the mock-fhir suites: a fresh in-page mock and JSON shortcuts over its fetch.
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { createMockFhir, type MockFhir, type MockFhirOptions } from '@ehr-kit/mock-fhir';

export const BASE = 'http://mock.test/fhir';
export const NOW = '2026-11-25T14:00:00Z'; // a Wednesday

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A mock with its own store; `call` sends a request relative to the base and parses the body. */
export function setup(options: MockFhirOptions = {}) {
  const mock: MockFhir = createMockFhir({ baseUrl: BASE, seed: 'empty', now: NOW, ...options });
  async function call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' || body instanceof URLSearchParams ? body : JSON.stringify(body);
      if (!(body instanceof URLSearchParams) && !headers['content-type']) (init.headers as Record<string, string>)['content-type'] = 'application/fhir+json';
    }
    const res = await mock.fetch(`${BASE}/${path}`, init);
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }
  const create = async <T extends Resource>(r: T): Promise<T> => {
    const res = await call<T>('POST', r.resourceType, r);
    if (res.status !== 201) throw new Error(`create failed ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const search = async (query: string, headers?: Record<string, string>): Promise<Reply<Bundle>> => call<Bundle>('GET', query, undefined, headers);
  const ids = (b: Bundle, mode = 'match') => (b.entry ?? []).filter((e) => e.search?.mode === mode).map((e) => e.resource!.id);
  return { mock, call, create, search, ids };
}
