// The in-memory store: current resources by type and id, every version (for vread/history), and
// an index from reference target to referrers, per search parameter. A journal makes a
// transaction atomic: every mutation records its undo while one is open.
//
// Derived indexes are maintained lazily from one change log per type: an index asks for its type's
// log with `track(type)`, from then on every write and undo of that type appends its (old, new) pair,
// one pair per typeVersion step, and `changesSince(version)` hands a reader the pairs it has not
// applied yet. Readers: the reference index here (brought up to date by the first `referrers()` for
// the type: a search or an _include/_revinclude that needs it) and search.ts's sorted indexes. A reader
// with no index yet, or further behind than the log reaches or than the type has resources (a seed
// load), rebuilds from the current resources instead. Either way a reader sees exactly the index of
// the current resources, including writes made a moment ago.
import { deepFreeze, type Res } from './util.ts';

export interface Version {
  resource: Res;
  deleted: boolean;
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
}

/** Calls `add` with every (search param, "Type/id" target) a resource contributes to the reference index. */
export type Indexer = (resource: Res, add: (param: string, target: string) => void) => void;

/** param → target → the referrer id, or a set of them when there are several (most targets have one). */
type RefIndex = Map<string, Map<string, string | Set<string>>>;

export class Store {
  private current = new Map<string, Map<string, Res>>();
  /** type → id → versions, oldest first */
  private versions = new Map<string, Map<string, Version[]>>();
  private typeVersions = new Map<string, Version[]>();
  /** referrer type → its reference index, as of the type's version `version` */
  private refIndex = new Map<string, { index: RefIndex; version: number }>();
  private journal: Array<() => void> | undefined;
  private indexer: Indexer;
  private lastStamp = 0;
  private stampSecond = NaN;
  private stampPrefix = '';
  private versionsByType = new Map<string, number>();
  /** tracked type → its change log: pairs (old, new) for the versions from `base` on */
  private changeLog = new Map<string, { base: number; log: Array<Res | undefined> }>();

  constructor(indexer: Indexer) {
    this.indexer = indexer;
  }

