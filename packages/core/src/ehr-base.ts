import { LitElement, type PropertyDeclarations } from 'lit';
import { ContextConsumer } from '@lit/context';
import { updateWhenLocaleChanges } from '@lit/localize';
import { FhirClient } from '@ehr-kit/fhir-client';
import type { AuthState, LaunchContext } from '@ehr-kit/auth';
import { authStateContext, fhirClientContext, launchContext, waitingForProvider } from './context.js';
import { emitEhrEvent, type EhrEventMap } from './events.js';
import { followDocumentLocale } from './i18n.js';

// One client per base URL for standalone elements, so ten elements on a page share one.
const ownClients = new Map<string, FhirClient>();

/** The client a standalone element uses for `fhir-base-url` (memoized per URL). */
export function clientFor(baseUrl: string): FhirClient {
  const key = baseUrl.replace(/\/+$/, '');
  let c = ownClients.get(key);
  if (!c) ownClients.set(key, (c = new FhirClient({ baseUrl: key })));
  return c;
}

/**
 * What `EhrElement` and `<ehr-provider>` share: the FHIR client lookup (injected `client`, else
 * the nearest `<ehr-provider>`, else its own `fhir-base-url`), context, re-rendering on locale
 * changes, `emit()`. Elements extend `EhrElement` (which adds `fhirTask()` and `fail()`); the
 * provider extends this, so a page's provider does not carry @lit/task or the error messages.
 *
 * Theme with `--ehr-*` tokens on the element, a provider or the page (see `tokenTable` for all),
 * and `theme="dark"` / `theme="light"` to override the system colour scheme.
 *
 * @cssprop --ehr-color-text - Body text.
 * @cssprop --ehr-color-surface - Background.
 * @cssprop --ehr-color-primary - Buttons, links, selection.
 * @cssprop --ehr-color-on-primary - Text on primary.
 * @cssprop --ehr-color-danger - Errors and invalid fields.
 * @cssprop --ehr-color-border - Input borders.
 * @cssprop --ehr-color-focus - Focus ring.
 * @cssprop --ehr-font-family - Typeface.
 * @cssprop --ehr-font-size-m - Base text size.
 * @cssprop --ehr-radius-m - Corner radius of buttons and boxes.
 * @cssprop --ehr-space-4 - The base spacing step (space-1…space-6).
 */
export class EhrBase extends LitElement {
  // Declared without decorators: a decorated class makes esbuild lower its decorators, `accessor`s
  // and every #private member, and an element that declares none would pay for those helpers.
  static override properties: PropertyDeclarations = {
    fhirBaseUrl: { attribute: 'fhir-base-url' },
    client: { attribute: false },
  };

  /** FHIR base URL, for use without an `<ehr-provider>` (open servers, or a BFF on the same origin). */
  declare fhirBaseUrl: string | undefined;

  /** A FhirClient to use as is; wins over the provider's and `fhir-base-url`. */
  declare client: FhirClient | undefined;

  // Controllers rather than @consume accessors: the same behaviour, a smaller bundle for every element.
  #ctxClient = new ContextConsumer(this, { context: fhirClientContext, subscribe: true, callback: () => (this.#answered = true) });
  #ctxAuth = new ContextConsumer(this, { context: authStateContext, subscribe: true });
  #ctxLaunch = new ContextConsumer(this, { context: launchContext, subscribe: true });

  /** The provider's client (from context; read `fhir` instead). */
  protected get contextClient(): FhirClient | undefined {
    return this.#ctxClient.value;
  }

  /** The provider's session (from context; read `session` instead). */
  protected get authState(): AuthState | undefined {
    return this.#ctxAuth.value;
  }

  /** The provider's launch context (from context; read `launch` instead). */
  protected get launchState(): LaunchContext | undefined {
    return this.#ctxLaunch.value;
  }

  /** A provider answered since the last connect. */
  #answered = false;
  /** Asks for the contexts again (a provider connected); done waiting once one answered. */
  #ask = () => {
    for (const c of [this.#ctxClient, this.#ctxAuth, this.#ctxLaunch]) c.hostConnected(); // = dispatch the request again
    if (this.#answered) waitingForProvider().delete(this.#ask);
  };

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override connectedCallback(): void {
    followDocumentLocale();
    this.#answered = false;
    super.connectedCallback(); // the context requests fire here
    // No provider answered (none yet, or its tag is not defined yet): the next one to connect asks again for us.
    if (!this.#answered) waitingForProvider().add(this.#ask);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    waitingForProvider().delete(this.#ask);
  }

  /** The client to use: `client` ?? the provider's ?? one for `fhir-base-url`; undefined if none. */
  protected get fhir(): FhirClient | undefined {
    return this.client ?? this.contextClient ?? (this.fhirBaseUrl ? clientFor(this.fhirBaseUrl) : undefined);
  }

  /** SMART launch context (`patient`, `encounter`) from the provider. */
  protected get launch(): LaunchContext | undefined {
    return this.launchState;
  }

  /** The provider's session state (`status`, `fhirUser`…), if any. */
  protected get session(): AuthState | undefined {
    return this.authState;
  }

  /** Dispatches a typed `ehr-*` event (bubbles, composed, cancelable); false if a listener prevented default. */
  protected emit<K extends keyof EhrEventMap>(type: K, detail: EhrEventMap[K]): boolean {
    return emitEhrEvent(this, type, detail);
  }
}
