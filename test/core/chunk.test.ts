// core's chunk(): every element loads its on-demand code the same way — once, failures forgotten.
import { expect } from '@open-wc/testing';
import { chunk, prefetch, ChunkLoadError, describeError, setEhrLocale } from '@ehr-kit/core';

describe('chunk()', () => {
  it('loads once, shares the load in flight, and exposes the module as .value', async () => {
    let calls = 0;
    const c = chunk(async () => (calls++, { answer: 42 }));
    expect(c.value).to.equal(undefined);
    const [a, b] = await Promise.all([c(), c()]);
    expect(a).to.equal(b);
    expect(c.value).to.deep.equal({ answer: 42 });
    await c();
    expect(calls).to.equal(1);
  });

  it('a failure is a ChunkLoadError with its cause, and is forgotten: the next call loads again', async () => {
    let fail = true;
    const cause = new TypeError('Failed to fetch dynamically imported module');
    const c = chunk(async () => {
      if (fail) throw cause;
      return 'ok';
    });
    const error = await c().then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(ChunkLoadError);
    expect((error as Error).cause).to.equal(cause);
    expect(c.value).to.equal(undefined);
    fail = false;
    expect(await c()).to.equal('ok');
  });

  it('describeError says so in plain words, retryable, in English and Spanish', async () => {
    const m = describeError(new ChunkLoadError(new TypeError('x')));
    expect(m).to.include({ kind: 'offline', retryable: true });
    expect(m.title).to.match(/could not be loaded/);
    await setEhrLocale('es');
    try {
      expect(describeError(new ChunkLoadError(undefined)).title).to.match(/No se pudo cargar/);
    } finally {
      await setEhrLocale('en');
    }
  });

  it('prefetch() loads when idle and swallows a failure', async () => {
    let loaded = false;
    const good = chunk(async () => (loaded = true));
    const bad = chunk(() => Promise.reject(new Error('offline')));
    prefetch([good, bad], 50);
    await new Promise((r) => setTimeout(r, 300));
    expect(loaded).to.equal(true);
  });
});
