// The search engine: parses a FHIR search query against the parameter table, narrows candidates
// through the reference index, filters, sorts, pages and adds _include/_revinclude resources.
import { CONTROL_PARAMS, SEARCH_PARAMS, paramDef, type ParamDef } from './search-params.ts';
import type { Store } from './store.ts';
import { arr, badRequest, dateRange, normalize, type Res } from './util.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type A = any;

export interface Filter {
  name: string;
  modifier?: string;
  def: ParamDef;
  /** OR-ed values (comma-separated in the query). */
  values: string[];
  /** For a chained parameter (schedule.actor): the target types and the rest of the chain. */
  chain?: { types: string[]; rest: string };
}

export interface ParsedSearch {
  type: string;
  filters: Filter[];
  sort: Array<{ name: string; def: ParamDef; desc: boolean }>;
  count: number;
  offset: number;
  total: 'none' | 'estimate' | 'accurate';
  summary?: 'count' | 'true' | 'false' | 'data' | 'text';
  elements?: string[];
  include: Array<{ type: string; param: string; target?: string; iterate: boolean }>;
  revinclude: Array<{ type: string; param: string; target?: string; iterate: boolean }>;
  /** Parameters ignored under `Prefer: handling=lenient`. */
  ignored: string[];
}

export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 1000;

const PREFIXES = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'] as const;
type Prefix = (typeof PREFIXES)[number];

const MODIFIERS: Record<string, Set<string>> = {
  string: new Set(['exact', 'contains', 'missing']),
  token: new Set(['not', 'text', 'missing']),
  date: new Set(['missing']),
  reference: new Set(['missing']),
  quantity: new Set(['missing']),
  number: new Set(['missing']),
  uri: new Set(['missing', 'below', 'above']),
};

export function knownType(type: string): boolean {
  return type in SEARCH_PARAMS;
}

/** Parses [name, value] pairs. Unknown parameters throw 400 unless lenient. */
export function parseSearch(type: string, pairs: Array<[string, string]>, lenient: boolean): ParsedSearch {
  const out: ParsedSearch = {
    type,
    filters: [],
    sort: [],
    count: DEFAULT_COUNT,
    offset: 0,
    total: 'accurate',
    include: [],
    revinclude: [],
    ignored: [],
  };
  const reject = (msg: string, name: string) => {
    if (lenient) out.ignored.push(name);
    else badRequest(msg, [name]);
  };
  for (const [rawName, value] of pairs) {
    const colon = rawName.indexOf(':');
    const base = colon < 0 ? rawName : rawName.slice(0, colon);
    const modifier = colon < 0 ? undefined : rawName.slice(colon + 1);
    if (CONTROL_PARAMS.has(base)) {
      parseControl(out, base, modifier, value, reject);
      continue;
    }
    const dot = rawName.indexOf('.');
    if (dot > 0) {
      // chained: link[:Type].rest
      const link = rawName.slice(0, dot);
      const rest = rawName.slice(dot + 1);
      const [linkName, linkType] = link.split(':') as [string, string | undefined];
      const def = paramDef(type, linkName);
      if (!def || def.type !== 'reference') {
        reject(`Unknown chained parameter '${rawName}' for ${type}`, rawName);
        continue;
      }
      const restBase = rest.split(/[.:]/)[0]!;
      const types = (linkType ? [linkType] : def.targets ?? []).filter((t) => t !== '*' && paramDef(t, restBase));
      if (!types.length) {
        reject(`Cannot chain '${rawName}': no target type of ${type}.${linkName} has '${restBase}'`, rawName);
        continue;
      }
      out.filters.push({ name: linkName, def, values: [value], chain: { types, rest } });
      continue;
    }
    const def = paramDef(type, base);
    if (!def) {
      reject(`Unknown search parameter '${base}' for ${type}`, rawName);
      continue;
    }
    const mod = modifier;
    if (mod && !MODIFIERS[def.type]!.has(mod)) {
      // reference params take a resource type as modifier
      if (!(def.type === 'reference' && /^[A-Z][A-Za-z]+$/.test(mod))) {
        reject(`Unsupported modifier ':${mod}' on ${def.type} parameter '${base}'`, rawName);
        continue;
      }
    }
    if (mod === 'missing' && value !== 'true' && value !== 'false') badRequest(`:missing takes true or false`, [rawName]);
    const values = splitValues(value);
    if (!values.length || values.some((v) => v === '')) {
      if (def.type !== 'token' || mod !== undefined || value === '') {
        badRequest(`Empty value for search parameter '${rawName}'`, [rawName]);
      }
    }
    for (const v of values) checkValue(def, mod, v, rawName);
    out.filters.push({ name: base, modifier: mod, def, values });
  }
  return out;
}

