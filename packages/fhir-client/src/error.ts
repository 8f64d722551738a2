import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

export type FhirErrorKind = 'http' | 'network' | 'timeout' | 'aborted';

const PHRASES: Record<number, string> = {
  400: 'Bad request',
  401: 'Not signed in',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition failed: the resource was changed by someone else',
  422: 'Unprocessable entity',
  429: 'Too many requests',
  500: 'Server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Gateway timeout',
};

/**
 * Any failure of a FHIR call. `kind` says what went wrong:
 * 'http' (the server answered non-2xx: `status`, maybe `outcome`), 'network' (no answer),
 * 'timeout' (no answer within `timeoutMs`), 'aborted' (the caller's AbortSignal fired).
 * `message` is the server's own words (OperationOutcome diagnostics / details.text) when it gave
 * any, else a plain phrase for the status.
 */
export class FhirError extends Error {
  override name = 'FhirError';
  kind: FhirErrorKind;
  status?: number;
  outcome?: OperationOutcome;
  issues: OperationOutcomeIssue[];
  /** What was being done, e.g. 'update Patient/123'. */
  operation: string;
  /** From a Retry-After header, when the server sent one. */
  retryAfterMs?: number;

  constructor(
    kind: FhirErrorKind,
    operation: string,
    init: { status?: number; outcome?: OperationOutcome; retryAfterMs?: number; message?: string; cause?: unknown } = {},
  ) {
    const issues = init.outcome?.issue ?? [];
    const text = issues
      .map((i) => i.diagnostics ?? i.details?.text)
      .filter(Boolean)
      .join('; ');
    super(init.message ?? (text || (init.status ? PHRASES[init.status] ?? `HTTP ${init.status}` : kind)), { cause: init.cause });
    this.kind = kind;
    this.operation = operation;
    this.issues = issues;
    this.status = init.status;
    this.outcome = init.outcome;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** True for a FhirError, also one thrown by another copy of this package (e.g. the kit bundle). */
export function isFhirError(e: unknown): e is FhirError {
  return e instanceof FhirError || (e instanceof Error && e.name === 'FhirError' && 'kind' in e);
}
