import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';

class SmokeEl extends LitElement {
  @property() accessor greeting = 'hello';
  override render() {
    return html`<p>${this.greeting}</p>`;
  }
}
customElements.define('smoke-el', SmokeEl);

describe('toolchain', () => {
  it('runs Lit with standard decorators in Chromium', async () => {
    const el = await fixture<SmokeEl>(html`<smoke-el greeting="hola"></smoke-el>`);
    expect(el.shadowRoot!.querySelector('p')!.textContent).to.equal('hola');
    await expect(el).to.be.accessible();
  });
});
