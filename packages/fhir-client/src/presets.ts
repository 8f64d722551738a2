import type { FhirClientOptions } from './client.js';

/** Options for known FHIR vendors; spread into `new FhirClient({ ...presets.x(...), tokenSource })`. */
export const presets = {
  /** Oystehr: https://fhir-api.zapehr.com/r4 with the project id header. */
  oystehr(o: { projectId: string; baseUrl?: string }): FhirClientOptions {
    return { baseUrl: o.baseUrl ?? 'https://fhir-api.zapehr.com/r4', headers: { 'x-oystehr-project-id': o.projectId } };
  },
  /** Medplum: the FHIR base is `${baseUrl}/fhir/R4/` (baseUrl defaults to api.medplum.com). */
  medplum(o: { baseUrl?: string } = {}): FhirClientOptions {
    return { baseUrl: (o.baseUrl ?? 'https://api.medplum.com').replace(/\/+$/, '') + '/fhir/R4/' };
  },
};
