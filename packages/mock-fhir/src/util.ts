// Small helpers shared by the store, the search engine and the server. No DOM, no Node APIs:
// this file runs in the page, in a service-worker-less MSW setup and on Node 22 (type stripping).
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Res = Record<string, any> & { resourceType: string; id?: string };

/** An HTTP-level failure: becomes an OperationOutcome response (or a failed transaction). */
export class FhirHttpError extends Error {
  status: number;
  outcome: OperationOutcome;
  constructor(status: number, outcome: OperationOutcome) {
    super(outcome.issue?.[0]?.diagnostics ?? `HTTP ${status}`);
    this.status = status;
    this.outcome = outcome;
  }
}

export type IssueCode = OperationOutcomeIssue['code'];

export function outcome(
  code: IssueCode,
  diagnostics: string,
  severity: OperationOutcomeIssue['severity'] = 'error',
  expression?: string[],
): OperationOutcome {
  const issue: OperationOutcomeIssue = { severity, code, diagnostics, details: { text: diagnostics } };
  if (expression?.length) issue.expression = expression;
  return { resourceType: 'OperationOutcome', issue: [issue] };
}

export function fail(status: number, code: IssueCode, diagnostics: string, expression?: string[]): never {
  throw new FhirHttpError(status, outcome(code, diagnostics, 'error', expression));
}

export const badRequest = (msg: string, expression?: string[]): never => fail(400, 'invalid', msg, expression);
export const notFound = (msg: string): never => fail(404, 'not-found', msg);

export const arr = <T>(v: T | T[] | undefined | null): T[] => (v == null ? [] : Array.isArray(v) ? v : [v]);

/** Case- and accent-insensitive form used by string search and sorting. */
export function normalize(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** FNV-1a → mulberry32: a tiny deterministic PRNG from a string seed. */
export function rngFrom(seed: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** RFC 4122 v4 from crypto when present (both page and Node 22 have it). */
export function uuid(): string {
  return globalThis.crypto.randomUUID();
}

export const deepClone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

/**
 * The same value as `deepClone` (JSON semantics: undefined, functions and symbols dropped from
 * objects and null in arrays, non-finite numbers null, toJSON honoured) by a direct walk, without
 * building and re-parsing a string: several times faster on resource-sized values.
 */
export function copyJson<T>(v: T): T {
  return (v === undefined ? v : copyValue(v, true, false, undefined)) as T;
}

/**
 * `copyJson` and `deepFreeze` in one walk: the same copy, every object and array in it frozen as it is
 * built. `onString(key, value)`, when given, maps each string member of an object (not array items)
 * to the value to store: the transaction's urn:uuid / conditional reference rewriting, done in the same walk.
 */
export function copyFrozen<T>(v: T, onString?: (key: string, value: string) => string): T {
  return (v === undefined ? v : copyValue(v, true, true, onString)) as T;
}

/** The one walk behind copyJson and copyFrozen. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function copyValue(v: any, inArray: boolean, freeze: boolean, onString: ((key: string, value: string) => string) | undefined): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : null;
    case 'object': {
      if (v === null) return null;
      if (typeof v.toJSON === 'function') return copyValue(v.toJSON(), inArray, freeze, onString);
      if (Array.isArray(v)) {
        const out = new Array(v.length);
        for (let i = 0; i < v.length; i++) out[i] = copyValue(v[i], true, freeze, onString) ?? null;
        return freeze ? Object.freeze(out) : out;
      }
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const out: Record<string, any> = {};
      for (const k in v) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
        const x = v[k];
        const c = typeof x === 'string' ? (onString === undefined ? x : onString(k, x)) : copyValue(x, false, freeze, onString);
        if (c !== undefined) out[k] = c;
      }
      return freeze ? Object.freeze(out) : out;
    }
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    default:
      return inArray ? null : undefined;
  }
}

/** Freezes a JSON value and everything in it (stored resources are shared, never copied, on reads). */
export function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    if (Array.isArray(v)) for (const x of v) deepFreeze(x);
    else for (const k in v) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

let lastIso = '';
let lastHttp = '';
/** RFC 7231 date of an ISO instant. Remembers the last one: a seed's resources share one lastUpdated. */
export function httpDate(iso: string): string {
  if (iso !== lastIso) {
    lastHttp = new Date(iso).toUTCString();
    lastIso = iso;
  }
  return lastHttp;
}

export const sleep = (ms: number, signal?: AbortSignal | null): Promise<void> =>
  new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason ?? new DOMException('Aborted', 'AbortError'));
    });
  });

// ---------------------------------------------------------------------------------------------
// Dates: every FHIR date/dateTime/instant is a half-open range [lo, hi) in epoch ms, so precision
// ("2026", "2026-11", "2026-11-29", "…T10:00:00Z") is honoured by search prefixes.
const DATE_RE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

export function dateRange(s: string): [number, number] | undefined {
  const m = DATE_RE.exec(s);
  if (!m) return undefined;
  const y = +m[1]!;
  if (m[2] === undefined) return [Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1)];
  const mo = +m[2] - 1;
  if (m[3] === undefined) return [Date.UTC(y, mo, 1), Date.UTC(y, mo + 1, 1)];
  const d = +m[3];
  if (m[4] === undefined) return [Date.UTC(y, mo, d), Date.UTC(y, mo, d + 1)];
  let offsetMin = 0;
  const tz = m[8];
  if (tz && tz !== 'Z') offsetMin = (tz[0] === '-' ? -1 : 1) * (+tz.slice(1, 3) * 60 + +tz.slice(4, 6));
  const sec = m[6] === undefined ? 0 : +m[6];
  const frac = m[7];
  const ms = frac === undefined ? 0 : Math.floor(+`0.${frac}` * 1000);
  const lo = Date.UTC(y, mo, d, +m[4], +m[5]!, sec, ms) - offsetMin * 60_000;
  const width = m[6] === undefined ? 60_000 : frac === undefined ? 1000 : 1;
  return [lo, lo + width];
}

// R4 primitive formats (from the spec's regexes).
const YEAR = '([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)';
const MONTH = '(0[1-9]|1[0-2])';
const DAY = '(0[1-9]|[1-2][0-9]|3[0-1])';
const TIME = '([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?';
const TZ = '(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))';
export const PRIMITIVE: Record<string, RegExp> = {
  id: /^[A-Za-z0-9\-.]{1,64}$/,
  date: new RegExp(`^${YEAR}(-${MONTH}(-${DAY})?)?$`),
  dateTime: new RegExp(`^${YEAR}(-${MONTH}(-${DAY}(T${TIME}${TZ})?)?)?$`),
  instant: new RegExp(`^${YEAR}-${MONTH}-${DAY}T${TIME}${TZ}$`),
  time: new RegExp(`^${TIME}$`),
  code: /^[^\s]+( [^\s]+)*$/,
  uri: /^\S*$/,
  base64: /^(\s*([0-9a-zA-Z+/=]){4}\s*)+$/,
};
