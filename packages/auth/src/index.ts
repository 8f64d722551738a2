/**
 * `@ehr-kit/auth`: where the FHIR client's access token comes from.
 *
 * This entry point is tiny and eager. The SMART App Launch implementation (and oidc-client-ts)
 * lives in `@ehr-kit/auth/smart` and is only loaded by `import('@ehr-kit/auth/smart')`.
 */
import type { AuthSource, AuthState, TokenSource } from './types.js';

export type { AuthSource, AuthState, AuthStatus, LaunchContext, TokenSource } from './types.js';

/** A minimal AuthSource whose state never changes after creation unless `set` is called. */
function simpleSource(initial: AuthState, tokenSource: TokenSource, credentials?: RequestCredentials): AuthSource & { set(state: AuthState): void } {
  let state = initial;
  const listeners = new Set<(state: AuthState) => void>();
  return {
    get state() {
      return state;
    },
    tokenSource,
    credentials,
    async init() {},
    async signIn() {},
    async signOut() {},
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      state = next;
      for (const l of listeners) l(state);
    },
  };
}

/** No token at all (open servers, the mock). */
export function noAuth(): AuthSource {
  return simpleSource({ status: 'anonymous', launch: {} }, async () => undefined);
}

/**
 * A bearer token the host already holds (e.g. from its own login). Replace it by creating a new
 * source; the token is sent as-is and never refreshed here.
 */
export function staticTokenAuth(token: string): AuthSource {
  return simpleSource({ status: token ? 'signed-in' : 'signed-out', launch: {} }, async () => token || undefined);
}

/**
 * The host supplies tokens on demand: `tokenProvider({ forceRefresh })` is called before every
 * request (and once more with `forceRefresh: true` after a 401). Cache inside it if it is costly.
 */
export function callbackAuth(tokenProvider: TokenSource): AuthSource {
  const source = simpleSource({ status: 'signed-in', launch: {} }, async (options) => {
    try {
      const token = await tokenProvider(options);
      if (source.state.status !== 'signed-in' && token) source.set({ status: 'signed-in', launch: {} });
      if (!token && source.state.status !== 'signed-out') source.set({ status: 'signed-out', launch: {} });
      return token;
    } catch (error) {
      source.set({ status: 'error', error: error instanceof Error ? error.message : String(error), launch: {} });
      throw error;
    }
  });
  return source;
}

export interface BffAuthOptions {
  /**
   * Same-origin URL of the host's FHIR proxy (backend-for-frontend), e.g. `/api/fhir`. The proxy
   * holds the real credentials and adds them server-side; the browser only sends its session cookie.
   */
  proxyBaseUrl: string;
  /** Defaults to 'include' so the session cookie goes with every request (also to a sibling subdomain). */
  credentials?: RequestCredentials;
}

/**
 * Backend-for-frontend: no token ever reaches the browser. Point the FHIR client's base URL at
 * `proxyBaseUrl` (`<ehr-provider fhir-base-url="/api/fhir" auth="none">` with this source, or
 * `new FhirClient({ baseUrl: source.proxyBaseUrl, credentials: source.credentials })`).
 * See README.md for why M2M client secrets must stay on the server.
 */
export function bffAuth(options: BffAuthOptions): AuthSource & { readonly proxyBaseUrl: string } {
  const source = simpleSource({ status: 'anonymous', launch: {} }, async () => undefined, options.credentials ?? 'include');
  return Object.assign(source, { proxyBaseUrl: options.proxyBaseUrl });
}
