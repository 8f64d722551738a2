// Every Storybook story of <ehr-provider>'s sign-in states renders (outside Storybook), shows the
// state it is named after, and is axe-clean there; "Sign in" goes through the stub AuthSource.
import { expect, fixture, waitUntil } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import type { EhrProvider } from '@ehr-kit/core';
import * as stories from '../../stories/provider.stories.js';

type AnyStory = { args?: Record<string, unknown>; render?: (args: Record<string, unknown>, ctx: unknown) => TemplateResult };
const meta = stories.default as unknown as AnyStory;

/** What each story shows: the prompt's words, or none (signed in). */
const expected: Record<string, RegExp | null> = {
  SignedOut: /Please sign in/,
  Expired: /Your session ended/,
  Denied: /Access was not allowed/,
  SignInError: /could not sign you in/,
  SignedIn: null,
  Popup: /Please sign in/,
};

const prompt = (el: EhrProvider) => el.shadowRoot!.querySelector('[part=sign-in]');

describe('provider stories', function () {
  this.timeout(20_000);
  const names = Object.keys(stories).filter((k) => k !== 'default');

  it('has a story for every sign-in state', () => {
    expect(names.sort()).to.deep.equal(Object.keys(expected).sort());
  });

  for (const name of names) {
    it(name, async () => {
      const story = (stories as unknown as Record<string, AnyStory>)[name]!;
      const args = { ...meta.args, ...story.args };
      const el = await fixture<EhrProvider>(meta.render!(args, {}));
      const words = expected[name];
      if (words) {
        expect(prompt(el)?.textContent).to.match(words);
      } else {
        expect(prompt(el)).to.equal(null);
      }
      const picker = el.querySelector('ehr-slot-picker');
      if (picker) await waitUntil(() => picker.shadowRoot?.querySelector('.time'), 'the child element never showed times', { timeout: 10_000 });
      await expect(el).to.be.accessible();
      if (words) {
        // The stub signs in when asked, the way the story is clicked through.
        (prompt(el)!.querySelector('button') as HTMLButtonElement).click();
        await waitUntil(() => el.authStateNow.status === 'signed-in', 'never signed in', { timeout: 5_000 });
        await el.updateComplete;
        expect(prompt(el)).to.equal(null);
        const asked = (el.authSource as unknown as { asked: unknown[] }).asked;
        expect(asked).to.deep.equal([args.popup ? { popup: true } : undefined]);
      }
    });
  }
});
