// Every Storybook story of <ehr-slot-picker> renders (outside Storybook, on the same mocks), runs
// its play function, reaches the state it is named after, and is axe-clean there.
import { aTimeout, expect, fixture, html } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import { createMockFhir } from '@ehr-kit/mock-fhir';
import { FhirClient } from '@ehr-kit/fhir-client';
import { setEhrLocale } from '@ehr-kit/core';
import '@ehr-kit/core/define';
import * as stories from '../../stories/slot-picker.stories.js';
import type { EhrSlotPicker } from '@ehr-kit/slot-picker';
import { until } from './helpers.js';

type AnyStory = {
  args?: Record<string, unknown>;
  render?: (args: Record<string, unknown>, ctx: unknown) => TemplateResult;
  play?: (ctx: { canvasElement: HTMLElement; args: Record<string, unknown> }) => Promise<void>;
  globals?: Record<string, string>;
};
const meta = stories.default as unknown as AnyStory;

/** What each story should end up showing. */
const expected: Record<string, string> = {
  Default: '.time', SelectOnly: '.time', Berlin: '.time', Loading: '.loading[role=status]', Empty: '.message .primary',
  NothingAtAll: '.message[role=status]', LoadError: '.message.error button', ManySlots: '.time', BookingConflict: '.message.conflict',
  Confirm: '.confirm .primary', Booked: '.message.success', Spanish: '.time', DarkTheme: '.time', Phone: '.time',
};

describe('slot-picker stories', function () {
  this.timeout(30_000);
  const names = Object.keys(stories).filter((k) => k !== 'default');

  it('has a story for every state', () => {
    expect(names.sort()).to.deep.equal(Object.keys(expected).sort());
  });

  for (const name of names) {
    it(name, async () => {
      const story = (stories as unknown as Record<string, AnyStory>)[name]!;
      const args = { ...meta.args, ...story.args };
      const mock = createMockFhir({ baseUrl: 'http://stories.provider/fhir', seed: 'demo' });
      const client = new FhirClient({ baseUrl: mock.baseUrl, fetch: mock.fetch });
      if (story.globals?.['locale']) document.documentElement.lang = story.globals['locale'];
      try {
        const template = (story.render ?? meta.render)!(args, {});
        const wrapper = await fixture<HTMLElement>(
          html`<div><ehr-provider .client=${client} theme=${story.globals?.['theme'] ?? 'light'}>${template}</ehr-provider></div>`,
        );
        const el = wrapper.querySelector('ehr-slot-picker') as EhrSlotPicker;
        await until(() => el.shadowRoot!.querySelector('.time, .message, .loading'), 10_000);
        if (story.play) await story.play({ canvasElement: wrapper, args });
        await until(() => el.shadowRoot!.querySelector(expected[name]!), 10_000);
        if (name === 'Spanish') await until(() => el.shadowRoot!.querySelector('.zone')?.textContent?.startsWith('Los horarios'));
        if (name === 'DarkTheme') {
          const bg = getComputedStyle(el.shadowRoot!.querySelector('.base')!).backgroundColor;
          expect(bg, 'dark surface').to.equal('rgb(22, 24, 28)');
        }
        await aTimeout(20);
        await expect(el).to.be.accessible();
      } finally {
        document.documentElement.lang = 'en';
        await setEhrLocale('en');
      }
    });
  }
});
