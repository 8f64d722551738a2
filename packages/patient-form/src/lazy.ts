/**
 * Code loaded on first need (a dynamic `import()`), once per page: `load()` starts or joins the
 * load, `load.value` is the module once it is in. A failed load is not remembered, so the next
 * need (a retry) tries again.
 */
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
