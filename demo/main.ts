/**
 * The demo page's own script (a clinic's web person would write something like it): start the
 * in-page mock FHIR server, then load every ehr-kit element, wire the language and theme switches,
 * and show the events the elements emit.
 */
import './trusted-types.js';
import { startMockFhirWorker } from '@ehr-kit/mock-fhir/browser';

type Locale = 'en' | 'es';
const text: Record<Locale, Record<string, string>> = {
  en: {
    skip: 'Skip to booking', tagline: 'Primary care for the whole family since 1998', navLabel: 'Main',
    navBook: 'Book a visit', navRegister: 'New patients', navVisit: 'Your visit', language: 'Language', dark: 'Dark theme',
    starting: 'Starting the demo FHIR server in this page…',
    ready: 'Demo data: the ehr-kit mock FHIR server is running in this page (MSW). Nothing leaves your browser.',
    failed: 'The demo FHIR server could not start in this browser: ',
    heroTitle: 'See a doctor this week',
    heroText: 'Same-week appointments with our family doctors. Pick a time that suits you, then tell us a little about yourself — it takes about two minutes.',
    bookTitle: 'Book a visit', bookText: "Free times for the next week, in the clinic's time zone.",
    registerTitle: 'New patient? Tell us about you', registerText: "We'll check whether you're already registered before creating a record.",
    moreTitle: 'More ehr-kit elements', eventsTitle: 'What the page heard',
    eventsText: 'Every ehr-kit element reports what it saved as a DOM event. The latest appear here.',
    footer: 'Demo page for ehr-kit. All data is made up and lives in this browser tab (mock FHIR server over MSW).',
    missing: 'is not built yet; it will appear here when its package registers it.',
    bookingFor: 'Booking for (demo patient):',
  },
  es: {
    skip: 'Ir a reservar', tagline: 'Atención primaria para toda la familia desde 1998', navLabel: 'Principal',
    navBook: 'Pedir cita', navRegister: 'Pacientes nuevos', navVisit: 'Su visita', language: 'Idioma', dark: 'Tema oscuro',
    starting: 'Iniciando el servidor FHIR de demostración en esta página…',
    ready: 'Datos de demostración: el servidor FHIR simulado de ehr-kit funciona en esta página (MSW). Nada sale de su navegador.',
    failed: 'El servidor FHIR de demostración no pudo iniciarse en este navegador: ',
    heroTitle: 'Vea a un médico esta semana',
    heroText: 'Citas en la misma semana con nuestros médicos de familia. Elija la hora que le convenga y cuéntenos un poco sobre usted: tarda unos dos minutos.',
    bookTitle: 'Pedir cita', bookText: 'Horas libres de la próxima semana, en la zona horaria de la clínica.',
    registerTitle: '¿Paciente nuevo? Cuéntenos sobre usted', registerText: 'Comprobaremos si ya está registrado antes de crear un expediente.',
    moreTitle: 'Más elementos de ehr-kit', eventsTitle: 'Lo que oyó la página',
    eventsText: 'Cada elemento de ehr-kit avisa de lo que guardó con un evento DOM. Los últimos aparecen aquí.',
    footer: 'Página de demostración de ehr-kit. Todos los datos son inventados y viven en esta pestaña (servidor FHIR simulado con MSW).',
    missing: 'aún no está construido; aparecerá aquí cuando su paquete lo registre.',
    bookingFor: 'Cita para (paciente de demostración):',
  },
};

const $ = <T extends Element>(sel: string) => document.querySelector<T>(sel)!;
const status = $<HTMLElement>('#mock-status');
let statusKey = 'starting';
let statusExtra = '';

function setStatus(key: string, state: string, extra = '') {
  statusKey = key;
  statusExtra = extra;
  status.dataset['state'] = state;
  status.textContent = t(key) + extra;
}
const locale = (): Locale => (document.documentElement.lang === 'es' ? 'es' : 'en');
const t = (key: string) => text[locale()][key] ?? text.en[key] ?? key;

function applyLocale(next: Locale) {
  // Elements follow <html lang> on their own; the page translates its own words.
  document.documentElement.lang = next;
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset['i18n']!);
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset['i18nLabel']!));
  status.textContent = t(statusKey) + statusExtra;
  for (const el of document.querySelectorAll<HTMLElement>('.missing')) el.lastChild!.textContent = ` ${t('missing')}`;
  const who = document.querySelector<HTMLElement>('#booking-for');
  if (who?.dataset['name']) who.textContent = `${t('bookingFor')} ${who.dataset['name']}`;
  localStorage.setItem('ehr-demo-lang', next);
}

function applyTheme(dark: boolean) {
  document.documentElement.dataset['theme'] = dark ? 'dark' : 'light';
  for (const p of document.querySelectorAll('ehr-provider')) p.setAttribute('theme', dark ? 'dark' : 'light');
  $('#theme').setAttribute('aria-pressed', String(dark));
  localStorage.setItem('ehr-demo-theme', dark ? 'dark' : 'light');
}

