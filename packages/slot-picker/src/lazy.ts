/**
 * The picker's code that first paint does not need, as chunks loaded on demand (and prefetched
 * when the browser is idle or the person first reaches for the picker). A chunk that fails to load
 * is a `ChunkLoadError` — shown with Try again — and is not remembered: the next call loads again.
 */
export class ChunkLoadError extends Error {
  constructor(cause: unknown) {
    super('A part of <ehr-slot-picker> could not be loaded', { cause });
  }
}

/** The chunks' loaders; replaceable (tests make one fail), so they are read at call time. */
export const importers = {
  /** Booking, rescheduling, and finding out what a lost answer did. */
  book: () => import('./book-flow.js'),
  /** Searches beyond the one chained search: Schedule-then-Slot, next available, zone from Location, the visit being moved. */
  search: () => import('./more-search.js'),
};
type Chunks = typeof importers;
const loaded = new Map<keyof Chunks, { from: () => Promise<unknown>; module: Promise<unknown> }>();

/** The chunk's module, loaded once; a failure is a `ChunkLoadError` and is forgotten, so the next call loads again. */
export function load<K extends keyof Chunks>(name: K): ReturnType<Chunks[K]> {
  const from = importers[name];
  let entry = loaded.get(name);
  if (!entry || entry.from !== from) {
    const module = from().catch((error: unknown) => {
      if (loaded.get(name)?.module === module) loaded.delete(name);
      throw new ChunkLoadError(error);
    });
    loaded.set(name, (entry = { from, module }));
  }
  return entry.module as ReturnType<Chunks[K]>;
}

/** Loads every chunk when the browser is idle; a failure here is silent (the real use will say so). */
export function prefetch(which: ReadonlyArray<keyof Chunks>): void {
  const run = () => which.forEach((k) => void load(k).catch(() => {}));
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 2000 });
  else setTimeout(run, 200);
}
