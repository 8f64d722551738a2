import { createContext, ContextRoot } from '@lit/context';
import type { FhirClient } from '@ehr-kit/fhir-client';
import type { AuthState, LaunchContext } from '@ehr-kit/auth';

// String keys (not symbols): two copies of the library on one page still find each other.

/** The FHIR client shared by the nearest `<ehr-provider>`. */
export const fhirClientContext = createContext<FhirClient | undefined>('ehr-kit:fhir-client');
/** The session as the nearest `<ehr-provider>` sees it. */
export const authStateContext = createContext<AuthState | undefined>('ehr-kit:auth-state');
/** SMART launch context (`patient`, `encounter`, …) from the nearest `<ehr-provider>`. */
export const launchContext = createContext<LaunchContext | undefined>('ehr-kit:launch');

const ROOT = Symbol.for('ehr-kit.context-root');
const WAITING = Symbol.for('ehr-kit.context-waiting');

/**
 * ehr-kit elements whose context requests no provider answered yet (none around them, or its
 * tag not defined yet), page-wide across library copies: each entry asks again, and leaves the
 * set once answered. Every `<ehr-provider>` that connects calls them, so elements need no
 * `ContextRoot` of their own (the provider attaches one for other consumers).
 */
export function waitingForProvider(): Set<() => void> {
  const g = globalThis as unknown as Record<symbol, Set<() => void> | undefined>;
  return (g[WAITING] ??= new Set());
}

/**
 * Attaches one `ContextRoot` to the document (once per page, across library copies), so a
 * consumer of these contexts that connects before its provider gets its context when the
 * provider arrives. `<ehr-provider>` calls it when it connects; call it yourself if your own
 * consumers may connect before any provider (ehr-kit elements need not: see `waitingForProvider`).
 */
export function ensureContextRoot(): void {
  const g = globalThis as unknown as Record<symbol, unknown>;
  if (g[ROOT] || typeof document === 'undefined') return;
  const root = new ContextRoot();
  root.attach(document.documentElement);
  g[ROOT] = root;
}
