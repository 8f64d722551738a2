// Its own page: what registering <ehr-patient-form> loads. The kit's all-in-one define registers
// every element, so a page with no form on it must not fetch the form's view; the first element
// made (an element already in the page: when the tag is defined) starts it.
import { expect } from '@open-wc/testing';
import { importers, view } from '../../packages/patient-form/src/lazy.js';

/** Whether the browser fetched the form's view module (the test server serves each source file). */
const viewFetched = () => performance.getEntriesByType('resource').some((e) => /\/patient-form\/src\/view\.ts/.test(e.name));
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe('<ehr-patient-form> registration', () => {
  const original = { ...importers };
  let calls = 0;
  before(() => {
    importers.view = () => (calls++, original.view());
  });
  after(() => Object.assign(importers, original));

  it("registering every element (the kit's define) loads none of the form's view", async () => {
    await import('../../packages/kit/src/define.js');
    await settle();
    expect(customElements.get('ehr-patient-form'), 'registered').to.exist;
    expect(calls, 'view requested').to.equal(0);
    expect(viewFetched(), 'view fetched').to.equal(false);
  });

  it('making the first element starts loading the view, once for every element', async () => {
    document.createElement('ehr-patient-form');
    expect(calls, 'requested on construction, before connecting').to.equal(1);
    document.createElement('ehr-patient-form');
    await view();
    expect(calls).to.equal(1);
    expect(viewFetched(), 'view fetched').to.equal(true);
  });
});
