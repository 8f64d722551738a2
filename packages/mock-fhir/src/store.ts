// The in-memory store: current resources by type and id, every version (for vread/history), and
// an index from reference target to referrers, per search parameter. A journal makes a
// transaction atomic: every mutation records its undo while one is open.
import { deepFreeze, type Res } from './util.ts';

export interface Version {
  resource: Res;
  deleted: boolean;
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
}

/** Returns the index keys ("Type|param|Target/id") a resource contributes. */
export type Indexer = (resource: Res) => string[];

export class Store {
  private current = new Map<string, Map<string, Res>>();
  private versions = new Map<string, Version[]>();
  private typeVersions = new Map<string, Version[]>();
  private refIndex = new Map<string, Set<string>>();
  private journal: Array<() => void> | undefined;
  private indexer: Indexer;
  private lastStamp = 0;
  private versionsByType = new Map<string, number>();

  constructor(indexer: Indexer) {
    this.indexer = indexer;
  }

  /** A strictly increasing instant, so _lastUpdated order is the write order. */
  stamp(now = Date.now()): string {
    const t = Math.max(now, this.lastStamp + 1);
    this.lastStamp = t;
    return new Date(t).toISOString();
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
    return this.versions.get(`${type}/${id}`);
  }

  historyOfType(type: string): Version[] {
    return this.typeVersions.get(type) ?? [];
  }

  /** Ids of `type` resources whose `param` references `target` ("Patient/1"). */
  referrers(type: string, param: string, target: string): Set<string> | undefined {
    return this.refIndex.get(`${type}|${param}|${target}`);
  }

  /** Bumped on every write (and undo) to a type: lets derived indexes know they are stale. */
  typeVersion(type: string): number {
    return this.versionsByType.get(type) ?? 0;
  }

  /**
   * Stores a new version (the caller has set meta). The object becomes the store's and is frozen
   * (deeply): reads hand it out without copying, so nothing can change a stored version.
   */
  write(resource: Res, method: Version['method'], deleted = false): void {
    deepFreeze(resource);
    const type = resource.resourceType;
    const id = resource.id!;
    const key = `${type}/${id}`;
    let byId = this.current.get(type);
    if (!byId) this.current.set(type, (byId = new Map()));
    const previous = byId.get(id);
    this.versionsByType.set(type, this.typeVersion(type) + 1);
    const version: Version = { resource, deleted, method };
    let list = this.versions.get(key);
    if (!list) this.versions.set(key, (list = []));
    list.push(version);
    let typeList = this.typeVersions.get(type);
    if (!typeList) this.typeVersions.set(type, (typeList = []));
    typeList.push(version);

    if (previous) this.unindex(previous);
    if (deleted) byId.delete(id);
    else {
      byId.set(id, resource);
      this.index(resource);
    }
    if (this.journal) {
      const map = byId;
      this.journal.push(() => {
        this.versionsByType.set(type, this.typeVersion(type) + 1);
        list!.pop();
        if (list!.length === 0) this.versions.delete(key);
        typeList!.pop();
        const now = map.get(id);
        if (now) this.unindex(now);
        if (previous) {
          map.set(id, previous);
          this.index(previous);
        } else map.delete(id);
      });
    }
  }

  // Stored resources are never mutated, so the keys to remove are recomputed from the old version.
  private index(resource: Res): void {
    const id = resource.id!;
    for (const k of this.indexer(resource)) {
      let set = this.refIndex.get(k);
      if (!set) this.refIndex.set(k, (set = new Set()));
      set.add(id);
    }
  }

  private unindex(resource: Res): void {
    const id = resource.id!;
    for (const k of this.indexer(resource)) this.refIndex.get(k)?.delete(id);
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
  }
}
