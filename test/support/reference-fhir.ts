// Browser-side helpers for the reference FHIR server (test/support/10-reference-fhir.server.node.ts).
import { testEnv } from './env.js';

/**
 * A FHIR base on the reference server with its own empty store, so a suite never sees another
 * file's data (files run in parallel). `rollback: false` gives Medplum's raw behaviour, where a
 * failed transaction keeps its earlier writes.
 */
export function referenceFhirBase(options: { rollback?: boolean; tenant?: string } = {}): string {
  const origin = testEnv.referenceFhirOrigin;
  if (!origin) throw new Error('referenceFhirOrigin missing: is test/support/10-reference-fhir.server.node.ts running?');
  const tenant = options.tenant ?? crypto.randomUUID();
  return `${origin}/t/${encodeURIComponent(tenant)}/${options.rollback === false ? 'norollback' : 'fhir'}/`;
}

/** Empties the store behind `base` (POST {base}$reset). */
export async function resetReferenceFhir(base: string): Promise<void> {
  const res = await fetch(`${base}$reset`, { method: 'POST' });
  if (!res.ok) throw new Error(`reset ${base} failed: ${res.status}`);
}
