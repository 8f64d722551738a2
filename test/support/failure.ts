import { expect } from '@open-wc/testing';
import { isFhirError, type FhirError } from '@ehr-kit/fhir-client';

/** Awaits a call that must fail with a FhirError, and returns that error for the test to inspect. */
export async function failure(p: Promise<unknown>): Promise<FhirError> {
  try {
    await p;
  } catch (e) {
    expect(isFhirError(e), `expected a FhirError, got ${String(e)}`).to.equal(true);
    return e as FhirError;
  }
  throw new Error('expected the call to fail');
}
