/**
 * Stand-in for `@ehr-kit/mock-fhir/browser`, used by the demo only while that package has no
 * browser entry (scripts/lib/vite-plugins.mjs switches to the real one as soon as it exists).
 * The smallest honest FHIR: one clinic, one practitioner with free Slots over the next days,
 * Patient create/read/update/search, and the booking transaction (PUT Slot with If-Match +
 * POST Appointment), all in memory. The demo labels it as a stand-in.
 */
import { http, HttpResponse } from 'msw';
import { setupWorker } from 'msw/browser';

type Res = { resourceType: string; id: string; meta?: { versionId: string; lastUpdated: string }; [k: string]: unknown };

export async function startMockFhirWorker({ baseUrl = '/fhir' }: { baseUrl?: string; seed?: string } = {}) {
  const store = new Map<string, Res>();
  let n = 0;
  const put = (r: Res): Res => {
    const prev = store.get(`${r.resourceType}/${r.id}`);
    const saved = { ...r, meta: { versionId: String(Number(prev?.meta?.versionId ?? 0) + 1), lastUpdated: new Date().toISOString() } };
    store.set(`${r.resourceType}/${r.id}`, saved);
    return saved;
  };
  put({ resourceType: 'Practitioner', id: 'dr-rivera', name: [{ prefix: ['Dr.'], given: ['Ana'], family: 'Rivera' }] });
  put({ resourceType: 'Location', id: 'main-st', name: 'Riverside Family Clinic — Main St' });
  put({ resourceType: 'Schedule', id: 'rivera', actor: [{ reference: 'Practitioner/dr-rivera' }, { reference: 'Location/main-st' }] });
  const day0 = new Date();
  day0.setHours(0, 0, 0, 0);
  for (let d = 1; d <= 7; d++) {
    for (const [h, m] of [[9, 0], [9, 30], [10, 0], [11, 0], [14, 0], [14, 30], [16, 0]]) {
      const start = new Date(day0.getTime() + d * 86_400_000);
      start.setHours(h!, m!);
      if (start.getDay() === 0) continue;
      const end = new Date(start.getTime() + 30 * 60_000);
      put({ resourceType: 'Slot', id: `s${++n}`, schedule: { reference: 'Schedule/rivera' }, status: (n % 5 === 0 ? 'busy' : 'free'),
        start: start.toISOString(), end: end.toISOString(), serviceType: [{ text: 'Primary care visit' }] });
    }
  }
  put({ resourceType: 'Patient', id: 'maria-garcia', name: [{ given: ['María'], family: 'García' }], gender: 'female', birthDate: '1984-03-12' });

  const json = (body: unknown, status = 200, r?: Res) =>
    HttpResponse.json(body as Record<string, unknown>, { status, headers: { 'Content-Type': 'application/fhir+json', ...(r?.meta ? { ETag: `W/"${r.meta.versionId}"` } : {}) } });
  const outcome = (status: number, text: string) =>
    json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: status === 404 ? 'not-found' : status === 412 ? 'conflict' : 'processing', diagnostics: text }] }, status);
  const searchset = (rs: Res[]) => json({ resourceType: 'Bundle', type: 'searchset', total: rs.length, entry: rs.map((resource) => ({ fullUrl: `${base}/${resource.resourceType}/${resource.id}`, resource, search: { mode: 'match' } })) });
  const base = new URL(baseUrl, location.href).href.replace(/\/$/, '');

  function search(type: string, params: URLSearchParams): Res[] {
    let rs = [...store.values()].filter((r) => r.resourceType === type);
    for (const [k, v] of params) {
      if (k.startsWith('_')) continue;
      const [name] = k.split(':');
      rs = rs.filter((r) => {
        if (name === 'status') return v.split(',').includes(String(r.status));
        if (name === 'schedule') return (r.schedule as { reference?: string })?.reference?.endsWith(v.replace(/^.*\//, ''));
        if (name === 'actor') return JSON.stringify(r.actor ?? '').includes(v.replace(/^.*\//, ''));
        if (name === 'start') {
          const t = Date.parse(v.replace(/^(ge|gt|le|lt|eq)/, '')), s = Date.parse(String(r.start));
          return v.startsWith('lt') ? s < t : v.startsWith('le') ? s <= t : v.startsWith('gt') ? s > t : s >= t;
        }
        if (name === 'family' || name === 'name' || name === 'given') return JSON.stringify(r.name ?? '').toLowerCase().includes(v.toLowerCase());
        if (name === 'birthdate') return r.birthDate === v.replace(/^eq/, '');
        if (name === '_id' || name === 'identifier') return r.id === v;
        return true;
      });
    }
    return rs.sort((a, b) => String(a.start ?? '').localeCompare(String(b.start ?? '')));
  }

  function write(method: string, type: string, id: string | undefined, body: Res, ifMatch: string | null): { status: number; r?: Res; error?: string } {
    if (method === 'POST') return { status: 201, r: put({ ...body, id: crypto.randomUUID() }) };
    const cur = store.get(`${type}/${id}`);
    if (ifMatch && cur && ifMatch !== `W/"${cur.meta?.versionId}"`) return { status: 412, error: `${type}/${id} changed since you loaded it` };
    if (type === 'Slot' && body.status === 'busy' && cur?.status === 'busy') return { status: 409, error: 'That time was just taken' };
    return { status: cur ? 200 : 201, r: put({ ...body, id: id! }) };
  }

  const handlers = [
    http.get(`${base}/metadata`, () => json({ resourceType: 'CapabilityStatement', status: 'active', kind: 'instance', fhirVersion: '4.0.1', format: ['json'], date: '2026-01-01' })),
    http.post(`${base}`, async ({ request }) => {
      const bundle = (await request.json()) as { type: string; entry?: Array<{ fullUrl?: string; resource: Res; request: { method: string; url: string; ifMatch?: string } }> };
      const results = [];
      for (const e of bundle.entry ?? []) {
        const [type, id] = e.request.url.split('?')[0]!.split('/');
        const out = write(e.request.method, type!, id, e.resource, e.request.ifMatch ?? null);
        if (out.error) return outcome(out.status, out.error); // all or nothing: this stand-in checks before writing only the guard it needs
        results.push({ resource: out.r, response: { status: `${out.status}`, etag: `W/"${out.r!.meta!.versionId}"`, location: `${type}/${out.r!.id}/_history/${out.r!.meta!.versionId}` } });
      }
      return json({ resourceType: 'Bundle', type: `${bundle.type}-response`, entry: results });
    }),
    http.get(`${base}/:type/:id`, ({ params }) => {
      const r = store.get(`${params.type}/${params.id}`);
      return r ? json(r, 200, r) : outcome(404, `${params.type}/${params.id} not found`);
    }),
    http.get(`${base}/:type`, ({ params, request }) => searchset(search(String(params.type), new URL(request.url).searchParams))),
    http.post(`${base}/:type/_search`, async ({ params, request }) => searchset(search(String(params.type), new URLSearchParams(await request.text())))),
    http.post(`${base}/:type`, async ({ params, request }) => {
      const out = write('POST', String(params.type), undefined, (await request.json()) as Res, null);
      return json(out.r, 201, out.r);
    }),
    http.put(`${base}/:type/:id`, async ({ params, request }) => {
      const out = write('PUT', String(params.type), String(params.id), (await request.json()) as Res, request.headers.get('If-Match'));
      return out.error ? outcome(out.status, out.error) : json(out.r, out.status, out.r);
    }),
  ];
  const worker = setupWorker(...handlers);
  await worker.start({ onUnhandledRequest: 'bypass', quiet: true, serviceWorker: { url: '/mockServiceWorker.js' } });
  return { mock: { store }, stop: () => worker.stop() };
}
