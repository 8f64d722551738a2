import { msg } from '@lit/localize';
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { ChunkLoadError } from './chunk.js';

/** What went wrong, in words a patient understands. */
export interface UserMessage {
  /** One short sentence to show. */
  title: string;
  /** An optional second sentence (what to do next, or the server's own words). */
  detail?: string;
  /** Whether trying the same thing again may work (show a retry button). */
  retryable: boolean;
  kind: 'offline' | 'timeout' | 'signed-out' | 'forbidden' | 'not-found' | 'conflict' | 'invalid' | 'server' | 'unknown';
}

/** Thrown when an element has no client: no `client`, no provider, no `fhir-base-url`. */
export class NoServerError extends Error {
  override name = 'NoServerError';
  constructor() {
    super('No FHIR server: wrap the element in <ehr-provider fhir-base-url="…">, or set its fhir-base-url or client.');
  }
}

// Duck-typed, not `instanceof FhirError`: the error may come from another copy of the client.
interface FhirErrorLike {
  kind?: string;
  status?: number;
  issues?: OperationOutcomeIssue[];
  outcome?: OperationOutcome;
}

function asFhirError(error: unknown): FhirErrorLike | undefined {
  if (error && typeof error === 'object' && ('kind' in error || 'status' in error)) return error as FhirErrorLike;
  return undefined;
}

/** The first human-readable diagnostic the server sent, if any. */
function serverWords(e: FhirErrorLike | undefined): string | undefined {
  const issues = e?.issues ?? e?.outcome?.issue ?? [];
  for (const i of issues) {
    const text = i.details?.text ?? i.diagnostics;
    if (text) return text;
  }
  return undefined;
}

const message = (kind: UserMessage['kind'], retryable: boolean, title: string, detail?: string): UserMessage =>
  detail ? { kind, retryable, title, detail } : { kind, retryable, title };
const kept = () => msg('Nothing you entered has been lost.', { id: 'core.error.kept' });

/**
 * Maps any failure (a `FhirError`, a `TypeError` from fetch, an abort…) to a localized message
 * for the person using the element. Never throws.
 */
export function describeError(error: unknown): UserMessage {
  if (error instanceof NoServerError) {
    return message('unknown', false, msg('This page is not connected to a health record server.', { id: 'core.error.no-server' }));
  }
  if (error instanceof ChunkLoadError) {
    return message('offline', true, msg('Part of this page could not be loaded. Check your connection and try again.', { id: 'core.error.chunk' }), kept());
  }
  const e = asFhirError(error);
  const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
  if (offline || e?.kind === 'network' || (!e && error instanceof TypeError)) {
    return message('offline', true, msg('You seem to be offline. Check your connection and try again.', { id: 'core.error.offline' }), kept());
  }
  if (e?.kind === 'timeout') {
    return message('timeout', true, msg('The server is taking too long to answer. Please try again.', { id: 'core.error.timeout' }), kept());
  }
  switch (e?.status) {
    case 401:
      return message('signed-out', true, msg('Your session ended — sign in again; what you typed is still here.', { id: 'core.error.signed-out' }));
    case 403:
      return message(
        'forbidden',
        false,
        msg('You do not have permission to do this.', { id: 'core.error.forbidden' }),
        msg('If you think this is a mistake, contact the clinic.', { id: 'core.error.contact' }),
      );
    case 404:
    case 410:
      return message('not-found', false, msg('We could not find this record. It may have been removed.', { id: 'core.error.not-found' }));
    case 409:
    case 412:
      return message(
        'conflict',
        false,
        msg('Someone else changed this record while you were working on it.', { id: 'core.error.conflict' }),
        msg('Your changes are still here. Review the latest version, then save again.', { id: 'core.error.conflict-detail' }),
      );
    case 400:
    case 422:
      return message('invalid', false, msg('Please check the highlighted fields.', { id: 'core.error.invalid' }), serverWords(e));
    case 429:
      return message('server', true, msg('The server is busy. Please wait a moment and try again.', { id: 'core.error.busy' }));
  }
  if (e?.status !== undefined && e.status >= 500) {
    return message('server', true, msg('The server had a problem — try again.', { id: 'core.error.server' }), kept());
  }
  return message('unknown', true, msg('Something went wrong. Please try again.', { id: 'core.error.unknown' }));
}

/** True for errors that only mean "the work was cancelled" (nothing to show). */
export function isAbort(error: unknown): boolean {
  return (
    (error instanceof DOMException && error.name === 'AbortError') ||
    (asFhirError(error)?.kind === 'aborted')
  );
}

/**
 * Turns an OperationOutcome's issues into messages per field key. A key is the FHIRPath
 * `expression` (or legacy `location`) without the resource type and array indexes of the
 * first element, e.g. `Patient.name[0].family` → `name.family`, `Patient.telecom[1].value` →
 * `telecom[1].value`… — see `fieldKey()`. Issues with no expression go under `''`.
 */
export function issuesByExpression(
  outcome: OperationOutcome | OperationOutcomeIssue[] | { issues?: OperationOutcomeIssue[]; outcome?: OperationOutcome } | undefined,
): Map<string, string[]> {
  const issues: OperationOutcomeIssue[] = Array.isArray(outcome)
    ? outcome
    : outcome && 'resourceType' in outcome
      ? (outcome.issue ?? [])
      : ((outcome as { issues?: OperationOutcomeIssue[] })?.issues ?? (outcome as { outcome?: OperationOutcome })?.outcome?.issue ?? []);
  const out = new Map<string, string[]>();
  for (const issue of issues) {
    if (issue.severity === 'information' || issue.severity === 'warning') continue;
    const text = issue.details?.text ?? issue.diagnostics ?? issue.code ?? 'invalid';
    const paths = issue.expression?.length ? issue.expression : issue.location?.length ? issue.location : [''];
    for (const path of paths) {
      for (const key of new Set([fieldKey(path), fieldKey(path, true)])) {
        const list = out.get(key) ?? [];
        if (!list.includes(text)) list.push(text);
        out.set(key, list);
      }
    }
  }
  return out;
}

/**
 * Normalizes a FHIRPath/location to a field key: drops the leading resource type, `/f:` XPath
 * prefixes and `.where(...)`; with `dropIndexes`, also every `[n]`.
 * `Patient.name[0].family` → `name[0].family` (or `name.family`).
 */
export function fieldKey(path: string, dropIndexes = false): string {
  let p = path
    .trim()
    .replace(/^\/?f:/, '')
    .replace(/\/f:/g, '.')
    .replace(/\.where\([^)]*\)/g, '')
    .replace(/^[A-Z][A-Za-z]+\.?/, '');
  if (dropIndexes) p = p.replace(/\[\d+\]/g, '');
  return p;
}
