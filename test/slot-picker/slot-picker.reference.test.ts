// <ehr-slot-picker> against the independent reference server (Medplum FhirRouter + MemoryRepository,
// wrapped so a failed transaction rolls back as the spec requires). Each test gets its own store.
import { referenceFhirBase } from '../support/reference-fhir.js';
import { countingClient } from './helpers.js';
import { slotPickerSuite } from './suite.js';

slotPickerSuite({
  name: 'the reference server (Medplum)',
  fresh: async () => countingClient(referenceFhirBase()),
});
