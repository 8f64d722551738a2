/**
 * The seam between `@ehr-kit/auth` and its callers (`<ehr-provider>`, hosts). See docs/ARCHITECTURE.md.
 * Type-only module: importing it adds nothing to a bundle.
 */
import type { TokenSource } from '@ehr-kit/fhir-client';

export type { TokenSource };

/**
 * Where the session stands.
 * - `anonymous`: no sign-in is involved (no auth, static token, BFF).
 * - `signed-out`: SMART is configured but nobody is signed in (or the session ended).
 * - `signing-in`: a redirect, popup or code exchange is in flight.
 * - `signed-in`: a usable access token is held.
 * - `expired`: the access token expired and could not be renewed; sign in again.
 * - `denied`: the user (or the server) refused the authorization request.
 * - `error`: anything else went wrong (bad state, discovery failed, network); see `error`.
 */
export type AuthStatus = 'anonymous' | 'signed-out' | 'signing-in' | 'signed-in' | 'expired' | 'denied' | 'error';

/** SMART launch context from the token response (`patient`, `encounter`, `fhirContext`, `need_patient_banner`, `intent`). */
export interface LaunchContext {
  patient?: string;
  encounter?: string;
  fhirContext?: Array<{ reference?: string; type?: string; role?: string }>;
  needPatientBanner?: boolean;
  intent?: string;
}

export interface AuthState {
  status: AuthStatus;
  /** The signed-in user's FHIR resource URL (`fhirUser` claim), when the server sends one. */
  fhirUser?: string;
  /** Scopes actually granted. */
  scope?: string;
  /** When the access token expires, epoch milliseconds. */
  expiresAt?: number;
  /** A short machine-readable reason for `error`/`denied`/`expired` (e.g. the OAuth `error` code). */
  error?: string;
  launch: LaunchContext;
}

export interface AuthSource {
  readonly state: AuthState;
  /** Gives the FhirClient its bearer token (undefined = send none). */
  readonly tokenSource: TokenSource;
  /** BFF: 'include', so the proxy's session cookie goes with every request. */
  readonly credentials?: RequestCredentials;
  /** Handles a redirect callback (code/state in the URL) and EHR launch params (`iss`, `launch`). */
  init(): Promise<void>;
  signIn(options?: { popup?: boolean }): Promise<void>;
  signOut(): Promise<void>;
  /** Calls `listener` on every state change; returns the unsubscribe function. */
  subscribe(listener: (state: AuthState) => void): () => void;
}
