// The loader behind <ehr-patient-form>'s on-demand code: one load per page, and a failed load
// (offline, a deploy swapped the chunk) is tried again on the next need instead of failing forever.
import { expect } from '@open-wc/testing';
import { lazy } from '../../packages/patient-form/src/lazy.js';

describe('patient-form lazy()', () => {
  it('loads once, however many ask at the same time', async () => {
    let calls = 0;
    const get = lazy(async () => ({ n: ++calls }));
    expect(get.value).to.equal(undefined);
    const [a, b] = await Promise.all([get(), get()]);
    expect(a).to.equal(b);
    expect(await get()).to.equal(a);
    expect(get.value).to.equal(a);
    expect(calls).to.equal(1);
  });

  it('after a failed load, the next need loads again', async () => {
    let calls = 0;
    const get = lazy(async () => {
      calls++;
      if (calls === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return 'code';
    });
    let failure: unknown;
    await get().catch((e: unknown) => (failure = e));
    expect(failure).to.be.instanceOf(TypeError);
    expect(get.value).to.equal(undefined);
    expect(await get()).to.equal('code');
    expect(get.value).to.equal('code');
    expect(calls).to.equal(2);
  });
});
