/**
 * Registers a custom element, guarded: a second registration of the same tag (two bundles, a
 * hot reload, the autoloader and a manual import) warns instead of throwing, and keeps the first.
 */
export function define(tag: string, ctor: CustomElementConstructor): void {
  const existing = customElements.get(tag);
  if (existing) {
    console.warn(
      existing === ctor
        ? `[ehr-kit] <${tag}> was registered twice; ignoring the second registration.`
        : `[ehr-kit] <${tag}> is already defined by another copy of ehr-kit; keeping the first.`,
    );
    return;
  }
  customElements.define(tag, ctor);
}
