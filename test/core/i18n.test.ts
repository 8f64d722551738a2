import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { html as litHtml } from 'lit';
import { msg } from '@lit/localize';
import '@ehr-kit/core/define';
import {
  EhrElement, define, describeError, getEhrLocale, normalizeLocale, registerTranslations, setEhrLocale, type EhrProvider,
} from '@ehr-kit/core';
import { FhirError } from '@ehr-kit/fhir-client';
import { ProbeElement } from './helpers.js';

define('i18n-probe', ProbeElement);

/** An element from "another package" with its own lazily registered Spanish. */
class Greeter extends EhrElement {
  override render() {
    return litHtml`<p>${msg('Hello', { id: 'test.hello' })}</p>`;
  }
}
define('i18n-greeter', Greeter);

const alertText = (el: ProbeElement) => el.shadowRoot!.querySelector('[role=alert]')?.textContent ?? '';

describe('i18n', () => {
  afterEach(async () => {
    document.documentElement.lang = 'en';
    await waitUntil(() => getEhrLocale() === 'en');
  });

  it('maps any tag to a shipped locale', () => {
    expect(normalizeLocale('es-MX')).to.equal('es');
    expect(normalizeLocale('ES')).to.equal('es');
    expect(normalizeLocale('fr')).to.equal('en');
    expect(normalizeLocale(undefined)).to.equal('en');
  });

  it('follows <html lang> and re-renders elements in Spanish', async () => {
    const probe = await fixture<ProbeElement>(html`<i18n-probe patient-id="x"></i18n-probe>`);
    await waitUntil(() => alertText(probe).includes('not connected'));
    document.documentElement.lang = 'es-US';
    await waitUntil(() => alertText(probe).includes('no está conectada'), 'Spanish after <html lang="es-US">');
    expect(describeError(new FhirError('http', 'x', { status: 500 })).title).to.equal('El servidor tuvo un problema: inténtelo de nuevo.');
    expect(describeError(new FhirError('network', 'x')).title).to.match(/^Parece que no tiene conexión/);
    document.documentElement.lang = 'en';
    await waitUntil(() => alertText(probe).includes('not connected'), 'back to English');
  });

  it('lets a provider lang win over <html lang>, and lets go when removed', async () => {
    const provider = await fixture<EhrProvider>(html`<ehr-provider lang="es"><i18n-probe patient-id="x"></i18n-probe></ehr-provider>`);
    const probe = provider.querySelector('i18n-probe') as ProbeElement;
    await waitUntil(() => alertText(probe).includes('no está conectada'));
    document.documentElement.lang = 'en-GB';
    await new Promise((r) => setTimeout(r, 50));
    expect(getEhrLocale(), 'pinned by the provider').to.equal('es');
    provider.removeAttribute('lang');
    await waitUntil(() => alertText(probe).includes('not connected'), 'follows <html lang> again');
  });

  it('with two providers, removing the later one falls back to the earlier one’s lang', async () => {
    const wrap = await fixture<HTMLDivElement>(html`<div>
      <ehr-provider lang="es"><i18n-probe patient-id="x"></i18n-probe></ehr-provider>
      <ehr-provider id="second" lang="en"></ehr-provider>
    </div>`);
    const probe = wrap.querySelector('i18n-probe') as ProbeElement;
    await waitUntil(() => getEhrLocale() === 'en' && alertText(probe).includes('not connected'), 'the later provider wins');
    wrap.querySelector('#second')!.remove();
    await waitUntil(() => alertText(probe).includes('no está conectada'), 'back to the remaining provider’s Spanish');
    wrap.remove();
    await waitUntil(() => getEhrLocale() === 'en', 'no provider left: <html lang> again');
  });

  it('loads a package’s translations lazily, even when registered after Spanish is showing', async () => {
    await setEhrLocale('es');
    const el = await fixture<Greeter>(html`<i18n-greeter></i18n-greeter>`);
    expect(el.shadowRoot!.textContent).to.contain('Hello');
    let loads = 0;
    registerTranslations('es', async () => {
      loads++;
      return { templates: { 'test.hello': 'Hola' } };
    });
    await waitUntil(() => el.shadowRoot!.textContent!.includes('Hola'), 'merged into the live Spanish templates');
    // Core's own Spanish is still there.
    expect(describeError(new FhirError('http', 'x', { status: 404 })).title).to.match(/^No encontramos/);
    await setEhrLocale('en');
    await waitUntil(() => el.shadowRoot!.textContent!.includes('Hello'));
    await setEhrLocale('es');
    await waitUntil(() => el.shadowRoot!.textContent!.includes('Hola'));
    expect(loads, 'loaded once').to.equal(1);
  });

  it('has core messages in Spanish with placeholders', async () => {
    await setEhrLocale('es');
    const { renderErrorSummary } = await import('@ehr-kit/core');
    const { render } = await import('lit');
    const div = document.createElement('div');
    render(renderErrorSummary([{ id: 'a', message: 'x' }, { id: 'b', message: 'y' }]), div);
    expect(div.querySelector('h2')!.textContent).to.equal('Hay 2 problemas');
  });
});
