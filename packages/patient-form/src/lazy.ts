/**
 * Code loaded on first need (a dynamic `import()`), once per page: `load()` starts or joins the
 * load, `load.value` is the module once it is in. A failed load is not remembered, so the next
 * need (a retry) tries again.
 */
/** The chunks' loaders, read at call time (replaceable: a test makes one fail). */
export const importers = {
  /** Rules, FHIR mapping, saving, the duplicate and conflict panels. */
  flow: () => import('./flow.js'),
};

export interface Lazy<T> {
  (): Promise<T>;
  value?: T;
}

export function lazy<T>(load: () => Promise<T>): Lazy<T> {
  let pending: Promise<T> | undefined;
  const get: Lazy<T> = () =>
    (pending ??= load().then(
      (value) => (get.value = value),
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    ));
  return get;
}
