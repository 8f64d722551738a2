/**
 * `@ehr-kit/auth/smart`: SMART App Launch 2.x (standalone and EHR launch) on oidc-client-ts.
 *
 * This is the only module that imports oidc-client-ts; core loads it with
 * `import('@ehr-kit/auth/smart')` only when `<ehr-provider auth="smart">`, so elements never pay for it.
 *
 * - Discovery from `{fhirBaseUrl}/.well-known/smart-configuration` (fed to oidc-client-ts as
 *   `metadata`; no OIDC discovery request).
 * - Authorization code + PKCE S256; `state` is checked by oidc-client-ts against its state store.
 * - EHR launch: `?iss=…&launch=…` → the `launch` scope and `launch` parameter; `aud` = FHIR base URL.
 * - Scopes v2 (`patient/*.rs`), rewritten to v1 (`patient/*.read`) when the server does not declare v2.
 * - Tokens in memory or sessionStorage, never localStorage (also oidc-client-ts's state store).
 * - The token response's launch context (`patient`, `encounter`, `fhirContext`,
 *   `need_patient_banner`, `intent`), which oidc-client-ts's `User` drops, is kept here.
 * - Refresh with the refresh token before expiry (and on demand after a 401).
 */
import { ErrorResponse, InMemoryWebStorage, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { OidcClient, SigninResponse, User, UserManagerSettings } from 'oidc-client-ts';
import type { AuthSource, AuthState, LaunchContext, TokenSource } from './types.js';

export type { AuthSource, AuthState, AuthStatus, LaunchContext } from './types.js';

export interface SmartAuthOptions {
  /** The FHIR server's base URL: where `.well-known/smart-configuration` lives, and the `aud`. */
  fhirBaseUrl: string;
  /** The app's client_id, registered with the authorization server (a public client). */
  clientId: string;
  /** Requested scopes, SMART v2 syntax. Default `openid fhirUser launch/patient patient/*.rs offline_access`. */
  scope?: string;
  /** Where the server sends the browser back. Default: this page without its query. */
  redirectUri?: string;
  /** Where a popup sign-in comes back; default `redirectUri`. That page must call `init()` or `smartPopupCallback()`. */
  popupRedirectUri?: string;
  /** Where tokens are kept: 'memory' (lost on reload) or 'session' (sessionStorage, this tab only). Default 'session'. */
  storage?: 'memory' | 'session';
  /** Sign in with a popup instead of a redirect by default. */
  popup?: boolean;
  /** Other FHIR base URLs an EHR may launch this app with (`iss`); `fhirBaseUrl` is always allowed. */
  allowedIssuers?: string[];
  /** Refresh this long before the access token expires (capped at a quarter of its lifetime). Default 60 s. */
  refreshLeewaySeconds?: number;
}

/** The parts of `.well-known/smart-configuration` this module reads. */
export interface SmartConfiguration {
  issuer?: string;
  authorization_endpoint: string;
  token_endpoint: string;
  revocation_endpoint?: string;
  introspection_endpoint?: string;
  userinfo_endpoint?: string;
  jwks_uri?: string;
  scopes_supported?: string[];
  capabilities?: string[];
  code_challenge_methods_supported?: string[];
  grant_types_supported?: string[];
}

export interface SmartAuthSource extends AuthSource {
  /** The FHIR base URL in use: `fhirBaseUrl`, or the EHR's `iss` when it launched us with an allowed one. */
  readonly fhirBaseUrl: string;
  /** Stops the refresh timer and listeners (the session itself is kept). */
  dispose(): void;
}

const DEFAULT_SCOPE = 'openid fhirUser launch/patient patient/*.rs offline_access';
const POPUP_MARK = 'ehr-kit-popup';
/** The popup's window name (one sign-in popup at a time, reused if still open). */
export const POPUP_TARGET = 'ehr-kit-smart-sign-in';
const CALLBACK_PARAMS = ['code', 'state', 'session_state', 'iss', 'error', 'error_description', 'error_uri', 'launch'];
const V2_SCOPE = /^(patient|user|system)\/[^.\s]+\.[cruds]+(\?\S*)?$/;

/** Creates the SMART AuthSource. Nothing happens on the network until `init()`. */
export function createSmartAuth(options: SmartAuthOptions): SmartAuthSource {
  return new SmartAuth(options);
}

/**
 * For a dedicated popup callback page (`popupRedirectUri`) that does not create a SmartAuth:
 * hands the authorization response to the opener and closes.
 */
export async function smartPopupCallback(url: string = location.href): Promise<void> {
  await new UserManager({ authority: 'about:blank', client_id: 'popup', redirect_uri: url }).signinPopupCallback(url);
}

/** Reads `.well-known/smart-configuration` for a FHIR base URL. */
export async function discoverSmart(fhirBaseUrl: string, signal?: AbortSignal): Promise<SmartConfiguration> {
  const response = await fetch(`${trimSlash(fhirBaseUrl)}/.well-known/smart-configuration`, {
    headers: { accept: 'application/json' },
    signal,
  });
  if (!response.ok) throw new Error(`smart-configuration: HTTP ${response.status}`);
  const config = (await response.json()) as SmartConfiguration;
  if (!config.authorization_endpoint || !config.token_endpoint) {
    throw new Error('smart-configuration lacks authorization_endpoint/token_endpoint');
  }
  return config;
}

/** True when the server declares SMART v2 scopes (capability `permission-v2`, or a v2 scope in `scopes_supported`). */
export function supportsScopesV2(config: Pick<SmartConfiguration, 'capabilities' | 'scopes_supported'>): boolean {
  return !!config.capabilities?.includes('permission-v2') || !!config.scopes_supported?.some((s) => V2_SCOPE.test(s));
}

/**
 * The scope string to send: v2 scopes rewritten to v1 (`.rs` → `.read`, `.cud` → `.write`, both → `.*`)
 * when the server lacks v2; `launch` added for an EHR launch and dropped for a standalone one.
 */
export function smartScope(requested: string, config: Pick<SmartConfiguration, 'capabilities' | 'scopes_supported'>, ehrLaunch: boolean): string {
  const v2 = supportsScopesV2(config);
  let scopes = requested.split(/\s+/).filter(Boolean);
  if (!v2) {
    scopes = scopes.map((s) => {
      const m = /^(patient|user|system)\/([^.\s]+)\.([cruds]+)(\?\S*)?$/.exec(s);
      if (!m) return s;
      const read = /[rs]/.test(m[3]!);
      const write = /[cud]/.test(m[3]!);
      return `${m[1]}/${m[2]}.${read && write ? '*' : write ? 'write' : 'read'}`;
    });
  }
  scopes = scopes.filter((s) => s !== 'launch');
  if (ehrLaunch) scopes.unshift('launch');
  return [...new Set(scopes)].join(' ');
}

/** The SMART launch context fields of a token response. */
export function launchContextFrom(tokenResponse: Record<string, unknown>): LaunchContext {
  const launch: LaunchContext = {};
  if (typeof tokenResponse.patient === 'string') launch.patient = tokenResponse.patient;
  if (typeof tokenResponse.encounter === 'string') launch.encounter = tokenResponse.encounter;
  if (Array.isArray(tokenResponse.fhirContext)) launch.fhirContext = tokenResponse.fhirContext as LaunchContext['fhirContext'];
  if (typeof tokenResponse.need_patient_banner === 'boolean') launch.needPatientBanner = tokenResponse.need_patient_banner;
  if (typeof tokenResponse.intent === 'string') launch.intent = tokenResponse.intent;
  return launch;
}

/**
 * oidc-client-ts builds its `User` from a SigninResponse onto which the whole token response was
 * copied (`Object.assign(response, tokenResponse)`), then drops the fields it does not know. Both
 * public OidcClient methods that return such a response (code exchange, refresh) are wrapped here so
 * the raw fields reach `onTokenResponse` before the `User` is built.
 */
class SmartUserManager extends UserManager {
  constructor(settings: UserManagerSettings, onTokenResponse: (response: SigninResponse, refresh: boolean) => void) {
    super(settings);
    const client: OidcClient = this._client;
    const processSigninResponse = client.processSigninResponse.bind(client);
    const useRefreshToken = client.useRefreshToken.bind(client);
    client.processSigninResponse = async (...args) => {
      const response = await processSigninResponse(...args);
      onTokenResponse(response, false);
      return response;
    };
    client.useRefreshToken = async (...args) => {
      const response = await useRefreshToken(...args);
      onTokenResponse(response, true);
      return response;
    };
  }
}

class SmartAuth implements SmartAuthSource {
  #options: SmartAuthOptions;
  #state: AuthState = { status: 'signed-out', launch: {} };
  #listeners = new Set<(state: AuthState) => void>();
  #store: Storage;
  #keyPrefix: string;
  #fhirBaseUrl: string;
  #config?: SmartConfiguration;
  #manager?: SmartUserManager;
  #user?: User;
  #pendingLaunch?: LaunchContext;
  #refreshing?: Promise<User | undefined>;
  #timer?: ReturnType<typeof setTimeout>;
  #initialized?: Promise<void>;
  #lifetimeSeconds = 0;

  constructor(options: SmartAuthOptions) {
    this.#options = options;
    this.#fhirBaseUrl = options.fhirBaseUrl;
    this.#store = options.storage === 'memory' ? new InMemoryWebStorage() : sessionStorage;
    this.#keyPrefix = `ehr-kit.smart.${options.clientId}.`;
  }

  get state(): AuthState {
    return this.#state;
  }

  get fhirBaseUrl(): string {
    return this.#fhirBaseUrl;
  }

  readonly tokenSource: TokenSource = async (options) => {
    if (this.#initialized) await this.#initialized.catch(() => {});
    const user = this.#user;
    if (!user) return undefined;
    // About to expire (5 s, or a quarter of a short token's life): refresh first.
    if (options?.forceRefresh || this.#expiresWithin(user, Math.min(5, this.#lifetimeSeconds / 4))) {
      return (await this.#refresh())?.access_token;
    }
    return user.access_token;
  };

  subscribe(listener: (state: AuthState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  init(): Promise<void> {
    this.#initialized ??= this.#init();
    return this.#initialized;
  }

  async signIn(options?: { popup?: boolean }): Promise<void> {
    await this.init().catch(() => {});
    await this.#signIn({ popup: options?.popup ?? this.#options.popup ?? false });
  }

  async signOut(): Promise<void> {
    this.#clearTimer();
    const manager = this.#manager;
    const user = this.#user;
    this.#user = undefined;
    this.#store.removeItem(this.#keyPrefix + 'launch');
    if (manager) {
      if (user?.refresh_token && this.#config?.revocation_endpoint) {
        await manager.revokeTokens(['refresh_token']).catch(() => {});
      }
      await manager.removeUser();
    }
    this.#set({ status: 'signed-out', launch: {} });
  }

  dispose(): void {
    this.#clearTimer();
    this.#listeners.clear();
  }

  // ---- internals ----

  async #init(): Promise<void> {
    const url = new URL(location.href);
    const params = url.searchParams;
    const stateParam = params.get('state');

    // A popup sign-in came back here: hand the response to the opener (which exchanges the code).
    if (stateParam && decodeURIComponent(stateParam).split(';')[1] === POPUP_MARK) {
      this.#set({ status: 'signing-in', launch: {} });
      await smartPopupCallback(url.href);
      return;
    }

    // An EHR launched us: it may name its own FHIR server (iss), which must be one we trust.
    const iss = params.get('iss');
    const launch = params.get('launch');
    const ehrLaunch = !!(iss && launch && !params.has('code') && !params.has('error'));
    if (ehrLaunch && !this.#issuerAllowed(iss!)) {
      cleanUrl(url);
      this.#set({ status: 'error', error: 'untrusted_iss', launch: {} });
      return;
    }
    const callback = !!stateParam && (params.has('code') || params.has('error'));
    // The FHIR server this session belongs to (an EHR's iss survives the redirect in sessionStorage).
    const sessionIss = sessionStorage.getItem(this.#keyPrefix + 'iss');
    if (ehrLaunch) this.#fhirBaseUrl = iss!;
    else if (sessionIss && this.#issuerAllowed(sessionIss) && (callback || this.#options.storage !== 'memory')) this.#fhirBaseUrl = sessionIss;

    try {
      await this.#ensureManager();
    } catch (error) {
      this.#set({ status: 'error', error: 'discovery_failed', launch: {} });
      throw error;
    }

    if (ehrLaunch) {
      cleanUrl(url);
      await this.#signIn({ popup: false, launch: launch! });
      return;
    }

    if (callback) {
      this.#set({ status: 'signing-in', launch: {} });
      try {
        const user = await this.#manager!.signinRedirectCallback(url.href);
        this.#accept(user);
      } catch (error) {
        this.#fail(error);
      } finally {
        cleanUrl(url);
      }
      return;
    }

    // Reload: pick up the session kept in sessionStorage.
    const user = await this.#manager!.getUser();
    if (user) {
      this.#user = user;
      this.#pendingLaunch = readJson<LaunchContext>(this.#store, this.#keyPrefix + 'launch');
      if (user.expired && !user.refresh_token) {
        await this.#expire('expired_token');
      } else if (user.expired) {
        await this.#refresh();
      } else {
        this.#accept(user);
      }
    }
  }

  async #signIn({ popup, launch }: { popup: boolean; launch?: string }): Promise<void> {
    if (!this.#manager) {
      try {
        await this.#ensureManager();
      } catch (error) {
        this.#set({ status: 'error', error: 'discovery_failed', launch: {} });
        throw error;
      }
    }
    const manager = this.#manager!;
    const scope = smartScope(this.#options.scope ?? DEFAULT_SCOPE, this.#config!, !!launch);
    // aud exactly as the host (or the EHR's iss) spelled it: servers compare it to their base URL.
    const extraQueryParams: Record<string, string> = { aud: this.#fhirBaseUrl };
    if (launch) extraQueryParams.launch = launch;
    sessionStorage.setItem(this.#keyPrefix + 'iss', this.#fhirBaseUrl);
    this.#set({ status: 'signing-in', launch: {} });
    try {
      if (popup) {
        const user = await manager.signinPopup({
          scope,
          extraQueryParams,
          url_state: POPUP_MARK,
          popupWindowTarget: POPUP_TARGET,
          // Without this, a popup the user closes would leave sign-in pending forever.
          popupAbortOnClose: true,
        });
        this.#accept(user);
      } else {
        await manager.signinRedirect({ scope, extraQueryParams });
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      if (popup && /closed/i.test(message)) {
        // The user closed the popup: a change of mind, not a failure.
        this.#user = undefined;
        this.#set({ status: 'signed-out', error: 'popup_closed', launch: {} });
        return;
      }
      if (popup && /disposed window|blocked/i.test(message)) {
        this.#user = undefined;
        this.#set({ status: 'error', error: 'popup_blocked', launch: {} });
        return;
      }
      this.#fail(error);
      if (!(error instanceof ErrorResponse)) throw error;
    }
  }

  async #ensureManager(): Promise<void> {
    if (this.#manager) return;
    const config = await discoverSmart(this.#fhirBaseUrl);
    this.#config = config;
    const redirectUri = this.#options.redirectUri ?? location.origin + location.pathname;
    const sessionStore = new WebStorageStateStore({ store: sessionStorage, prefix: this.#keyPrefix + 'state.' });
    this.#manager = new SmartUserManager(
      {
        authority: config.issuer ?? this.#fhirBaseUrl,
        metadata: {
          issuer: config.issuer ?? this.#fhirBaseUrl,
          authorization_endpoint: config.authorization_endpoint,
          token_endpoint: config.token_endpoint,
          revocation_endpoint: config.revocation_endpoint,
          introspection_endpoint: config.introspection_endpoint,
          userinfo_endpoint: config.userinfo_endpoint,
          jwks_uri: config.jwks_uri,
        },
        client_id: this.#options.clientId,
        redirect_uri: redirectUri,
        popup_redirect_uri: this.#options.popupRedirectUri ?? redirectUri,
        response_type: 'code',
        scope: this.#options.scope ?? DEFAULT_SCOPE,
        // PKCE/state only live for the round trip; sessionStorage (this tab) survives the redirect.
        stateStore: sessionStore,
        userStore: new WebStorageStateStore({ store: this.#store, prefix: this.#keyPrefix + 'user.' }),
        automaticSilentRenew: false,
        monitorSession: false,
        loadUserInfo: false,
        filterProtocolClaims: true,
        // SMART servers take the client_id in the token request body; no secret for a public client.
        client_authentication: 'client_secret_post',
      },
      (response, refresh) => {
        const fromResponse = launchContextFrom(response as unknown as Record<string, unknown>);
        // A refresh response usually omits the context: keep what the launch gave us.
        this.#pendingLaunch = refresh && !Object.keys(fromResponse).length ? this.#pendingLaunch : fromResponse;
        if (this.#pendingLaunch) this.#store.setItem(this.#keyPrefix + 'launch', JSON.stringify(this.#pendingLaunch));
      },
    );
  }

  #accept(user: User): void {
    this.#user = user;
    const fhirUser = (user.profile as Record<string, unknown> | undefined)?.fhirUser;
    this.#set({
      status: 'signed-in',
      fhirUser: typeof fhirUser === 'string' ? fhirUser : undefined,
      scope: user.scope,
      expiresAt: user.expires_at ? user.expires_at * 1000 : undefined,
      launch: { ...(this.#pendingLaunch ?? {}) },
    });
    this.#schedule(user);
  }

  #fail(error: unknown): void {
    this.#user = undefined;
    if (error instanceof ErrorResponse && error.error === 'access_denied') {
      this.#set({ status: 'denied', error: 'access_denied', launch: {} });
    } else if (error instanceof ErrorResponse) {
      this.#set({ status: 'error', error: error.error ?? 'server_error', launch: {} });
    } else {
      const message = error instanceof Error ? error.message : String(error);
      this.#set({ status: 'error', error: /state/i.test(message) ? 'invalid_state' : message, launch: {} });
    }
  }

  async #refresh(): Promise<User | undefined> {
    this.#refreshing ??= (async () => {
      const user = this.#user;
      if (!user?.refresh_token || !this.#manager) {
        if (user && this.#expiresWithin(user, 0)) await this.#expire('expired_token');
        return user && !this.#expiresWithin(user, 0) ? user : undefined;
      }
      try {
        const next = await this.#manager.signinSilent();
        if (!next) throw new Error('no user after refresh');
        this.#accept(next);
        return next;
      } catch (error) {
        // The refresh token was refused (revoked, expired, session ended): the user must sign in again.
        await this.#expire(error instanceof ErrorResponse ? (error.error ?? 'invalid_grant') : 'refresh_failed');
        return undefined;
      }
    })().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #expire(reason: string): Promise<void> {
    this.#clearTimer();
    this.#user = undefined;
    await this.#manager?.removeUser().catch(() => {});
    this.#store.removeItem(this.#keyPrefix + 'launch');
    this.#set({ status: 'expired', error: reason, launch: {} });
  }

  #schedule(user: User): void {
    this.#clearTimer();
    if (!user.expires_at) return;
    const msLeft = user.expires_at * 1000 - Date.now();
    const lifetime = Math.max(msLeft, 0);
    this.#lifetimeSeconds = lifetime / 1000;
    const leeway = Math.min((this.#options.refreshLeewaySeconds ?? 60) * 1000, lifetime / 4);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#refresh();
    }, Math.max(msLeft - leeway, 0));
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #expiresWithin(user: User, seconds: number): boolean {
    return user.expires_at !== undefined && user.expires_at * 1000 - Date.now() <= seconds * 1000;
  }

  #issuerAllowed(iss: string): boolean {
    const allowed = [this.#options.fhirBaseUrl, ...(this.#options.allowedIssuers ?? [])].map(trimSlash);
    return allowed.includes(trimSlash(iss));
  }

  #set(state: AuthState): void {
    this.#state = state;
    for (const listener of [...this.#listeners]) listener(state);
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function cleanUrl(url: URL): void {
  const clean = new URL(url.href);
  for (const p of CALLBACK_PARAMS) clean.searchParams.delete(p);
  if (clean.href !== location.href) history.replaceState(history.state, '', clean.href);
}

function readJson<T>(store: Storage, key: string): T | undefined {
  try {
    const raw = store.getItem(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}
