/** URLs of the servers web-test-runner started for this run (see web-test-runner.config.mjs). */
export interface TestEnv {
  /** Medplum FhirRouter + MemoryRepository over HTTP: the independent reference server. */
  referenceFhirUrl?: string;
  /** The mock's Node HTTP server (`ehr-mock-fhir`). */
  mockFhirUrl?: string;
  /** oidc-provider configured as a SMART authorization server. */
  authServerUrl?: string;
  [key: string]: string | undefined;
}

export const testEnv: TestEnv = await fetch('/__ehr-test-env.json').then((r) => r.json());
