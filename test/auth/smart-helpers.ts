/**
 * Helpers for the SMART suites: the OAuth server is test/support/30-smart-auth.server.node.ts
 * (oidc-provider); the app is test/auth/fixtures/smart-app.html, opened in a window the test can
 * script (same origin), because the test page itself must not navigate away.
 */
import { testEnv } from '../support/env.js';
import type { SmartAuthOptions, SmartAuthSource } from '@ehr-kit/auth/smart';
import type { AuthState } from '@ehr-kit/auth';

export const authServerUrl = testEnv.authServerUrl!;
export const smartFhirUrl = testEnv.smartFhirUrl!;
export const smartFhirV1Url = testEnv.smartFhirV1Url!;
export const harnessUrl = `${location.origin}/test/auth/fixtures/smart-app.html`;
export const STANDALONE_PATIENT = 'smart-patient-1';

/** A fresh client_id per test (the server makes clients up from the id; the suffix picks a behaviour). */
export function clientId(suffix: '' | '-deny' | '-hang' | '-short' | '-refresh-fails' = ''): string {
  return `smart-${crypto.randomUUID().slice(0, 8)}${suffix}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `fn` (cross-origin access errors count as "not yet") until it returns a truthy value. */
export async function until<T>(fn: () => T | undefined | null | false, what: string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = fn();
      if (v) return v;
    } catch {
      // the window is on the authorization server's origin, or mid-navigation
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export interface HarnessWindow extends Window {
  harnessReady?: boolean;
  auth: SmartAuthSource;
  states: AuthState[];
  initDone: Promise<string>;
  start(options: SmartAuthOptions): Promise<string>;
}

const opened: Window[] = [];

/** Opens the SMART app page in a new window and waits until its script is ready. */
export async function openHarness(search = ''): Promise<HarnessWindow> {
  const win = window.open(`${harnessUrl}${search}`, '_blank') as HarnessWindow | null;
  if (!win) throw new Error('window.open was blocked');
  opened.push(win);
  await until(() => win.harnessReady, 'the harness page to load');
  return win;
}

export function closeWindows(): void {
  for (const w of opened.splice(0)) w.close();
}

/** The scope the SMART suites ask for: patient context, patient read/search, a refresh token. */
export const SCOPE = 'openid fhirUser launch/patient patient/*.rs offline_access';

/**
 * For a describe(): after each test, closes the harness windows and disposes the SMART sources the
 * test pushed on the returned list.
 */
export function cleanUpAfterEach(): SmartAuthSource[] {
  const sources: SmartAuthSource[] = [];
  afterEach(() => {
    closeWindows();
    for (const s of sources.splice(0)) s.dispose();
  });
  return sources;
}

export interface ServerLog {
  authorize: Array<Record<string, string>>;
  token: Array<{ grant_type?: string; client_id?: string; status: number }>;
  fhir: Array<{ method: string; path: string; authorization?: string; status: number; client_id?: string }>;
}

export async function serverLog(client: string): Promise<ServerLog> {
  return (await fetch(`${authServerUrl}/__test/log?client_id=${encodeURIComponent(client)}`)).json();
}

export async function registerLaunch(context: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${authServerUrl}/__test/launch`, { method: 'POST', body: JSON.stringify(context) });
  return ((await res.json()) as { launch: string }).launch;
}

/** Every value in a Storage, for "no token here" checks. */
export function storageValues(storage: Storage): string[] {
  return Array.from({ length: storage.length }, (_, i) => storage.getItem(storage.key(i)!) ?? '');
}
