import { expect, fixture, html } from '@open-wc/testing';
import { define, getEhrLocale, setEhrLocale } from '@ehr-kit/core';
import { ProbeElement } from './helpers.js';

// Its own page: no ehr-kit element has connected before this file calls setEhrLocale().
describe('i18n before any element', () => {
  it('keeps a locale the host set before the first element connected', async () => {
    document.documentElement.lang = 'en';
    await setEhrLocale('es');
    define('early-probe', ProbeElement);
    const el = await fixture<ProbeElement>(html`<early-probe></early-probe>`);
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 50));
    expect(getEhrLocale()).to.equal('es');
    await setEhrLocale('en');
  });
});
