// Every Storybook story of <ehr-patient-form> renders, runs its play function without an uncaught
// error, reaches the state it is named after, is axe-clean there, and uses static styles only.
// The harness is shared with the other elements' story suites (test/support/stories.ts).
import { expect } from '@open-wc/testing';
import * as stories from '../../stories/patient-form.stories.js';
import { describeStories } from '../support/stories.js';

/** What each story should end up showing. */
const expected: Record<string, string> = {
  Create: 'form', Edit: 'form', AllSections: '[data-section=origin]', Readonly: 'form', Loading: '[part=loading]',
  LoadError: '[part=error]', ValidationErrors: '.error-summary', DuplicateWarning: '[part=duplicate]',
  DuplicateWarningClinician: '[part=duplicate] li', Saving: 'form[aria-busy=true]', Saved: '[part=status].alert-success',
  NetworkError: '[part=error]', SignedOut: '[part=error]', Conflict: '[part=conflict]', ServerRejected: '#f-postalCode-error',
  OddText: 'form', Spanish: 'form', Mobile: 'form',
};

describeStories('patient-form', stories, expected, {
  applyLocale: 'ehr-locale',
  rendered: 'form, [part=loading], [part=error]',
  check: (_name, el) => {
    // Strict CSP: static styles only — no style attributes, no <style> elements in the shadow root.
    expect(el.shadowRoot!.querySelectorAll('[style], style')).to.have.length(0);
    expect(el.shadowRoot!.adoptedStyleSheets.length).to.be.greaterThan(0);
  },
});
