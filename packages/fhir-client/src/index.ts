export { FhirClient } from './client.js';
export type {
  FhirClientOptions,
  RequestOptions,
  SearchOptions,
  SearchParams,
  SearchValue,
  TokenSource,
  JsonPatchOp,
} from './client.js';
export { FhirError, isFhirError } from './error.js';
export type { FhirErrorKind } from './error.js';
export { newUrnUuid, etag, txCreate, txUpdate, txDelete, transactionBundle, batchBundle, referenceTo } from './bundle.js';
export { presets } from './presets.js';
export type {
  Bundle,
  BundleEntry,
  CapabilityStatement,
  ExtractResource,
  OperationOutcome,
  OperationOutcomeIssue,
  Reference,
  Resource,
  ResourceType,
} from '@medplum/fhirtypes';
