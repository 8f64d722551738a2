/**
 * The ehr-kit autoloader: import it once (`<script type="module" src=".../autoloader.js">`) and
 * each element's module is imported the first time its tag appears in the page, in the document
 * or in any open shadow root the autoloader can see. Tags and modules come from ./elements.ts,
 * generated from the element packages.
 */
import { elementLoaders } from './elements.js';

const pending = new Map(Object.entries(elementLoaders));
const loading = new Map<string, Promise<unknown>>();
const observed = new WeakSet<Document | ShadowRoot>();

/** Imports the module that registers `tag` (once); resolves when the element is defined. */
export function load(tag: string): Promise<unknown> {
  const started = loading.get(tag);
  if (started) return started;
  const loader = pending.get(tag);
  if (!loader) return Promise.resolve();
  pending.delete(tag);
  const done = loader()
    .then(() => customElements.whenDefined(tag))
    // The new element may render ehr-* tags inside its (open) shadow root.
    .then(() => scan(document))
    .catch((error: unknown) => {
      console.error(`[ehr-kit] could not load <${tag}>`, error);
      pending.set(tag, loader); // the next appearance of the tag tries again
      loading.delete(tag);
    });
  loading.set(tag, done);
  return done;
}

/**
 * Loads every ehr-kit tag under `root` and keeps watching it. The document is watched already;
 * call this for a closed shadow root you own. Resolves when what was found is defined.
 */
export function discover(root: Document | ShadowRoot | Element): Promise<unknown> {
  if (root instanceof Element) check(root);
  else watch(root);
  return Promise.all(loading.values());
}

function watch(root: Document | ShadowRoot): void {
  if (observed.has(root)) return;
  observed.add(root);
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) if (node instanceof Element) check(node);
  }).observe(root, { childList: true, subtree: true });
  scan(root);
}

function check(el: Element): void {
  if (pending.has(el.localName)) void load(el.localName);
  if (el.shadowRoot) watch(el.shadowRoot);
  scan(el);
}

function scan(scope: Document | ShadowRoot | Element): void {
  for (const tag of [...pending.keys()]) if (scope.querySelector(tag)) void load(tag);
  for (const el of scope.querySelectorAll('*')) if (el.shadowRoot) watch(el.shadowRoot);
}

if (typeof document !== 'undefined') watch(document);
