/**
 * The page enforces Trusted Types (see the CSP in index.html). Lit brings its own `lit-html`
 * policy; MSW hands a plain string to `navigator.serviceWorker.register()`, so the page allows
 * exactly one script URL through a default policy: its own mock service worker. Anything else
 * stays blocked.
 */
interface TrustedTypePolicyFactory {
  readonly defaultPolicy: unknown;
  createPolicy(name: string, rules: { createScriptURL?: (url: string) => string | null }): unknown;
}
const tt = (window as unknown as { trustedTypes?: TrustedTypePolicyFactory }).trustedTypes;
const workerUrl = new URL('/mockServiceWorker.js', location.href).href;

if (tt && !tt.defaultPolicy) {
  tt.createPolicy('default', {
    createScriptURL: (url: string) => (new URL(url, location.href).href === workerUrl ? url : null),
  });
}
export {};
