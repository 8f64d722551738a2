// Every Storybook story of <ehr-slot-picker> renders (outside Storybook, on the same mocks), runs
// its play function, reaches the state it is named after, and is axe-clean there.
// The harness is shared with the other elements' story suites (test/support/stories.ts).
import { expect } from '@open-wc/testing';
import * as stories from '../../stories/slot-picker.stories.js';
import { describeStories } from '../support/stories.js';
import { until } from './helpers.js';

/** What each story should end up showing. */
const expected: Record<string, string> = {
  Default: '.time', SelectOnly: '.time', Berlin: '.time', Loading: '[part=loading][role=status]', Empty: '.message .primary',
  NothingAtAll: '.message[role=status]', LoadError: '.message.error button', ManySlots: '.time', BookingConflict: '.message.conflict',
  Confirm: '.confirm .primary', Booked: '.message.success', Spanish: '.time', DarkTheme: '.time', Phone: '.time',
};

describeStories('slot-picker', stories, expected, {
  applyLocale: 'document-lang',
  rendered: '.time, .message, [part=loading]',
  theme: 'light',
  timeout: 10_000,
  check: async (name, el) => {
    if (name === 'Spanish') await until(() => el.shadowRoot!.querySelector('.zone')?.textContent?.startsWith('Los horarios'));
    if (name === 'DarkTheme') {
      const bg = getComputedStyle(el.shadowRoot!.querySelector('.base')!).backgroundColor;
      expect(bg, 'dark surface').to.equal('rgb(22, 24, 28)');
    }
  },
});
