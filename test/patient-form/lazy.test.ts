// The loaders behind <ehr-patient-form>'s on-demand code (its view, its rules and saving) are core's
// chunk(): one load per page, and a failed load (offline, a deploy swapped the chunk) is tried again
// on the next need instead of failing forever. Own page: nothing here has loaded a chunk yet.
import { expect } from '@open-wc/testing';
import { ChunkLoadError } from '@ehr-kit/core';
import { flow, importers, view } from '../../packages/patient-form/src/lazy.js';

describe('patient-form chunks', () => {
  const original = { ...importers };
  afterEach(() => Object.assign(importers, original));

  it('after a failed load, the next need loads again', async () => {
    let calls = 0;
    const cause = new TypeError('Failed to fetch dynamically imported module');
    importers.flow = () => (calls++, Promise.reject(cause));
    let failure: unknown;
    await flow().catch((e: unknown) => (failure = e));
    expect(failure).to.be.instanceOf(ChunkLoadError);
    expect((failure as Error).cause).to.equal(cause);
    expect(flow.value).to.equal(undefined);
    Object.assign(importers, original);
    const code = await flow();
    expect(code.save).to.be.a('function');
    expect(flow.value).to.equal(code);
    expect(calls).to.equal(1);
  });

  it('loads once, however many ask at the same time', async () => {
    let calls = 0;
    importers.view = () => (calls++, original.view());
    expect(view.value).to.equal(undefined);
    const [a, b] = await Promise.all([view(), view()]);
    expect(a).to.equal(b);
    expect(await view()).to.equal(a);
    expect(view.value).to.equal(a);
    expect(calls).to.equal(1);
  });
});
