// The autoloader imports an element's module the first time its tag appears: in the document,
// or in an open shadow root it can see. Nothing else in this file imports an element.
import { expect, waitUntil } from '@open-wc/testing';
import { discover } from '@ehr-kit/kit/autoloader';
import { elementLoaders } from '../../packages/kit/src/elements.js';

const tags = Object.keys(elementLoaders);
const defined = (tag: string) => customElements.get(tag) !== undefined;

describe('kit autoloader', () => {
  it('knows every element tag and has loaded none of them before they appear', () => {
    expect(tags).to.include.members(['ehr-provider', 'ehr-slot-picker', 'ehr-patient-form']);
    for (const tag of tags) expect(defined(tag), tag).to.equal(false);
  });

  it('defines an element when its tag is added to the document', async () => {
    const el = document.createElement('ehr-provider');
    document.body.append(el);
    await waitUntil(() => defined('ehr-provider'), 'ehr-provider was never defined', { timeout: 10_000 });
    expect(el.shadowRoot, 'upgraded in place').to.exist;
    expect(defined('ehr-slot-picker'), 'only what appeared is loaded').to.equal(false);
    el.remove();
  });

  it('defines an element that appears inside an open shadow root', async () => {
    const host = document.createElement('div');
    const root = host.attachShadow({ mode: 'open' });
    document.body.append(host);
    await new Promise((r) => setTimeout(r, 0));
    root.innerHTML = '<ehr-slot-picker></ehr-slot-picker>';
    await waitUntil(() => defined('ehr-slot-picker'), 'ehr-slot-picker was never defined', { timeout: 10_000 });
    host.remove();
  });

  it('loads what is already in a closed shadow root when asked with discover()', async () => {
    const host = document.createElement('div');
    const root = host.attachShadow({ mode: 'closed' });
    root.innerHTML = '<ehr-patient-form></ehr-patient-form>';
    document.body.append(host);
    await new Promise((r) => setTimeout(r, 50));
    expect(defined('ehr-patient-form'), 'a closed root is invisible to the autoloader').to.equal(false);
    await discover(root);
    expect(defined('ehr-patient-form')).to.equal(true);
    host.remove();
  });
});
