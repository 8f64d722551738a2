// Every Storybook story of <ehr-patient-form> renders, runs its play function without an uncaught
// error, reaches the state it is named after, is axe-clean there, and uses static styles only.
import { aTimeout, expect, fixture, html } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import { createMockFhir } from '@ehr-kit/mock-fhir';
import { FhirClient } from '@ehr-kit/fhir-client';
import { setEhrLocale } from '@ehr-kit/core';
import '@ehr-kit/core/define';
import * as stories from '../../stories/patient-form.stories.js';
import type { EhrPatientForm } from '../../packages/patient-form/src/patient-form.js';
import { root, until } from './helpers.js';

type AnyStory = {
  args?: Record<string, unknown>;
  render?: (args: Record<string, unknown>, ctx: unknown) => TemplateResult;
  play?: (ctx: { canvasElement: HTMLElement }) => Promise<void>;
  parameters?: Record<string, unknown>;
  globals?: Record<string, unknown>;
};
const meta = stories.default as unknown as AnyStory;

/** What each story should end up showing. */
const expected: Record<string, string> = {
  Create: 'form', Edit: 'form', AllSections: '[data-section=origin]', Readonly: 'form', Loading: '[part=loading]',
  LoadError: '[part=error]', ValidationErrors: '.error-summary', DuplicateWarning: '[part=duplicate]',
  DuplicateWarningClinician: '[part=duplicate] li', Saving: 'form[aria-busy=true]', Saved: '[part=status].alert-success',
  NetworkError: '[part=error]', SignedOut: '[part=error]', Conflict: '[part=conflict]', ServerRejected: '#f-postalCode-error',
  OddText: 'form', Spanish: 'form', Mobile: 'form',
};

describe('patient-form stories', function () {
  this.timeout(30_000);
  const names = Object.keys(stories).filter((k) => k !== 'default');

  it('has a story for every state', () => {
    expect(names.sort()).to.deep.equal(Object.keys(expected).sort());
  });

  for (const name of names) {
    it(name, async () => {
      const story = (stories as unknown as Record<string, AnyStory>)[name];
      const args = { ...meta.args, ...story.args };
      const mock = createMockFhir({ baseUrl: 'http://stories.provider/fhir', seed: 'demo' });
      const client = new FhirClient({ baseUrl: mock.baseUrl, fetch: mock.fetch });
      if (story.globals?.['locale']) await setEhrLocale(String(story.globals['locale']));
      try {
        const template = (story.render ?? meta.render)!(args, {});
        const wrapper = await fixture<HTMLElement>(
          story.parameters?.['ehrProvider'] === false ? html`<div>${template}</div>` : html`<div><ehr-provider .client=${client}>${template}</ehr-provider></div>`,
        );
        const el = wrapper.querySelector('ehr-patient-form') as EhrPatientForm;
        await until(() => !!root(el).querySelector('form, [part=loading], [part=error]'), 'rendered');
        if (story.play) await story.play({ canvasElement: wrapper });
        await until(() => !!root(el).querySelector(expected[name]), `${name} shows ${expected[name]}`);
        await aTimeout(20);
        await expect(el).to.be.accessible();
        // Strict CSP: static styles only — no style attributes, no <style> elements in the shadow root.
        expect(root(el).querySelectorAll('[style], style')).to.have.length(0);
        expect(el.shadowRoot!.adoptedStyleSheets.length).to.be.greaterThan(0);
      } finally {
        if (story.globals?.['locale']) await setEhrLocale('en');
      }
    });
  }
});
