// Spanish ships complete: every message id the element uses has a Spanish template, and no template is orphaned.
import { expect } from '@open-wc/testing';
import { templates } from '../../packages/patient-form/src/locales/es.js';

describe('patient-form Spanish templates', () => {
  it('cover exactly the ids the element uses', async () => {
    // The element's words live in its shell, its view and the code the view loads on demand (flow.ts).
    const files = ['patient-form.ts', 'view.ts', 'flow.ts'];
    const source = (await Promise.all(files.map((f) => fetch(`/packages/patient-form/src/${f}`).then((r) => r.text())))).join('\n');
    const used = [...new Set([...source.matchAll(/id: ["'](patient-form\.[^"']+)["']/g)].map((m) => m[1]))].sort();
    expect(used.length).to.be.greaterThan(50);
    expect(Object.keys(templates).sort()).to.deep.equal(used);
    for (const [id, text] of Object.entries(templates)) expect(String(text).trim(), id).not.to.equal('');
  });
});