function parseControl(
  out: ParsedSearch,
  base: string,
  modifier: string | undefined,
  value: string,
  reject: (msg: string, name: string) => void,
): void {
  switch (base) {
    case '_count': {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) badRequest(`_count must be a non-negative integer`, ['_count']);
      out.count = Math.min(n, MAX_COUNT);
      return;
    }
    case '_offset': {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) badRequest(`_offset must be a non-negative integer`, ['_offset']);
      out.offset = n;
      return;
    }
    case '_total':
      if (value !== 'none' && value !== 'estimate' && value !== 'accurate') badRequest(`_total must be none, estimate or accurate`, ['_total']);
      out.total = value as ParsedSearch['total'];
      return;
    case '_summary':
      if (!['count', 'true', 'false', 'data', 'text'].includes(value)) badRequest(`Unsupported _summary=${value}`, ['_summary']);
      out.summary = value as ParsedSearch['summary'];
      return;
    case '_elements':
      out.elements = value.split(',').map((s) => s.trim()).filter(Boolean);
      return;
    case '_sort':
      for (const key of value.split(',')) {
        const desc = key.startsWith('-');
        const name = desc ? key.slice(1) : key;
        const def = paramDef(out.type, name);
        if (!def) {
          reject(`Unknown _sort parameter '${name}' for ${out.type}`, '_sort');
          continue;
        }
        out.sort.push({ name, def, desc });
      }
      return;
    case '_include':
    case '_revinclude': {
      if (value === '*') {
        reject(`${base}=* is not supported`, base);
        return;
      }
      const [type, param, target] = value.split(':') as [string, string | undefined, string | undefined];
      const def = param ? paramDef(type, param) : undefined;
      if (!def || def.type !== 'reference') {
        reject(`Invalid ${base} '${value}'`, base);
        return;
      }
      const spec = { type, param: param!, target, iterate: modifier === 'iterate' || modifier === 'recurse' };
      if (base === '_include') out.include.push(spec);
      else out.revinclude.push(spec);
      return;
    }
    default:
      // _format, _pretty, _contained: accepted and ignored (JSON only)
      return;
  }
}

