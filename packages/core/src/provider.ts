import { html, css, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { ContextProvider } from '@lit/context';
import { msg } from '@lit/localize';
import { FhirClient, type TokenSource } from '@ehr-kit/fhir-client';
import type { AuthSource, AuthState, LaunchContext } from '@ehr-kit/auth';
import { authStateContext, ensureContextRoot, fhirClientContext, launchContext, waitingForProvider } from './context.js';
import { EhrBase } from './ehr-base.js';
import { pinEhrLocale } from './i18n.js';
import { alertStyles, buttonStyles, hostStyles, themeStyles, tokens } from './styles.js';

/** How the provider authenticates. */
export type AuthMode = 'smart' | 'token' | 'none';

/** Options `@ehr-kit/auth/smart`'s `createSmartAuth` takes. */
interface SmartModule {
  createSmartAuth(options: {
    fhirBaseUrl: string;
    clientId: string;
    scope?: string;
    redirectUri?: string;
    storage?: 'memory' | 'session';
  }): AuthSource;
}

const SIGN_IN_STATES = new Set(['signed-out', 'expired', 'denied', 'error']);

/**
 * Shares one FHIR client, the session and the SMART launch context with every ehr-kit element
 * inside it. Auth: `none` (open server), `token` (a host-supplied `accessToken` or
 * `tokenProvider`), or `smart` (SMART App Launch, loaded lazily). Sets the language of the
 * elements inside with `lang`, and their colour scheme with `theme`.
 *
 * @slot - The page content, with ehr-kit elements anywhere inside (shadow roots included).
 * @fires ehr-auth-changed - The session changed. detail: { state }. With `auth="token"`, a 401 inside
 *   makes it `expired`: set a new `accessToken` (or let `tokenProvider` refresh) to go back to `signed-in`.
 * @csspart sign-in - The sign-in prompt (`auth="smart"` only, when signed out, expired, denied or failed).
 * @csspart sign-in-button - Its button.
 * @cssprop --ehr-color-primary - Accent colour of buttons and links (every `--ehr-*` token set on the provider reaches every element inside).
 */
// EhrBase, not EhrElement: the provider runs no Task and shows no error messages of its own.
export class EhrProvider extends EhrBase {
  // Only the base pieces the sign-in prompt uses (no inputs, skeletons): a smaller provider.
  static override styles = [tokens, hostStyles, buttonStyles, alertStyles, themeStyles, css`
    /* The provider wraps the host's own content: it keeps the page's colours unless told a theme. */
    :host { display: block; color: inherit; background: none; font: inherit; }
    :host([theme]) { color: var(--_color-text); background: var(--_color-surface); }
    .sign-in { display: flex; flex-wrap: wrap; align-items: center; gap: var(--_space-3); margin-block-end: var(--_space-4); }
    .sign-in p { margin: 0; flex: 1 1 16rem; }
  `];

  // Declared without decorators, like EhrBase: a decorated class makes esbuild lower its
  // decorators, `accessor`s and every #private member (about 1 kB gzip for the provider alone).
  static override properties: PropertyDeclarations = {
    clientId: { attribute: 'client-id' },
    scope: {},
    redirectUri: { attribute: 'redirect-uri' },
    popup: { type: Boolean, reflect: true },
    auth: {},
    // Reflected like the native one, but never as lang="" (that would mark the page content's language unknown).
    lang: { reflect: true, converter: { toAttribute: (v: string) => v || null } },
    theme: { reflect: true },
    accessToken: { attribute: false },
    tokenProvider: { attribute: false },
    authSource: { attribute: false },
    launchContext: { attribute: false },
    authStateNow: { state: true, attribute: false }, // attribute: false for the manifest analyzer (state implies it)
  };

  /** OAuth client id registered with the authorization server (SMART). */
  declare clientId: string | undefined;
  /** Scopes to request (SMART); default `openid fhirUser launch/patient patient/*.rs offline_access`. */
  declare scope: string | undefined;
  /** Where the authorization server sends the browser back (SMART); default: this page. */
  declare redirectUri: string | undefined;
  /** Sign in in a popup window instead of redirecting, so the host page keeps its state (SMART; the sign-in button and `signIn()`). Default false. */
  declare popup: boolean;
  /** `smart` | `token` | `none`; default `token` when `accessToken`/`tokenProvider` is set, else `none`. */
  declare auth: AuthMode | undefined;
  /** Language of the elements inside (`en`, `es`, `es-MX`…); default `<html lang>`. */
  declare lang: string;
  /** `light` or `dark` to force a colour scheme; default follows the system. */
  declare theme: 'light' | 'dark' | undefined;
  /** A bearer token the host already has (`auth="token"`). */
  declare accessToken: string | undefined;
  /** Called for a token before each request, and with `{ forceRefresh: true }` after a 401. */
  declare tokenProvider: TokenSource | undefined;
  /** Any AuthSource (BFF, callback, custom); used instead of building one. With `auth="smart"` it is taken as the SMART source (sign-in prompt included). */
  declare authSource: AuthSource | undefined;
  /** Launch context the host knows (`{ patient, encounter }`) when not using SMART. */
  declare launchContext: LaunchContext | undefined;

  #pClient = new ContextProvider(this, { context: fhirClientContext });
  #pAuth = new ContextProvider(this, { context: authStateContext });
  #pLaunch = new ContextProvider(this, { context: launchContext });

  /** The client given to the elements inside (set `client` or `fhir-base-url` to change it). */
  protected get providedClient(): FhirClient | undefined {
    return this.#pClient.value;
  }
  protected set providedClient(client: FhirClient | undefined) {
    this.#pClient.setValue(client);
  }
  /** The session given to the elements inside. */
  protected get providedAuth(): AuthState | undefined {
    return this.#pAuth.value;
  }
  protected set providedAuth(state: AuthState | undefined) {
    this.#pAuth.setValue(state);
  }
  /** The launch context given to the elements inside. */
  protected get providedLaunch(): LaunchContext | undefined {
    return this.#pLaunch.value;
  }
  protected set providedLaunch(launch: LaunchContext | undefined) {
    this.#pLaunch.setValue(launch);
  }

  /** The session as of now. */
  declare authStateNow: AuthState;

  #smart: AuthSource | undefined;
  #smartKey = '';
  #unsubscribe: (() => void) | undefined;
  /** What the provided client was made from (so it is remade only when one of them changes). */
  #clientFrom: [string | undefined, string, AuthSource | undefined] | undefined;
  #lastEmitted = '';
  /** A request inside was refused with 401 while using the host's token. */
  #tokenRefused = false;
  #tokenSource: TokenSource = (o) => (this.tokenProvider ? this.tokenProvider(o) : Promise.resolve(this.accessToken));

  constructor() {
    super();
    this.popup = false;
    this.lang = '';
    this.authStateNow = { status: 'anonymous', launch: {} };
    // A 401 with the host's token means the host must give a new one: say so with ehr-auth-changed.
    this.addEventListener('ehr-error', (e) => {
      const error = (e as CustomEvent<{ error: unknown }>).detail?.error as { status?: number } | undefined;
      if (error?.status === 401 && !this.#inherits && this.authMode === 'token') {
        this.#tokenRefused = true;
        this.requestUpdate();
      }
    });
  }

  /** Nothing of its own to provide: no client, URL, auth or source. */
  get #inherits(): boolean {
    return !this.client && !this.fhirBaseUrl && !this.auth && !this.authSource && !this.accessToken && !this.tokenProvider;
  }

  /** The auth mode in effect. */
  get authMode(): AuthMode | 'source' {
    // auth="smart" with an authSource: the host built the SMART source itself; it gets the prompt.
    if (this.authSource) return this.auth === 'smart' ? 'smart' : 'source';
    return this.auth ?? (this.accessToken || this.tokenProvider ? 'token' : 'none');
  }

  /** The AuthSource in use (SMART or injected), if any. */
  get activeAuthSource(): AuthSource | undefined {
    return this.authSource ?? (this.authMode === 'smart' ? this.#smart : undefined);
  }

  /** The client every element inside uses. */
  override get fhir(): FhirClient | undefined {
    return this.providedClient;
  }

  /** Starts sign-in (SMART or an injected AuthSource); in a popup when `popup` is set, unless `options` says otherwise. */
  async signIn(options?: { popup?: boolean }): Promise<void> {
    const source = this.activeAuthSource;
    if (source) return source.signIn(options ?? (this.popup ? { popup: true } : undefined));
    // SMART failed to load: try again from the start.
    this.#smartKey = '';
    this.requestUpdate();
  }

  /** Signs out (SMART or an injected AuthSource). */
  async signOut(): Promise<void> {
    await this.activeAuthSource?.signOut();
  }

  override connectedCallback(): void {
    ensureContextRoot();
    super.connectedCallback();
    // Elements that connected before this provider (or before its tag was defined) ask again now.
    waitingForProvider().forEach((ask) => ask());
    // Moved in the page: listen to the session and pin the language again.
    if (this.hasUpdated) {
      if (this.lang) void pinEhrLocale(this.lang, this);
      this.requestUpdate();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    if (this.lang) void pinEhrLocale(undefined, this);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Only a provider that has (or had) a lang touches the page's locale.
    if (changed.has('lang') && (this.lang || changed.get('lang'))) void pinEhrLocale(this.lang || undefined, this);
    if (this.#inherits) {
      // A provider nested only to set lang/theme passes its parent's session through.
      this.#unsubscribe?.();
      this.#unsubscribe = this.#subscribedTo = undefined;
      this.#clientFrom = undefined;
      this.providedClient = this.contextClient;
      this.providedAuth = this.authState;
      this.providedLaunch = this.launchContext ?? this.launchState;
      return;
    }
    if (changed.has('accessToken') || changed.has('tokenProvider')) this.#tokenRefused = false;
    this.#syncAuth();
    this.#syncClient();
    const launch = this.authStateNow.launch;
    const mergedLaunch = { ...this.launchContext, ...launch };
    if (JSON.stringify(mergedLaunch) !== JSON.stringify(this.providedLaunch)) this.providedLaunch = mergedLaunch;
    if (this.providedAuth !== this.authStateNow) this.providedAuth = this.authStateNow;
  }

  protected override updated(): void {
    if (this.#inherits) return;
    const key = JSON.stringify(this.authStateNow);
    if (key !== this.#lastEmitted) {
      const first = this.#lastEmitted === '';
      this.#lastEmitted = key;
      // The first state is news only when it is not the trivial anonymous one.
      if (!first || this.authStateNow.status !== 'anonymous') this.emit('ehr-auth-changed', { state: this.authStateNow });
    }
  }

  #syncAuth(): void {
    const mode = this.authMode;
    const source = this.authSource ?? (mode === 'smart' ? this.#ensureSmart() : undefined);
    // SMART still loading (or misconfigured): #ensureSmart owns the state until the source exists.
    if (!source && mode === 'smart') return;
    if (source) {
      if (!this.#unsubscribe || this.#subscribedTo !== source) {
        this.#unsubscribe?.();
        this.#subscribedTo = source;
        this.#unsubscribe = source.subscribe((s) => (this.authStateNow = s));
        this.authStateNow = source.state;
      }
      return;
    }
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#subscribedTo = undefined;
    const status =
      mode !== 'token'
        ? 'anonymous'
        : this.#tokenRefused
          ? 'expired'
          : this.accessToken || this.tokenProvider
            ? 'signed-in'
            : 'signed-out';
    if (this.authStateNow.status !== status) this.authStateNow = { status, launch: {} };
  }
  #subscribedTo: AuthSource | undefined;

  #syncClient(): void {
    if (this.client) {
      this.#clientFrom = undefined;
      if (this.providedClient !== this.client) this.providedClient = this.client;
      return;
    }
    const source = this.activeAuthSource;
    const mode = this.authMode;
    const from = this.#clientFrom;
    if (from && from[0] === this.fhirBaseUrl && from[1] === mode && from[2] === source) return;
    this.#clientFrom = [this.fhirBaseUrl, mode, source];
    if (!this.fhirBaseUrl || (mode === 'smart' && !source)) {
      this.providedClient = undefined;
      return;
    }
    this.providedClient = new FhirClient({
      baseUrl: this.fhirBaseUrl,
      ...(source
        ? { tokenSource: source.tokenSource, ...(source.credentials ? { credentials: source.credentials } : {}) }
        : mode === 'token'
          ? { tokenSource: this.#tokenSource }
          : {}),
    });
  }

  /** Loads `@ehr-kit/auth/smart` once per configuration; the client appears when it is ready. */
  #ensureSmart(): AuthSource | undefined {
    const key = `${this.fhirBaseUrl}|${this.clientId}|${this.scope}|${this.redirectUri}`;
    if (key === this.#smartKey || !this.isConnected) return this.#smart;
    this.#smartKey = key;
    this.#smart = undefined;
    if (!this.fhirBaseUrl || !this.clientId) {
      this.authStateNow = { status: 'error', error: 'fhir-base-url and client-id are required for auth="smart"', launch: {} };
      return undefined;
    }
    const options = {
      fhirBaseUrl: this.fhirBaseUrl,
      clientId: this.clientId,
      ...(this.scope ? { scope: this.scope } : {}),
      ...(this.redirectUri ? { redirectUri: this.redirectUri } : {}),
      storage: 'session' as const,
    };
    void (async () => {
      try {
        const mod = (await import('@ehr-kit/auth/smart')) as unknown as SmartModule;
        if (key !== this.#smartKey) return;
        const source = mod.createSmartAuth(options);
        this.#smart = source;
        this.authStateNow = source.state;
        this.requestUpdate();
        await source.init();
        if (key === this.#smartKey) this.authStateNow = source.state;
      } catch (error) {
        if (key === this.#smartKey) this.authStateNow = { status: 'error', error: String(error), launch: {} };
      }
    })();
    return undefined;
  }

  #promptText(): string {
    switch (this.authStateNow.status) {
      case 'expired':
        return msg('Your session ended. Sign in again to continue — what you typed is still here.', { id: 'core.signin.expired' });
      case 'denied':
        return msg('Access was not allowed. Sign in again to give access.', { id: 'core.signin.denied' });
      case 'error':
        return msg('We could not sign you in. Please try again.', { id: 'core.signin.error' });
      default:
        return msg('Please sign in to continue.', { id: 'core.signin.prompt' });
    }
  }

  override render() {
    const prompt =
      !this.#inherits && this.authMode === 'smart' && SIGN_IN_STATES.has(this.authStateNow.status)
        ? html`<section part="sign-in" class="sign-in alert" aria-label=${msg('Sign in', { id: 'core.signin.label' })}>
            <p role="status">${this.#promptText()}</p>
            <button part="sign-in-button" class="btn btn-primary" type="button" @click=${() => this.signIn()}>
              ${msg('Sign in', { id: 'core.signin.button' })}
            </button>
          </section>`
        : nothing;
    return html`${prompt}<slot></slot>`;
  }
}
