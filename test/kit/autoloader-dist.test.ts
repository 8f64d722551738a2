// The built autoloader (packages/kit/dist/autoloader.js, from `npm run build`) on its own page, as a
// <script type="module"> page gets it: an element's module, its shell's chunks and its view are
// lazy files several imports deep; each dynamic import starts fetching what its target imports
// statically, so no file is discovered only by parsing the one that imports it. Nothing here
// imports an element from source; the mock and the FHIR client come from source (they define no tags).
import { expect, waitUntil } from '@open-wc/testing';
import { expectNoWaterfall, fetched, showFormAndPicker, staticClosure } from './chunk-requests.js';

const AUTOLOADER = '/packages/kit/dist/autoloader.js';
const DIST = '/packages/kit/dist/';
const qa = (el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll(sel)];

describe('kit autoloader, built (dist/autoloader.js)', function () {
  this.timeout(30_000);

  before(async function () {
    const res = await fetch(AUTOLOADER, { method: 'HEAD' }).catch(() => undefined);
    if (!res?.ok || !/javascript/.test(res.headers.get('content-type') ?? '')) {
      console.warn(`skipped: ${AUTOLOADER} is not built — run \`npm run build\` first (.ci/run does)`);
      this.skip();
    }
    await import(/* @vite-ignore */ AUTOLOADER);
  });

  it('shows a patient form and free times; every file each one needs is requested with the import that needs it', async () => {
    const { provider, form, picker } = await showFormAndPicker('http://autoloader-dist.mock/fhir');
    await waitUntil(() => form.shadowRoot?.querySelector('input'), 'the form never showed', { timeout: 10_000 });
    await waitUntil(() => picker.shadowRoot && qa(picker, '.time').length > 0, 'no times shown', { timeout: 10_000 });

    const views = fetched(DIST).filter((r) => /\/elements\/view-[^/]+\.js$/.test(r.url));
    expect(views, 'one view chunk per element').to.have.length(2);
    const autoloader = new URL(AUTOLOADER, location.href).href;
    // Not vacuous: in this build a view imports chunks that its element's module does not.
    const defines = fetched(DIST).filter((r) => /\/elements\/define-[^/]+\.js$/.test(r.url));
    const upFront = new Set([autoloader]);
    for (const d of defines) for (const u of await staticClosure(d.url, upFront)) upFront.add(u);
    const ownImports = await Promise.all(views.map((v) => staticClosure(v.url, upFront)));
    expect(ownImports.some((deps) => deps.size > 0), 'a view imports chunks of its own').to.equal(true);
    await expectNoWaterfall(DIST);
    provider.remove();
  });
});