  /** A strictly increasing instant, so _lastUpdated order is the write order. */
  stamp(now = Date.now()): string {
    const t = Math.max(now, this.lastStamp + 1);
    this.lastStamp = t;
    // toISOString once per second; the milliseconds are appended (same string as new Date(t).toISOString())
    const second = t - (t % 1000);
    if (second !== this.stampSecond) {
      this.stampSecond = second;
      this.stampPrefix = new Date(second).toISOString().slice(0, -4);
    }
    const ms = t - second;
    return `${this.stampPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
  }

  get(type: string, id: string): Res | undefined {
    return this.current.get(type)?.get(id);
  }

  all(type: string): IterableIterator<Res> | Res[] {
    return this.current.get(type)?.values() ?? [];
  }

  count(type: string): number {
    return this.current.get(type)?.size ?? 0;
  }

  types(): string[] {
    return [...this.current.keys()];
  }

  versionsOf(type: string, id: string): Version[] | undefined {
    return this.versions.get(type)?.get(id);
  }

  historyOfType(type: string): Version[] {
    return this.typeVersions.get(type) ?? [];
  }

  /** Ids of `type` resources whose `param` references `target` ("Patient/1"). */
  referrers(type: string, param: string, target: string): Set<string> | undefined {
    const ids = this.refIndexOf(type).get(param)?.get(target);
    return typeof ids === 'string' ? new Set([ids]) : ids;
  }

  /** Bumped on every write (and undo) to a type: lets derived indexes know they are stale. */
  typeVersion(type: string): number {
    return this.versionsByType.get(type) ?? 0;
  }

  /** Starts keeping `type`'s change log for changesSince() (from the current version on). */
  track(type: string): void {
    if (!this.changeLog.has(type)) this.changeLog.set(type, { base: this.typeVersion(type), log: [] });
  }

  /**
   * The (old, new) pairs of `type` from `version` to the current one, oldest first (flat: old, new, old, new…;
   * undefined for "none" on either side); undefined when the type is not tracked or its log no longer reaches back that far.
   */
  changesSince(type: string, version: number): Array<Res | undefined> | undefined {
    const c = this.changeLog.get(type);
    if (!c || version < c.base) return undefined;
    return c.log.slice(2 * (version - c.base));
  }

  private bump(type: string, from: Res | undefined, to: Res | undefined, size: number): void {
    this.versionsByType.set(type, this.typeVersion(type) + 1);
    const c = this.changeLog.get(type);
    if (!c) return;
    c.log.push(from, to);
    // bounded: a reader further behind than about the type's size rebuilds anyway; halving keeps the trim amortised O(1)
    if (c.log.length > 4 * size + 256) {
      const drop = c.log.length - (2 * size + 128);
      c.log.splice(0, drop);
      c.base += drop / 2;
    }
  }

  /**
   * Stores a new version (the caller has set meta). The object becomes the store's and is frozen
   * (deeply): reads hand it out without copying, so nothing can change a stored version.
   * `frozen`: the caller has frozen it already (every nested object and the resource itself).
   */
  write(resource: Res, method: Version['method'], deleted = false, frozen = false): void {
    if (!frozen) deepFreeze(resource);
    const type = resource.resourceType;
    const id = resource.id!;
    let byId = this.current.get(type);
    if (!byId) this.current.set(type, (byId = new Map()));
    const previous = byId.get(id);
    const version: Version = { resource, deleted, method };
    let versionsById = this.versions.get(type);
    if (!versionsById) this.versions.set(type, (versionsById = new Map()));
    let list = versionsById.get(id);
    // most resources have one version: an array of exactly one (`[]` + push would reserve room for 17)
    if (!list) versionsById.set(id, (list = [version]));
    else list.push(version);
    let typeList = this.typeVersions.get(type);
    if (!typeList) this.typeVersions.set(type, (typeList = []));
    typeList.push(version);

    if (deleted) byId.delete(id);
    else byId.set(id, resource);
    const next = deleted ? undefined : resource;
    this.bump(type, previous, next, byId.size);
    if (this.journal) {
      const map = byId;
      this.journal.push(() => {
        list!.pop();
        if (list!.length === 0) versionsById!.delete(id);
        typeList!.pop();
        if (previous) map.set(id, previous);
        else map.delete(id);
        this.bump(type, next, previous, map.size);
      });
    }
  }

  /** `type`'s reference index as of its current version: the changes since it was last read applied, or rebuilt. */
  private refIndexOf(type: string): RefIndex {
    const version = this.typeVersion(type);
    const entry = this.refIndex.get(type);
    if (entry?.version === version) return entry.index;
    const changes = entry && this.changesSince(type, entry.version);
    // no index yet, a log that no longer reaches back, or more changes than the type has resources (a
    // seed load): rebuilding from the current resources is cheaper
    if (!entry || !changes || changes.length > 2 * this.count(type) + 64) {
      const index: RefIndex = new Map();
      for (const r of this.all(type)) this.index(index, r);
      this.track(type);
      this.refIndex.set(type, { index, version });
      return index;
    }
    for (let i = 0; i < changes.length; i += 2) {
      // stored resources are never mutated, so the entries to remove are recomputed from the old version
      const from = changes[i];
      const to = changes[i + 1];
      if (from) this.unindex(entry.index, from);
      if (to) this.index(entry.index, to);
    }
    entry.version = version;
    return entry.index;
  }

  private index(index: RefIndex, resource: Res): void {
    const id = resource.id!;
    this.indexer(resource, (param, target) => {
      let byTarget = index.get(param);
      if (!byTarget) index.set(param, (byTarget = new Map()));
      const ids = byTarget.get(target);
      if (ids === undefined) byTarget.set(target, id);
      else if (typeof ids !== 'string') ids.add(id);
      else if (ids !== id) byTarget.set(target, new Set([ids, id]));
    });
  }

  private unindex(index: RefIndex, resource: Res): void {
    const id = resource.id!;
    this.indexer(resource, (param, target) => {
      const byTarget = index.get(param);
      const ids = byTarget?.get(target);
      if (ids === id) byTarget!.delete(target);
      else if (typeof ids === 'object') ids.delete(id);
    });
  }

  /** Opens a transaction: until commit/rollback, every write can be undone. */
  begin(): void {
    if (this.journal) throw new Error('nested transaction');
    this.journal = [];
  }
  commit(): void {
    this.journal = undefined;
  }
  rollback(): void {
    const j = this.journal ?? [];
    this.journal = undefined;
    for (let i = j.length - 1; i >= 0; i--) j[i]!();
  }

  clear(): void {
    this.current.clear();
    this.versions.clear();
    this.typeVersions.clear();
    this.refIndex.clear();
    for (const t of this.versionsByType.keys()) this.versionsByType.set(t, this.typeVersion(t) + 1);
    // a reader's version is now older than its log: it rebuilds
    for (const t of this.changeLog.keys()) this.changeLog.set(t, { base: this.typeVersion(t), log: [] });
  }
}
