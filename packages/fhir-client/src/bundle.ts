import type { Bundle, BundleEntry, Reference, Resource } from '@medplum/fhirtypes';

/** 'urn:uuid:<v4>' — a placeholder fullUrl for a resource created in a transaction. */
export function newUrnUuid(): string {
  return 'urn:uuid:' + crypto.randomUUID();
}

/** The weak ETag FHIR servers use for a version: etag('3') → 'W/"3"'. */
export function etag(versionId: string): string {
  return `W/"${versionId}"`;
}

/** A transaction/batch entry that creates `resource`; `fullUrl` defaults to a new urn:uuid. */
export function txCreate<T extends Resource>(resource: T, o: { fullUrl?: string; ifNoneExist?: string } = {}): BundleEntry<T> {
  return {
    fullUrl: o.fullUrl ?? newUrnUuid(),
    resource,
    request: { method: 'POST', url: resource.resourceType, ifNoneExist: o.ifNoneExist },
  };
}

/** An entry that updates `resource` (PUT Type/id), guarded by If-Match on meta.versionId unless `ifMatch: false`. */
export function txUpdate<T extends Resource>(resource: T, o: { ifMatch?: string | false } = {}): BundleEntry<T> {
  const v = resource.meta?.versionId;
  return {
    fullUrl: `${resource.resourceType}/${resource.id}`,
    resource,
    request: {
      method: 'PUT',
      url: `${resource.resourceType}/${resource.id}`,
      ifMatch: o.ifMatch === false ? undefined : (o.ifMatch ?? (v ? etag(v) : undefined)),
    },
  };
}

/** An entry that deletes Type/id. */
export function txDelete(type: string, id: string): BundleEntry {
  return { request: { method: 'DELETE', url: `${type}/${id}` } };
}

/** A reference to an entry's resource by its fullUrl (urn:uuid inside the same transaction). */
export function referenceTo<T extends Resource>(entry: BundleEntry<T>, display?: string): Reference<T> {
  return { reference: entry.fullUrl, display };
}

export function transactionBundle(entry: BundleEntry[]): Bundle {
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

export function batchBundle(entry: BundleEntry[]): Bundle {
  return { resourceType: 'Bundle', type: 'batch', entry };
}
