import { expect, fixture, html } from '@open-wc/testing';
import '@ehr-kit/core/define';
import { EhrProvider } from '@ehr-kit/core';

describe('core smoke', () => {
  it('defines <ehr-provider> and provides a client', async () => {
    const el = await fixture<EhrProvider>(html`<ehr-provider fhir-base-url="https://example.test/fhir"><p>hi</p></ehr-provider>`);
    expect(el).to.be.instanceOf(EhrProvider);
    expect(el.fhir?.baseUrl).to.match(/example\.test\/fhir/);
    await expect(el).to.be.accessible();
  });
});
