// The one harness for "every Storybook story of an element works outside Storybook": for each
// story export it builds a seeded mock FHIR server and a FhirClient on it, applies the story's
// globals (locale, theme), renders the story into a fixture (inside an <ehr-provider> unless the
// story says `parameters: { ehrProvider: false }`), runs its play function, waits for the selector
// the suite expects for that story, runs the suite's own checks, and runs axe.
//
//   describeStories('slot-picker', stories, { Default: '.time', … }, {
//     applyLocale: 'document-lang', rendered: '.time, .message, .loading', theme: 'light',
//     check: async (name, el) => { … },
//   });
import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { nothing, type TemplateResult } from 'lit';
import { createMockFhir } from '@ehr-kit/mock-fhir';
import { FhirClient } from '@ehr-kit/fhir-client';
import { setEhrLocale } from '@ehr-kit/core';
import '@ehr-kit/core/define';

/** A story as the harness reads it (Storybook's CSF, loosely typed). */
export interface AnyStory {
  args?: Record<string, unknown>;
  render?: (args: Record<string, unknown>, ctx: unknown) => TemplateResult;
  play?: (ctx: { canvasElement: HTMLElement; args: Record<string, unknown> }) => Promise<void>;
  parameters?: Record<string, unknown>;
  globals?: Record<string, unknown>;
}

export interface StoriesOptions {
  /**
   * How a story's `globals.locale` reaches the element: `ehr-locale` calls setEhrLocale() (and
   * back to 'en' afterwards); `document-lang` sets `<html lang>` (and puts back `lang="en"` and
   * setEhrLocale('en') after every story).
   */
  applyLocale: 'ehr-locale' | 'document-lang';
  /** What the element shows once it has rendered anything at all (before play runs). */
  rendered: string;
  /** The provider's `theme` when the story sets none (default: no theme attribute). */
  theme?: 'light' | 'dark';
  /** How long to wait for `rendered` and for the expected selector (ms; default 5000). */
  timeout?: number;
  /** The suite's own assertions for a story, after its expected selector showed and before axe. */
  check?: (name: string, el: HTMLElement) => void | Promise<void>;
}

/**
 * Declares `describe('<name> stories')` with one test per story export of `storiesModule`
 * (`<ehr-${name}>` is the element under test) and a test that `expected` names exactly those stories.
 */
export function describeStories(name: string, storiesModule: Record<string, unknown>, expected: Record<string, string>, o: StoriesOptions): void {
  const tag = `ehr-${name}`;
  const meta = storiesModule['default'] as AnyStory;
  const timeout = o.timeout ?? 5000;

  describe(`${name} stories`, function () {
    this.timeout(30_000);
    const names = Object.keys(storiesModule).filter((k) => k !== 'default');

    it('has a story for every state', () => {
      expect(names.length, 'stories found').to.be.greaterThan(0);
      expect([...names].sort()).to.deep.equal(Object.keys(expected).sort());
    });

    for (const story of names) {
      it(story, async () => {
        const s = storiesModule[story] as AnyStory;
        const selector = expected[story];
        if (!selector) throw new Error(`no expected selector for story ${story}`);
        const args = { ...meta.args, ...s.args };
        const mock = createMockFhir({ baseUrl: 'http://stories.provider/fhir', seed: 'demo' });
        const client = new FhirClient({ baseUrl: mock.baseUrl, fetch: mock.fetch });
        const locale = s.globals?.['locale'] ? String(s.globals['locale']) : undefined;
        if (locale && o.applyLocale === 'ehr-locale') await setEhrLocale(locale);
        if (locale && o.applyLocale === 'document-lang') document.documentElement.lang = locale;
        try {
          const template = (s.render ?? meta.render)!(args, {});
          const theme = (s.globals?.['theme'] as string | undefined) ?? o.theme;
          const wrapper = await fixture<HTMLElement>(
            s.parameters?.['ehrProvider'] === false
              ? html`<div>${template}</div>`
              : html`<div><ehr-provider .client=${client} theme=${theme ?? nothing}>${template}</ehr-provider></div>`,
          );
          const el = wrapper.querySelector<HTMLElement>(tag);
          if (!el) throw new Error(`story ${story} rendered no <${tag}>`);
          const shown = (sel: string) => !!el.shadowRoot?.querySelector(sel);
          await waitUntil(() => shown(o.rendered), `${story} rendered (${o.rendered})`, { timeout, interval: 20 });
          if (s.play) await s.play({ canvasElement: wrapper, args });
          await waitUntil(() => shown(selector), `${story} shows ${selector}`, { timeout, interval: 20 });
          if (o.check) await o.check(story, el);
          await aTimeout(20);
          await expect(el).to.be.accessible();
        } finally {
          if (o.applyLocale === 'document-lang') {
            document.documentElement.lang = 'en';
            await setEhrLocale('en');
          } else if (locale) await setEhrLocale('en');
        }
      });
    }
  });
}
