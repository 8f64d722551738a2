/**
 * On-demand code: a dynamic `import()` wrapped so that every element loads its chunks the same way.
 * `chunk(() => import('./view.js'))` gives a loader: calling it starts the load or joins the one in
 * flight; `.value` is the module once it is in (for a synchronous `render()`); a success is kept for
 * the page's life; a failure is a `ChunkLoadError` and is forgotten, so the next call (Try again)
 * loads afresh. `load` is called on each attempt, so a test can swap what it imports.
 */
export class ChunkLoadError extends Error {
  override name = 'ChunkLoadError';
  constructor(cause: unknown) {
    super('A part of ehr-kit could not be loaded', { cause });
  }
}

export interface Chunk<T> {
  (): Promise<T>;
  /** The module once loaded; `undefined` before. */
  value: T | undefined;
}

export function chunk<T>(load: () => Promise<T>): Chunk<T> {
  let pending: Promise<T> | undefined;
  const get = (() =>
    (pending ??= load().then(
      (module) => (get.value = module),
      (error: unknown) => {
        pending = undefined;
        throw new ChunkLoadError(error);
      },
    ))) as Chunk<T>;
  get.value = undefined;
  return get;
}

/** Loads chunks when the browser is idle (at the latest after `timeout` ms). Silent on failure: the real use reports it. */
export function prefetch(chunks: ReadonlyArray<Chunk<unknown>>, timeout = 2000): void {
  const run = () => chunks.forEach((c) => void c().catch(() => {}));
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout });
  else setTimeout(run, 200);
}
