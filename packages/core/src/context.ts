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

/**
 * Attaches one `ContextRoot` to the document (once per page, across library copies), so an
 * element upgraded before its provider connects gets its context when the provider arrives.
 */
export function ensureContextRoot(): void {
  const g = globalThis as unknown as Record<symbol, unknown>;
  if (g[ROOT] || typeof document === 'undefined') return;
  const root = new ContextRoot();
  root.attach(document.documentElement);
  g[ROOT] = root;
}
