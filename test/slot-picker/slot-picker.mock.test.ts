// <ehr-slot-picker> against @ehr-kit/mock-fhir, served in the page (its fetch, no service worker).
import { createMockFhir } from '@ehr-kit/mock-fhir';
import { countingClient } from './helpers.js';
import { slotPickerSuite } from './suite.js';

slotPickerSuite({
  name: 'the mock',
  fresh: async () => {
    const base = `https://mock-${crypto.randomUUID().slice(0, 8)}.test/fhir`;
    const mock = createMockFhir({ baseUrl: base, seed: 'empty' });
    return countingClient(base, mock.fetch);
  },
});
