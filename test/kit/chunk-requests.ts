// What a page fetched of a built kit file (dist/ehr-kit.js, dist/autoloader.js) and when, from
// PerformanceResourceTiming, and the static import graph of those files as the browser sees it
// (the import header esbuild writes at the top of each file). Used by the bundle tests to prove
// that no request waits for another one it need not wait for.
import { expect } from '@open-wc/testing';
import { FhirClient } from '@ehr-kit/fhir-client';
import { createMockFhir, fixtures } from '@ehr-kit/mock-fhir';

/** A fetched file of dist/: its URL and its resource timing. */
export interface Fetched {
  url: string;
  start: number;
  end: number;
}

/** Every file under `dir` (a URL path) the page has requested, in request order. */
export function fetched(dir: string): Fetched[] {
  return (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
    // Module loads only: not the tests' own fetch() of a file (HEAD to see it is built, or its text).
    .filter((e) => new URL(e.name).pathname.startsWith(dir) && e.initiatorType !== 'fetch')
    .map((e) => ({ url: new URL(e.name).href, start: e.startTime, end: e.responseEnd }));
}

const texts = new Map<string, Promise<string>>();
/**
 * The served text of a file (fetched again; the timings above are taken before), without the
 * "use strict" the test server's esbuild pass puts first (it also reprints the code, spaced out).
 */
export function source(url: string): Promise<string> {
  let text = texts.get(url);
  if (!text) texts.set(url, (text = fetch(url).then(async (r) => (await r.text()).replace(/^\s*(["'])use strict\1;?/, ''))));
  return text;
}

/** The URLs a module imports statically (`import{…}from"x"`, `import"x"`, `export{…}from"x"`). */
export async function staticImports(url: string): Promise<string[]> {
  const code = await source(url);
  const re = /\s*(?:import|export)\s*(?:\{[^}]*\}\s*from\s*)?(["'])([^"']+)\1\s*;?/y;
  const found: string[] = [];
  for (let m = re.exec(code); m; m = re.exec(code)) found.push(new URL(m[2]!, url).href);
  return found;
}

/** Everything `url` loads through static imports, transitively, except the files in `loaded`. */
export async function staticClosure(url: string, loaded: ReadonlySet<string>): Promise<Set<string>> {
  const seen = new Set<string>();
  const visit = async (u: string): Promise<void> => {
    for (const dep of await staticImports(u)) {
      if (loaded.has(dep) || seen.has(dep)) continue;
      seen.add(dep);
      await visit(dep);
    }
  };
  await visit(url);
  return seen;
}

/** A file that only re-exports another (what the merge used to leave for each merged chunk). */
export async function isFacade(url: string): Promise<boolean> {
  return /^\s*export\s*\{[^}]*\}\s*from\s*(["'])[^"']+\1\s*;?\s*$/.test(await source(url));
}

/**
 * Every file of dist/ the page requested, checked against the static imports of each: none may be
 * a file that only re-exports another, and each file's static imports must have been requested
 * before that file had arrived (preloaded with it, or loaded earlier), not discovered by parsing it.
 */
export async function expectNoWaterfall(dir: string): Promise<void> {
  const requests = fetched(dir);
  for (const r of requests) expect(await isFacade(r.url), `${r.url} was requested but only re-exports another file`).to.equal(false);
  for (const r of requests) {
    for (const dep of await staticImports(r.url)) {
      const d = requests.find((x) => x.url === dep);
      expect(d, `${dep} (imported by ${r.url}) requested`).to.exist;
      expect(d!.start, `${dep} requested before ${r.url} had arrived`).to.be.below(r.end);
    }
  }
}

/**
 * The page both dist tests look at: an `<ehr-provider>` on an in-page mock (demo seed) holding a
 * patient form editing Ana and a slot picker for Dr Nguyen. The provider goes into the page first
 * (the autoloader defines a tag once it appears), its client is set once it is defined.
 */
export async function showFormAndPicker(baseUrl: string) {
  const mock = createMockFhir({ baseUrl, seed: 'demo' });
  const provider = document.createElement('ehr-provider') as HTMLElement & { client?: FhirClient };
  document.body.append(provider);
  await customElements.whenDefined('ehr-provider');
  provider.client = new FhirClient({ baseUrl: mock.baseUrl, fetch: mock.fetch, retry: { attempts: 1 } });
  const form = document.createElement('ehr-patient-form');
  form.setAttribute('patient-id', fixtures.patients.ana.id);
  const picker = document.createElement('ehr-slot-picker');
  picker.setAttribute('practitioner-id', fixtures.practitioners.nguyen.id);
  provider.append(form, picker);
  return { mock, provider, form, picker };
}