function splitValues(value: string): string[] {
  // commas are OR; "\," escapes a literal comma
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\' && value[i + 1] === ',') {
      cur += ',';
      i++;
    } else if (c === ',') {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

function splitPrefix(v: string): [Prefix, string] {
  const p = v.slice(0, 2) as Prefix;
  if (PREFIXES.includes(p) && /^[-0-9]/.test(v.slice(2))) return [p, v.slice(2)];
  return ['eq', v];
}

function checkValue(def: ParamDef, mod: string | undefined, v: string, name: string): void {
  if (mod === 'missing') return;
  if (def.type === 'date') {
    const [, d] = splitPrefix(v);
    if (!dateRange(d)) badRequest(`Invalid date '${v}' for '${name}'`, [name]);
  } else if (def.type === 'number' || def.type === 'quantity') {
    const [, rest] = splitPrefix(v);
    const n = rest.split('|')[0]!;
    if (n === '' || !Number.isFinite(Number(n))) badRequest(`Invalid ${def.type} '${v}' for '${name}'`, [name]);
  }
}

// ---------------------------------------------------------------------------------------------
// Value extraction (cached per stored resource object; stored objects are never mutated).

interface Tok { s?: string; c?: string; t?: string }
interface Qty { v: number; s?: string; c?: string; u?: string }

// One weak map per parameter (not a map per resource): a cached value costs one entry, and a resource with
// no value for a parameter shares one empty array.
const cache = new Map<ParamDef, WeakMap<Res, unknown[]>>();
const NONE: never[] = Object.freeze([]) as never[];

function values<T>(r: Res, def: ParamDef, convert: (raw: unknown[]) => T[]): T[] {
  let m = cache.get(def);
  if (!m) cache.set(def, (m = new WeakMap()));
  let v = m.get(r) as T[] | undefined;
  if (!v) {
    v = convert(def.get(r));
    if (v.length === 0) v = NONE;
    m.set(r, v);
  }
  return v;
}

const strings = (raw: unknown[]): string[] => raw.filter((x): x is string => typeof x === 'string').map(normalize);

function tokens(raw: unknown[]): Tok[] {
  const out: Tok[] = [];
  for (const x of raw as A[]) {
    if (typeof x === 'string' || typeof x === 'boolean' || typeof x === 'number') out.push({ c: String(x) });
    else if (x && typeof x === 'object') {
      if (Array.isArray(x.coding) || typeof x.text === 'string') {
        for (const c of arr(x.coding) as A[]) out.push({ s: c.system, c: c.code, t: c.display && normalize(c.display) });
        if (x.text) out.push({ t: normalize(x.text) });
      } else if ('value' in x && !('code' in x)) {
        // Identifier or ContactPoint
        out.push({ s: x.system, c: x.value, t: x.type?.text && normalize(x.type.text) });
      } else if ('code' in x || 'system' in x) out.push({ s: x.system, c: x.code, t: x.display && normalize(x.display) });
    }
  }
  return out;
}

function ranges(raw: unknown[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const x of raw as A[]) {
    if (typeof x === 'string') {
      const r = dateRange(x);
      if (r) out.push(r);
    } else if (x && typeof x === 'object' && ('start' in x || 'end' in x)) {
      const lo = x.start ? dateRange(x.start)?.[0] ?? -Infinity : -Infinity;
      const hi = x.end ? dateRange(x.end)?.[1] ?? Infinity : Infinity;
      out.push([lo, hi]);
    }
  }
  return out;
}

/** "Type/id" for a Reference (relative, absolute or versioned), or the raw value (urn:uuid …). */
export function refString(x: unknown): string | undefined {
  const ref = typeof x === 'string' ? x : (x as A)?.reference;
  if (typeof ref !== 'string') return undefined;
  if (ref.startsWith('urn:') || ref.startsWith('#')) return ref;
  // the common case, 'Type/id' (one '/', no query): already in the form wanted, no arrays needed
  const slash = ref.indexOf('/');
  if (slash > 0 && ref.indexOf('/', slash + 1) < 0 && ref.indexOf('?') < 0 && !ref.startsWith('_history/')) return ref;
  const parts = ref.split('?')[0]!.split('/');
  let i = parts.length;
  if (parts[i - 2] === '_history') i -= 2;
  if (i >= 2) return `${parts[i - 2]}/${parts[i - 1]}`;
  return ref;
}

const refs = (raw: unknown[]): string[] => raw.map(refString).filter((x): x is string => !!x);

function quantities(raw: unknown[]): Qty[] {
  const out: Qty[] = [];
  for (const x of raw as A[]) {
    if (x && typeof x === 'object' && typeof x.value === 'number') out.push({ v: x.value, s: x.system, c: x.code, u: x.unit });
  }
  return out;
}

const numbers = (raw: unknown[]): number[] => raw.filter((x): x is number => typeof x === 'number');

/** The store's indexer: every (reference param, "Type/id") a resource contributes to the reference index. */
export function indexKeys(r: Res, add: (param: string, target: string) => void): void {
  for (const [param, def] of referenceParams(r.resourceType)) {
    for (const ref of def.get(r)) {
      const s = refString(ref);
      if (s) add(param, s);
    }
  }
}

/** Per type: the reference parameters, worked out once. */
const refParamsByType = new Map<string, Array<[string, ParamDef]>>();
function referenceParams(type: string): Array<[string, ParamDef]> {
  let list = refParamsByType.get(type);
  if (!list) {
    list = [];
    const table = SEARCH_PARAMS[type] ?? {};
    for (const name in table) if (table[name]!.type === 'reference') list.push([name, table[name]!]);
    refParamsByType.set(type, list);
  }
  return list;
}

// ---------------------------------------------------------------------------------------------
// Matching

function matchPrefixRange(p: Prefix, s: [number, number], t: [number, number], now: number): boolean {
  const [sLo, sHi] = s;
  const [tLo, tHi] = t;
  switch (p) {
    case 'eq':
      return sLo <= tLo && tHi <= sHi;
    case 'ne':
      return !(sLo <= tLo && tHi <= sHi);
    case 'gt':
      return tHi > sHi;
    case 'lt':
      return tLo < sLo;
    case 'ge':
      return tHi > sHi || (sLo <= tLo && tHi <= sHi);
    case 'le':
      return tLo < sLo || (sLo <= tLo && tHi <= sHi);
    case 'sa':
      return tLo >= sHi;
    case 'eb':
      return tHi <= sLo;
    case 'ap': {
      const slack = Math.max(Math.abs(now - sLo), Math.abs(now - sHi)) * 0.1;
      return tLo < sHi + slack && tHi > sLo - slack;
    }
  }
}

function numberRange(text: string): [number, number] {
  const v = Number(text);
  const m = /\.(\d+)/.exec(text.replace(/e.*$/i, ''));
  const decimals = m ? m[1]!.length : 0;
  const half = 0.5 * 10 ** -decimals;
  return [v - half, v + half];
}

function matchNumber(p: Prefix, text: string, x: number): boolean {
  const v = Number(text);
  const [lo, hi] = numberRange(text);
  switch (p) {
    case 'eq':
      return x >= lo && x < hi;
    case 'ne':
      return !(x >= lo && x < hi);
    case 'gt':
    case 'sa':
      return x > v;
    case 'lt':
    case 'eb':
      return x < v;
    case 'ge':
      return x >= v;
    case 'le':
      return x <= v;
    case 'ap':
      return Math.abs(x - v) <= Math.abs(v) * 0.1;
  }
}

function matchToken(q: string, toks: Tok[]): boolean {
  const bar = q.indexOf('|');
  if (bar < 0) return toks.some((t) => t.c === q);
  const sys = q.slice(0, bar);
  const code = q.slice(bar + 1);
  if (sys === '') return toks.some((t) => !t.s && t.c === code);
  if (code === '') return toks.some((t) => t.s === sys);
  return toks.some((t) => t.s === sys && t.c === code);
}

function hasValues(r: Res, def: ParamDef): boolean {
  return def.get(r).length > 0;
}

function matchOne(r: Res, f: Filter, v: string, now: number, refSets: Map<Filter, Set<string>>): boolean {
  const def = f.def;
  if (f.modifier === 'missing') return (v === 'true') !== hasValues(r, def);
  switch (def.type) {
    case 'string': {
      if (f.modifier === 'exact') return def.get(r).some((x) => x === v);
      const vals = values(r, def, strings);
      const q = normalize(v);
      if (f.modifier === 'contains') return vals.some((x) => x.includes(q));
      return vals.some((x) => x.startsWith(q));
    }
    case 'token': {
      const toks = values(r, def, tokens);
      if (f.modifier === 'text') {
        const q = normalize(v);
        return toks.some((t) => !!t.t && (t.t.startsWith(q) || t.t.includes(` ${q}`)));
      }
      return matchToken(v, toks);
    }
    case 'date': {
      const [p, d] = splitPrefix(v);
      const s = dateRange(d)!;
      return values(r, def, ranges).some((t) => matchPrefixRange(p, s, t, now));
    }
    case 'reference': {
      const set = refSets.get(f);
      const vals = values(r, def, refs);
      if (set) return vals.some((x) => set.has(x));
      if (v.includes('/')) {
        const want = refString(v)!;
        return vals.includes(want);
      }
      if (f.modifier) return vals.includes(`${f.modifier}/${v}`);
      return vals.some((x) => x.endsWith(`/${v}`));
    }
    case 'quantity': {
      const [p, rest] = splitPrefix(v);
      const [num, sys, code] = rest.split('|') as [string, string | undefined, string | undefined];
      return values(r, def, quantities).some(
        (q) =>
          matchNumber(p, num, q.v) &&
          (!sys || q.s === sys) &&
          (!code || q.c === code || (!sys && q.u === code)),
      );
    }
    case 'number': {
      const [p, num] = splitPrefix(v);
      return values(r, def, numbers).some((x) => matchNumber(p, num, x));
    }
    case 'uri': {
      const vals = def.get(r).filter((x): x is string => typeof x === 'string');
      if (f.modifier === 'below') return vals.some((x) => x.startsWith(v));
      if (f.modifier === 'above') return vals.some((x) => v.startsWith(x));
      return vals.includes(v);
    }
  }
}

function matches(r: Res, f: Filter, now: number, refSets: Map<Filter, Set<string>>): boolean {
  if (f.def.type === 'token' && f.modifier === 'not') {
    return !f.values.some((v) => matchOne(r, { ...f, modifier: undefined }, v, now, refSets));
  }
  return f.values.some((v) => matchOne(r, f, v, now, refSets));
}

// ---------------------------------------------------------------------------------------------
// Execution

export interface SearchResult {
  matches: Res[];
  total: number;
  included: Res[];
}

/** All matches (unpaged) in sort order. */
export function findAll(store: Store, q: ParsedSearch, now: number): Res[] {
  const refSets = new Map<Filter, Set<string>>();
  let candidates: Set<string> | undefined;
  const narrow = (ids: Set<string>) => {
    if (!candidates) candidates = ids;
    else {
      const next = new Set<string>();
      for (const id of ids) if (candidates.has(id)) next.add(id);
      candidates = next;
    }
  };
  const rest: Filter[] = [];
  for (const f of q.filters) {
    if (f.chain) {
      // resolve the chain to a set of "Type/id" targets, then use the index
      const targets = new Set<string>();
      for (const t of f.chain.types) {
        const sub = parseSearch(t, [[f.chain.rest, f.values[0]!]], false);
        sub.sort = [];
        for (const r of findAll(store, sub, now)) targets.add(`${t}/${r.id}`);
      }
      refSets.set(f, targets);
      narrow(referrers(store, q.type, f.name, targets));
    } else if (f.def.type === 'reference' && f.modifier !== 'missing' && f.values.every((v) => v.includes('/') || f.modifier)) {
      const targets = new Set(f.values.map((v) => (f.modifier ? `${f.modifier}/${v}` : refString(v)!)));
      refSets.set(f, targets);
      narrow(referrers(store, q.type, f.name, targets));
    } else if (!f.modifier && (f.def.type === 'string' || f.def.type === 'date') && store.count(q.type) >= SORTED_INDEX_MIN) {
      const ids = sortedLookup(store, q.type, f);
      if (ids) narrow(ids);
      rest.push(f);
    } else if (f.name === '_id' && !f.modifier) {
      narrow(new Set(f.values));
      rest.push(f);
    } else rest.push(f);
  }
  const out: Res[] = [];
  const test = (r: Res) => rest.every((f) => matches(r, f, now, refSets));
  if (candidates) {
    for (const id of candidates) {
      const r = store.get(q.type, id);
      if (r && test(r)) out.push(r);
    }
  } else {
    for (const r of store.all(q.type)) if (test(r)) out.push(r);
  }
  if (q.sort.length) sortBy(out, q.sort);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sorted indexes for large types: string params by normalized value (prefix = a range), date
// params by range start. Built on first use; after that a write to the type only lands in the store's
// change log, and the next search of the param applies it: the old version's rows removed and the new
// version's inserted, each found by binary search. Rows are in (key, id, range end) order, a total
// order, so an index kept up to date this way is the same array a fresh build would produce.

const SORTED_INDEX_MIN = 2000;

interface SortedIndex {
  version: number;
  keys: Array<string | number>;
  ids: string[];
  /** date: range ends */
  his: number[];
}

type Row = [string | number, string, number];

const sortedIndexes = new WeakMap<Store, Map<string, SortedIndex>>();

function cmpRow(ka: string | number, ia: string, ha: number, kb: string | number, ib: string, hb: number): number {
  if (ka !== kb) return ka < kb ? -1 : 1;
  if (ia !== ib) return ia < ib ? -1 : 1;
  return ha === hb ? 0 : ha < hb ? -1 : 1;
}

// the values are converted here without going through the per-resource cache: the index holds them, and
// caching them for every resource of a large type would cost more memory than the index itself
function rowsOf(r: Res, def: ParamDef, rows: Row[]): void {
  if (def.type === 'string') for (const v of strings(def.get(r))) rows.push([v, r.id!, 0]);
  else for (const [lo, hi] of ranges(def.get(r))) rows.push([lo, r.id!, hi]);
}

/** First position whose row is not below (k, id, hi). */
function rowBound(idx: SortedIndex, k: string | number, id: string, hi: number): number {
  let lo = 0;
  let end = idx.keys.length;
  while (lo < end) {
    const mid = (lo + end) >>> 1;
    if (cmpRow(idx.keys[mid]!, idx.ids[mid]!, idx.his[mid]!, k, id, hi) < 0) lo = mid + 1;
    else end = mid;
  }
  return lo;
}

/** Applies logged (old, new) pairs; false when a row to remove is missing (then the caller rebuilds). */
function applyChanges(idx: SortedIndex, def: ParamDef, changes: Array<Res | undefined>): boolean {
  const rows: Row[] = [];
  for (let c = 0; c < changes.length; c += 2) {
    const from = changes[c];
    const to = changes[c + 1];
    if (from) {
      rows.length = 0;
      rowsOf(from, def, rows);
      for (const [k, id, hi] of rows) {
        const i = rowBound(idx, k, id, hi);
        if (i >= idx.keys.length || cmpRow(idx.keys[i]!, idx.ids[i]!, idx.his[i]!, k, id, hi) !== 0) return false;
        idx.keys.splice(i, 1);
        idx.ids.splice(i, 1);
        idx.his.splice(i, 1);
      }
    }
    if (to) {
      rows.length = 0;
      rowsOf(to, def, rows);
      for (const [k, id, hi] of rows) {
        const i = rowBound(idx, k, id, hi);
        idx.keys.splice(i, 0, k);
        idx.ids.splice(i, 0, id);
        idx.his.splice(i, 0, hi);
      }
    }
  }
  return true;
}

function sortedIndex(store: Store, type: string, name: string, def: ParamDef): SortedIndex {
  let perStore = sortedIndexes.get(store);
  if (!perStore) sortedIndexes.set(store, (perStore = new Map()));
  const key = `${type}|${name}`;
  const version = store.typeVersion(type);
  const cached = perStore.get(key);
  if (cached && cached.version === version) return cached;
  if (cached) {
    const changes = store.changesSince(type, cached.version);
    // each change moves the arrays once (a memmove); past a sixteenth of the type, sorting afresh is cheaper
    if (changes && changes.length / 2 <= 64 + store.count(type) / 16 && applyChanges(cached, def, changes)) {
      cached.version = version;
      return cached;
    }
  }
  store.track(type);
  const rows: Row[] = [];
  for (const r of store.all(type)) rowsOf(r, def, rows);
  rows.sort((a, b) => cmpRow(a[0], a[1], a[2], b[0], b[1], b[2]));
  const idx: SortedIndex = { version, keys: rows.map((x) => x[0]), ids: rows.map((x) => x[1]), his: rows.map((x) => x[2]) };
  perStore.set(key, idx);
  return idx;
}

function lowerBound(keys: Array<string | number>, k: string | number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Candidate ids for a string (starts-with) or date (eq) filter; undefined when the index cannot answer. */
function sortedLookup(store: Store, type: string, f: Filter): Set<string> | undefined {
  if (f.def.type === 'date' && f.values.some((v) => splitPrefix(v)[0] !== 'eq')) return undefined;
  const idx = sortedIndex(store, type, f.name, f.def);
  const out = new Set<string>();
  for (const v of f.values) {
    if (f.def.type === 'string') {
      const q = normalize(v);
      for (let i = lowerBound(idx.keys, q); i < idx.keys.length && (idx.keys[i] as string).startsWith(q); i++) out.add(idx.ids[i]!);
    } else {
      const [sLo, sHi] = dateRange(splitPrefix(v)[1])!;
      for (let i = lowerBound(idx.keys, sLo); i < idx.keys.length && (idx.keys[i] as number) < sHi; i++) {
        if (idx.his[i]! <= sHi) out.add(idx.ids[i]!);
      }
    }
  }
  return out;
}

function referrers(store: Store, type: string, param: string, targets: Set<string>): Set<string> {
  if (targets.size === 1) {
    const [t] = targets;
    return store.referrers(type, param, t!) ?? new Set();
  }
  const ids = new Set<string>();
  for (const t of targets) for (const id of store.referrers(type, param, t) ?? []) ids.add(id);
  return ids;
}

// Without _sort the order is unspecified (FHIR): store order for a scan, index order otherwise.
function sortBy(list: Res[], keys: ParsedSearch['sort']): void {
  const decorated = list.map((r) => ({ r, k: keys.map((k) => sortKey(r, k.def, k.desc)) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const x = a.k[i];
      const y = b.k[i];
      if (x === y) continue;
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      const c = x < y ? -1 : 1;
      return keys[i]!.desc ? -c : c;
    }
    return 0;
  });
  for (let i = 0; i < list.length; i++) list[i] = decorated[i]!.r;
}

function sortKey(r: Res, def: ParamDef, desc: boolean): string | number | undefined {
  const pick = <T extends string | number>(xs: T[]): T | undefined => {
    if (!xs.length) return undefined;
    let best = xs[0]!;
    for (const x of xs) if (desc ? x > best : x < best) best = x;
    return best;
  };
  switch (def.type) {
    case 'string':
      return pick(values(r, def, strings));
    case 'token':
      return pick(values(r, def, tokens).map((t) => t.c ?? t.t ?? ''));
    case 'date':
      return pick(values(r, def, ranges).map(([lo, hi]) => (desc ? hi : lo)));
    case 'reference':
      return pick(values(r, def, refs));
    case 'quantity':
      return pick(values(r, def, quantities).map((q) => q.v));
    case 'number':
      return pick(values(r, def, numbers));
    case 'uri':
      return pick(def.get(r).filter((x): x is string => typeof x === 'string'));
  }
}

/** Resources named by _include / _revinclude for the given page of matches. */
export function includes(store: Store, q: ParsedSearch, page: Res[]): Res[] {
  const seen = new Set(page.map((r) => `${r.resourceType}/${r.id}`));
  const out: Res[] = [];
  const add = (r: Res | undefined) => {
    if (!r) return;
    const key = `${r.resourceType}/${r.id}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(r);
  };
  let frontier = page;
  for (let round = 0; round < 3 && frontier.length; round++) {
    const start = out.length;
    for (const inc of q.include) {
      if (round > 0 && !inc.iterate) continue;
      const def = paramDef(inc.type, inc.param)!;
      for (const r of frontier) {
        if (r.resourceType !== inc.type) continue;
        for (const ref of refs(def.get(r))) {
          const [t, id] = ref.split('/') as [string, string];
          if (inc.target && t !== inc.target) continue;
          add(store.get(t, id));
        }
      }
    }
    for (const rev of q.revinclude) {
      if (round > 0 && !rev.iterate) continue;
      for (const r of frontier) {
        if (rev.target && rev.target !== r.resourceType) continue;
        for (const id of store.referrers(rev.type, rev.param, `${r.resourceType}/${r.id}`) ?? []) add(store.get(rev.type, id));
      }
    }
    frontier = out.slice(start);
  }
  return out;
}