const langSelect = $<HTMLSelectElement>('#lang');
// ?lang=es&theme=dark (for links and screenshots) win over what was chosen last time.
const query = new URLSearchParams(location.search);
const savedLang = query.get('lang') ?? localStorage.getItem('ehr-demo-lang');
const initialLang: Locale = savedLang === 'es' || (!savedLang && navigator.language.startsWith('es')) ? 'es' : 'en';
langSelect.value = initialLang;
applyLocale(initialLang);
langSelect.addEventListener('change', () => applyLocale(langSelect.value as Locale));
const savedTheme = query.get('theme') ?? localStorage.getItem('ehr-demo-theme');
applyTheme(savedTheme ? savedTheme === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches);
$('#theme').addEventListener('click', () => applyTheme(document.documentElement.dataset['theme'] !== 'dark'));

function logEvent(event: Event) {
  const detail = (event as CustomEvent).detail as Record<string, unknown> | undefined;
  const li = document.createElement('li');
  const code = document.createElement('code');
  code.textContent = event.type;
  li.append(code, ` ${new Date().toLocaleTimeString(locale())} — `);
  const summary = Object.entries(detail ?? {}).map(([k, v]) => {
    const r = v as { resourceType?: string; id?: string } | undefined;
    return r?.resourceType ? `${k}: ${r.resourceType}/${r.id ?? '?'}` : `${k}: ${typeof v === 'object' ? (v instanceof Error ? v.message : '…') : String(v)}`;
  });
  li.append(summary.join(', ') || '(no detail)');
  const log = $('#event-log');
  log.prepend(li);
  while (log.children.length > 8) log.lastElementChild!.remove();
}

// The FHIR base URL must be absolute; the page serves its mock at /fhir on its own origin.
const fhirBaseUrl = new URL('/fhir', location.href).href;
for (const p of document.querySelectorAll('ehr-provider')) p.setAttribute('fhir-base-url', fhirBaseUrl);
try {
  await startMockFhirWorker({ baseUrl: fhirBaseUrl, seed: 'demo', quiet: true });
  setStatus('ready', 'ready');
} catch (error) {
  setStatus('failed', 'error', error instanceof Error ? error.message : String(error));
}

// A practitioner with a schedule and a patient to book for, from the server itself: the page
// does not hard-code mock ids. A patient saved in the form becomes the one the picker books for.
const picker = document.querySelector('ehr-slot-picker');
const bookingFor = $<HTMLElement>('#booking-for');
type Named = { id: string; name?: Array<{ given?: string[]; family?: string; text?: string }> };
const nameOf = (p: Named) => p.name?.[0]?.text ?? [...(p.name?.[0]?.given ?? []), p.name?.[0]?.family].filter(Boolean).join(' ');
function bookFor(patient: Named) {
  picker?.setAttribute('patient-id', patient.id);
  bookingFor.dataset['name'] = nameOf(patient);
  bookingFor.textContent = `${t('bookingFor')} ${nameOf(patient)}`;
}
const search = async <T>(query: string): Promise<T | undefined> => {
  const res = await fetch(`${fhirBaseUrl}/${query}`, { headers: { Accept: 'application/fhir+json' } });
  return ((await res.json()) as { entry?: Array<{ resource: T }> }).entry?.[0]?.resource;
};
try {
  const schedule = await search<{ id: string; actor?: Array<{ reference?: string }> }>('Schedule?_count=1');
  const practitioner = schedule?.actor?.find((a) => a.reference?.startsWith('Practitioner/'))?.reference?.split('/')[1];
  if (practitioner) picker?.setAttribute('practitioner-id', practitioner);
  else if (schedule) picker?.setAttribute('schedule-id', schedule.id);
  const patient = await search<Named>('Patient?_count=1');
  if (patient) bookFor(patient);
} catch {
  /* the picker shows its own empty/error state */
}
document.addEventListener('ehr-patient-saved', (e) => bookFor((e as CustomEvent<{ patient: Named }>).detail.patient));

// Register the elements only now, so their first requests reach the mock.
const { elements } = await import('virtual:ehr-kit/elements');
const registered = new Set(elements.map((e) => e.tag));
for (const name of new Set(['ehr-error', 'ehr-auth-changed', ...elements.flatMap((e) => e.events)])) {
  document.addEventListener(name, logEvent);
}
for (const section of document.querySelectorAll<HTMLElement>('[data-element]')) {
  const tag = section.dataset['element']!;
  if (registered.has(tag)) continue;
  section.querySelector(tag)?.remove();
  const note = document.createElement('p');
  note.className = 'missing';
  const code = document.createElement('code');
  code.textContent = `<${tag}>`;
  note.append(code, ` ${t('missing')}`);
  section.querySelector('ehr-provider')?.append(note);
}
// Elements the page has no place for yet still get shown, with their defaults.
const placed = new Set(['ehr-provider', ...[...document.querySelectorAll<HTMLElement>('[data-element]')].map((s) => s.dataset['element'])]);
const extra = elements.filter((e) => !placed.has(e.tag));
if (extra.length) {
  const more = $<HTMLElement>('#more');
  more.hidden = false;
  for (const e of extra) more.querySelector('ehr-provider')!.append(document.createElement(e.tag));
}
applyTheme(document.documentElement.dataset['theme'] === 'dark');
