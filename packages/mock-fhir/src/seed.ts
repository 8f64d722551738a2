// Seed data. 'demo' is a believable two-site clinic (New York and Berlin): practitioners with
// schedules in their own time zones, free and busy slots for the next 21 days relative to `now`,
// patients with varied names, past encounters with vital signs and notes, and a video visit today.
// Deterministic: the same seed name and `now` give the same resources.
import type { SeedContext, SeedFn } from './mock.ts';
import type { Res } from './util.ts';

export const TIMEZONE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/timezone';
export const VIRTUAL_SERVICE_EXTENSION = 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Appointment.virtualService';
const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const MRN = 'urn:oid:2.16.840.1.113883.19.5';

/** Ids of the demo clinic's resources, for tests and stories. */
export const fixtures = {
  organization: { id: 'org-riverside', name: 'Riverside Health Partners' },
  locations: {
    brooklyn: { id: 'loc-brooklyn', name: 'Riverside Brooklyn', timezone: 'America/New_York' },
    berlin: { id: 'loc-berlin', name: 'Riverside Berlin-Mitte', timezone: 'Europe/Berlin' },
  },
  practitioners: {
    nguyen: { id: 'pract-nguyen', name: 'Dr. Linh Nguyễn', timezone: 'America/New_York', schedule: 'sched-nguyen', role: 'role-nguyen' },
    okafor: { id: 'pract-okafor', name: 'Dr. Chidi Okafor', timezone: 'America/New_York', schedule: 'sched-okafor', role: 'role-okafor' },
    garcia: { id: 'pract-garcia', name: 'Dra. María José García-López', timezone: 'America/New_York', schedule: 'sched-garcia', role: 'role-garcia' },
    mueller: { id: 'pract-mueller', name: 'Dr. Jörg Müller', timezone: 'Europe/Berlin', schedule: 'sched-mueller', role: 'role-mueller' },
  },
  schedules: {
    nguyen: { id: 'sched-nguyen', timezone: 'America/New_York' },
    okafor: { id: 'sched-okafor', timezone: 'America/New_York' },
    garcia: { id: 'sched-garcia', timezone: 'America/New_York' },
    mueller: { id: 'sched-mueller', timezone: 'Europe/Berlin' },
  },
  patients: {
    ana: { id: 'pat-ana-garcia', name: 'Ana María García Pérez' },
    zoe: { id: 'pat-zoe-obrien', name: "Zoë O'Brien" },
    jeanLuc: { id: 'pat-jean-luc-dubois', name: 'Jean-Luc Dubois' },
    wei: { id: 'pat-zhang-wei', name: '张伟 (Zhang Wei)' },
    fatima: { id: 'pat-fatima-alzahra', name: 'فاطمة الزهراء (Fatima Al-Zahra)' },
    soren: { id: 'pat-soren-odegard', name: 'Søren Ødegård' },
    an: { id: 'pat-nguyen-van-an', name: 'Nguyễn Văn An' },
    yuki: { id: 'pat-tanaka-yuki', name: '田中 由紀 (Tanaka Yuki)' },
    jose: { id: 'pat-jose-martinez', name: 'José Martínez' },
    aoife: { id: 'pat-aoife-ni-mhaolain', name: 'Aoife Ní Mhaoláin' },
    bjork: { id: 'pat-bjork-gudmundsdottir', name: 'Björk Guðmundsdóttir' },
    olamide: { id: 'pat-olamide-adeyemi', name: 'Olamide Adéyẹmí' },
    priya: { id: 'pat-priya-raman', name: 'Priya Raman' },
    dmitri: { id: 'pat-dmitri-ivanov', name: 'Дмитрий Иванов (Dmitri Ivanov)' },
    leila: { id: 'pat-leila-haddad', name: 'Leïla Haddad' },
    mary: { id: 'pat-mary-smith-jones', name: 'Mary Smith-Jones' },
    francois: { id: 'pat-francois-lefevre', name: 'François Lefèvre' },
    minjun: { id: 'pat-kim-minjun', name: '김민준 (Kim Min-jun)' },
    hannah: { id: 'pat-hannah-mueller', name: 'Hannah Müller' },
    ella: { id: 'pat-ella-oconnor', name: "Ella O'Connor (infant)" },
  },
  /** Today's video visit: Appointment (booked, virtualService) + Encounter 'arrived' (waiting room). */
  videoVisit: { appointment: 'appt-video-today', encounter: 'enc-video-today', patient: 'pat-zoe-obrien', practitioner: 'pract-nguyen' },
} as const;

export type Fixtures = typeof fixtures;

// ---------------------------------------------------------------------------------------------
// time zones (Intl only; no library)

const dtfCache = new Map<string, Intl.DateTimeFormat>();
function zoneParts(zone: string, t: number): { y: number; m: number; d: number; h: number; min: number; wd: number } {
  let f = dtfCache.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short',
    });
    dtfCache.set(zone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(new Date(t))) p[part.type] = part.value;
  const wd = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday!);
  return { y: +p.year!, m: +p.month! - 1, d: +p.day!, h: +p.hour! % 24, min: +p.minute!, wd };
}
/** Epoch ms of a wall-clock time in a zone. */
export function zonedTime(zone: string, y: number, m: number, d: number, h: number, min: number): number {
  const wall = Date.UTC(y, m, d, h, min);
  let t = wall;
  for (let i = 0; i < 2; i++) {
    const p = zoneParts(zone, t);
    const off = Date.UTC(p.y, p.m, p.d, p.h, p.min) - t;
    t = wall - off;
  }
  return t;
}
const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
const isoDate = (t: number) => new Date(t).toISOString().slice(0, 10);

function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

// ---------------------------------------------------------------------------------------------

interface PatientSpec {
  key: keyof Fixtures['patients'];
  names: Array<{ family: string; given: string[]; use?: string; text?: string }>;
  gender: 'male' | 'female' | 'other' | 'unknown';
  birthDate: string;
  lang: string;
  city: string;
  site: 'ny' | 'berlin';
}

const PATIENTS: PatientSpec[] = [
  { key: 'ana', names: [{ family: 'García Pérez', given: ['Ana', 'María'] }], gender: 'female', birthDate: '1985-03-14', lang: 'es', city: 'Brooklyn', site: 'ny' },
  { key: 'zoe', names: [{ family: "O'Brien", given: ['Zoë'] }], gender: 'female', birthDate: '1992-07-01', lang: 'en', city: 'Brooklyn', site: 'ny' },
  { key: 'jeanLuc', names: [{ family: 'Dubois', given: ['Jean-Luc'] }], gender: 'male', birthDate: '1978-11-30', lang: 'fr', city: 'Queens', site: 'ny' },
  { key: 'wei', names: [{ family: '张', given: ['伟'], text: '张伟' }, { family: 'Zhang', given: ['Wei'], use: 'usual' }], gender: 'male', birthDate: '1990-02-02', lang: 'zh', city: 'Flushing', site: 'ny' },
  { key: 'fatima', names: [{ family: 'الزهراء', given: ['فاطمة'], text: 'فاطمة الزهراء' }, { family: 'Al-Zahra', given: ['Fatima'], use: 'usual' }], gender: 'female', birthDate: '1988-09-09', lang: 'ar', city: 'Bay Ridge', site: 'ny' },
  { key: 'soren', names: [{ family: 'Ødegård', given: ['Søren'] }], gender: 'male', birthDate: '1969-05-17', lang: 'no', city: 'Berlin', site: 'berlin' },
  { key: 'an', names: [{ family: 'Nguyễn', given: ['Văn', 'An'] }], gender: 'male', birthDate: '2001-01-23', lang: 'vi', city: 'Brooklyn', site: 'ny' },
  { key: 'yuki', names: [{ family: '田中', given: ['由紀'], text: '田中 由紀' }, { family: 'Tanaka', given: ['Yuki'], use: 'usual' }], gender: 'female', birthDate: '1995-12-03', lang: 'ja', city: 'Berlin', site: 'berlin' },
  { key: 'jose', names: [{ family: 'Martínez', given: ['José'] }], gender: 'male', birthDate: '1956-04-08', lang: 'es', city: 'Bronx', site: 'ny' },
  { key: 'aoife', names: [{ family: 'Ní Mhaoláin', given: ['Aoife'] }], gender: 'female', birthDate: '1983-08-21', lang: 'ga', city: 'Brooklyn', site: 'ny' },
  { key: 'bjork', names: [{ family: 'Guðmundsdóttir', given: ['Björk'] }], gender: 'female', birthDate: '1975-11-21', lang: 'is', city: 'Berlin', site: 'berlin' },
  { key: 'olamide', names: [{ family: 'Adéyẹmí', given: ['Olamide'] }], gender: 'female', birthDate: '1999-06-12', lang: 'yo', city: 'Brooklyn', site: 'ny' },
  { key: 'priya', names: [{ family: 'Raman', given: ['Priya'] }], gender: 'female', birthDate: '1987-10-05', lang: 'ta', city: 'Jersey City', site: 'ny' },
  { key: 'dmitri', names: [{ family: 'Иванов', given: ['Дмитрий'], text: 'Дмитрий Иванов' }, { family: 'Ivanov', given: ['Dmitri'], use: 'usual' }], gender: 'male', birthDate: '1972-03-03', lang: 'ru', city: 'Berlin', site: 'berlin' },
  { key: 'leila', names: [{ family: 'Haddad', given: ['Leïla'] }], gender: 'female', birthDate: '1993-02-28', lang: 'fr', city: 'Berlin', site: 'berlin' },
  { key: 'mary', names: [{ family: 'Smith-Jones', given: ['Mary', 'Ann'] }], gender: 'female', birthDate: '1948-12-25', lang: 'en', city: 'Staten Island', site: 'ny' },
  { key: 'francois', names: [{ family: 'Lefèvre', given: ['François'] }], gender: 'male', birthDate: '1980-07-14', lang: 'fr', city: 'Berlin', site: 'berlin' },
  { key: 'minjun', names: [{ family: '김', given: ['민준'], text: '김민준' }, { family: 'Kim', given: ['Min-jun'], use: 'usual' }], gender: 'male', birthDate: '2010-04-04', lang: 'ko', city: 'Fort Lee', site: 'ny' },
  { key: 'hannah', names: [{ family: 'Müller', given: ['Hannah'] }], gender: 'female', birthDate: '1991-01-09', lang: 'de', city: 'Berlin', site: 'berlin' },
  { key: 'ella', names: [{ family: "O'Connor", given: ['Ella'] }], gender: 'female', birthDate: '', lang: 'en', city: 'Brooklyn', site: 'ny' },
];

const PRACTITIONERS = [
  { key: 'nguyen', family: 'Nguyễn', given: ['Linh'], prefix: 'Dr.', gender: 'female', site: 'ny', specialty: ['419772000', 'Family practice'], lang: ['en', 'vi'] },
  { key: 'okafor', family: 'Okafor', given: ['Chidi'], prefix: 'Dr.', gender: 'male', site: 'ny', specialty: ['394537008', 'Paediatric specialty'], lang: ['en', 'ig'] },
  { key: 'garcia', family: 'García-López', given: ['María', 'José'], prefix: 'Dra.', gender: 'female', site: 'ny', specialty: ['394802001', 'General medicine'], lang: ['es', 'en'] },
  { key: 'mueller', family: 'Müller', given: ['Jörg'], prefix: 'Dr.', gender: 'male', site: 'berlin', specialty: ['419772000', 'Family practice'], lang: ['de', 'en'] },
] as const;

const NOTE_TYPES = [
  ['11506-3', 'Progress note'],
  ['11488-4', 'Consult note'],
  ['34117-2', 'History and physical note'],
] as const;

export const demoSeed: SeedFn = ({ now, rng }: SeedContext): Res[] => {
  const out: Res[] = [];
  const nowMs = now.getTime();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const f = fixtures;

  out.push({
    resourceType: 'Organization', id: f.organization.id, active: true, name: f.organization.name,
    type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov', display: 'Healthcare Provider' }] }],
    telecom: [{ system: 'phone', value: '+1 718 555 0100' }],
  });
  const sites = {
    ny: { loc: f.locations.brooklyn, zone: 'America/New_York', address: { line: ['250 Atlantic Ave'], city: 'Brooklyn', state: 'NY', postalCode: '11201', country: 'US' }, phone: '+1 718 555 0100' },
    berlin: { loc: f.locations.berlin, zone: 'Europe/Berlin', address: { line: ['Friedrichstraße 120'], city: 'Berlin', postalCode: '10117', country: 'DE' }, phone: '+49 30 555 0100' },
  };
  for (const s of Object.values(sites)) {
    out.push({
      resourceType: 'Location', id: s.loc.id, status: 'active', name: s.loc.name, mode: 'instance',
      extension: [{ url: TIMEZONE_EXTENSION, valueCode: s.zone }],
      address: s.address, telecom: [{ system: 'phone', value: s.phone }],
      managingOrganization: { reference: `Organization/${f.organization.id}` },
    });
  }

  for (const p of PRACTITIONERS) {
    const fx = f.practitioners[p.key];
    const site = sites[p.site];
    out.push({
      resourceType: 'Practitioner', id: fx.id, active: true,
      identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: `1${String(1000 + PRACTITIONERS.indexOf(p)).padStart(9, '0')}` }],
      name: [{ use: 'official', family: p.family, given: [...p.given], prefix: [p.prefix] }],
      gender: p.gender,
      telecom: [{ system: 'email', value: `${p.key}@riverside.example` }],
      communication: p.lang.map((l) => ({ coding: [{ system: 'urn:ietf:bcp:47', code: l }] })),
    });
    out.push({
      resourceType: 'PractitionerRole', id: fx.role, active: true,
      practitioner: { reference: `Practitioner/${fx.id}`, display: fx.name },
      organization: { reference: `Organization/${f.organization.id}` },
      location: [{ reference: `Location/${site.loc.id}` }],
      specialty: [{ coding: [{ system: 'http://snomed.info/sct', code: p.specialty[0], display: p.specialty[1] }] }],
    });
    out.push({
      resourceType: 'Schedule', id: fx.schedule, active: true,
      extension: [{ url: TIMEZONE_EXTENSION, valueCode: site.zone }],
      actor: [
        { reference: `Practitioner/${fx.id}`, display: fx.name },
        { reference: `Location/${site.loc.id}`, display: site.loc.name },
      ],
      serviceType: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/service-type', code: '124', display: 'General Practice' }] }],
      specialty: [{ coding: [{ system: 'http://snomed.info/sct', code: p.specialty[0], display: p.specialty[1] }] }],
      planningHorizon: { start: iso(nowMs - 24 * 3600_000), end: iso(nowMs + 22 * 24 * 3600_000) },
      comment: `${fx.name} — 30-minute visits, ${site.zone}`,
    });
  }

  // patients
  const patientIds: string[] = [];
  PATIENTS.forEach((p, i) => {
    const fx = f.patients[p.key];
    patientIds.push(fx.id);
    const birthDate = p.birthDate || isoDate(nowMs - 200 * 24 * 3600_000);
    out.push({
      resourceType: 'Patient', id: fx.id, active: true,
      identifier: [{ use: 'usual', type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }], text: 'MRN' }, system: MRN, value: `MRN${String(10001 + i)}` }],
      name: p.names.map((n, j) => ({ use: n.use ?? (j === 0 ? 'official' : 'usual'), ...(n.text ? { text: n.text } : {}), family: n.family, given: n.given })),
      gender: p.gender, birthDate,
      telecom: [
        { system: 'phone', value: p.site === 'ny' ? `+1 718 555 ${String(1000 + i * 7)}` : `+49 30 555 ${String(2000 + i * 7)}`, use: 'mobile' },
        { system: 'email', value: `patient${i + 1}@example.org` },
      ],
      address: [{ use: 'home', line: [`${10 + i * 3} ${p.site === 'ny' ? 'Bergen St' : 'Torstraße'}`], city: p.city, ...(p.site === 'ny' ? { state: p.city === 'Jersey City' || p.city === 'Fort Lee' ? 'NJ' : 'NY', postalCode: `11${200 + i}`, country: 'US' } : { postalCode: `10${115 + i}`, country: 'DE' }) }],
      communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: p.lang }] }, preferred: true }],
      generalPractitioner: [{ reference: `Practitioner/${p.site === 'ny' ? (p.key === 'ella' || p.key === 'minjun' ? f.practitioners.okafor.id : p.lang === 'es' ? f.practitioners.garcia.id : f.practitioners.nguyen.id) : f.practitioners.mueller.id}` }],
      managingOrganization: { reference: `Organization/${f.organization.id}` },
    });
  });

  // slots: next 21 days, weekdays, 09:00–12:00 and 13:00–17:00 local, 30 minutes
  const slotIdsBySchedule = new Map<string, Array<{ id: string; start: number; end: number; busy: boolean }>>();
  for (const p of PRACTITIONERS) {
    const fx = f.practitioners[p.key];
    const zone = sites[p.site].zone;
    const today = zoneParts(zone, nowMs);
    const list: Array<{ id: string; start: number; end: number; busy: boolean }> = [];
    for (let day = 0; day < 21; day++) {
      const noon = zonedTime(zone, today.y, today.m, today.d + day, 12, 0);
      const dp = zoneParts(zone, noon);
      if (dp.wd === 0 || dp.wd === 6) continue;
      // working hours never straddle a DST switch (those happen at night): one offset per day
      const offset = noon - Date.UTC(dp.y, dp.m, dp.d, 12, 0);
      for (let h = 9; h < 17; h++) {
        if (h === 12) continue;
        for (const min of [0, 30]) {
          const start = Date.UTC(dp.y, dp.m, dp.d, h, min) + offset;
          if (start < nowMs) continue;
          const busy = rng() < 0.3;
          const id = `slot-${p.key}-${dp.y}${String(dp.m + 1).padStart(2, '0')}${String(dp.d).padStart(2, '0')}-${String(h).padStart(2, '0')}${String(min).padStart(2, '0')}`;
          list.push({ id, start, end: start + 30 * 60_000, busy });
          out.push({
            resourceType: 'Slot', id, schedule: { reference: `Schedule/${fx.schedule}` }, status: busy ? 'busy' : 'free',
            start: iso(start), end: iso(start + 30 * 60_000),
            serviceType: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/service-type', code: '124', display: 'General Practice' }] }],
          });
        }
      }
    }
    slotIdsBySchedule.set(fx.schedule, list);
  }

  // some busy slots are booked appointments
  let apptN = 0;
  for (const p of PRACTITIONERS) {
    const fx = f.practitioners[p.key];
    for (const s of slotIdsBySchedule.get(fx.schedule)!.filter((x) => x.busy).slice(0, 6)) {
      const patient = pick(patientIds);
      out.push({
        resourceType: 'Appointment', id: `appt-${++apptN}`, status: 'booked',
        serviceType: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/service-type', code: '124', display: 'General Practice' }] }],
        start: iso(s.start), end: iso(s.end), minutesDuration: 30, slot: [{ reference: `Slot/${s.id}` }],
        participant: [
          { actor: { reference: `Patient/${patient}` }, status: 'accepted', required: 'required' },
          { actor: { reference: `Practitioner/${fx.id}`, display: fx.name }, status: 'accepted', required: 'required' },
        ],
      });
    }
  }

  // past encounters with vitals and notes
  let encN = 0;
  let obsN = 0;
  let docN = 0;
  PATIENTS.forEach((p, i) => {
    const fx = f.patients[p.key];
    const visits = 1 + Math.floor(rng() * 2);
    const infant = p.key === 'ella';
    const practitioner =
      p.site === 'berlin' ? f.practitioners.mueller : infant || p.key === 'minjun' ? f.practitioners.okafor : p.lang === 'es' ? f.practitioners.garcia : f.practitioners.nguyen;
    for (let v = 0; v < visits; v++) {
      const start = nowMs - (30 + Math.floor(rng() * 300)) * 24 * 3600_000 - v * 90 * 24 * 3600_000 + ((i * 37) % 480) * 60_000;
      const end = start + 25 * 60_000;
      const encId = `enc-${++encN}`;
      out.push({
        resourceType: 'Encounter', id: encId, status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
        type: [{ coding: [{ system: 'http://snomed.info/sct', code: '185349003', display: 'Encounter for check up' }] }],
        subject: { reference: `Patient/${fx.id}` },
        participant: [{ individual: { reference: `Practitioner/${practitioner.id}`, display: practitioner.name } }],
        period: { start: iso(start), end: iso(end) },
        location: [{ location: { reference: `Location/${p.site === 'ny' ? f.locations.brooklyn.id : f.locations.berlin.id}` } }],
        serviceProvider: { reference: `Organization/${f.organization.id}` },
      });
      const when = iso(start + 5 * 60_000);
      const common = (code: string, display: string) => ({
        resourceType: 'Observation', id: `obs-${++obsN}`, status: 'final',
        category: [{ coding: [{ system: OBS_CATEGORY, code: 'vital-signs', display: 'Vital Signs' }], text: 'Vital Signs' }],
        code: { coding: [{ system: LOINC, code, display }], text: display },
        subject: { reference: `Patient/${fx.id}` }, encounter: { reference: `Encounter/${encId}` },
        effectiveDateTime: when, issued: when,
        performer: [{ reference: `Practitioner/${practitioner.id}` }],
        meta: { profile: [`http://hl7.org/fhir/StructureDefinition/${profileFor(code)}`] },
      });
      const q = (value: number, unit: string, code: string) => ({ value, unit, system: UCUM, code });
      const r1 = (x: number) => Math.round(x * 10) / 10;
      const heightCm = infant ? r1(60 + rng() * 8) : r1(155 + rng() * 35);
      const weightKg = infant ? r1(5.5 + rng() * 2) : r1(50 + rng() * 45);
      const sys = Math.round(105 + rng() * 35);
      const dia = Math.round(65 + rng() * 20);
      if (!infant) {
        out.push({
          ...common('85354-9', 'Blood pressure panel with all children optional'),
          component: [
            { code: { coding: [{ system: LOINC, code: '8480-6', display: 'Systolic blood pressure' }] }, valueQuantity: q(sys, 'mmHg', 'mm[Hg]') },
            { code: { coding: [{ system: LOINC, code: '8462-4', display: 'Diastolic blood pressure' }] }, valueQuantity: q(dia, 'mmHg', 'mm[Hg]') },
          ],
        });
      }
      out.push({ ...common('8867-4', 'Heart rate'), valueQuantity: q(Math.round((infant ? 110 : 58) + rng() * 30), 'beats/minute', '/min') });
      out.push({ ...common('9279-1', 'Respiratory rate'), valueQuantity: q(Math.round((infant ? 30 : 12) + rng() * 8), 'breaths/minute', '/min') });
      out.push({ ...common('8310-5', 'Body temperature'), valueQuantity: q(r1(36.4 + rng() * 1.2), 'Cel', 'Cel') });
      out.push({
        ...common('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry'),
        code: {
          coding: [
            { system: LOINC, code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry' },
            { system: LOINC, code: '2708-6', display: 'Oxygen saturation in Arterial blood' },
          ],
          text: 'SpO2',
        },
        valueQuantity: q(Math.round(95 + rng() * 4), '%', '%'),
      });
      out.push({ ...common('29463-7', 'Body weight'), valueQuantity: q(weightKg, 'kg', 'kg') });
      out.push({ ...common('8302-2', 'Body height'), valueQuantity: q(heightCm, 'cm', 'cm') });
      out.push({ ...common('39156-5', 'Body mass index (BMI) [Ratio]'), valueQuantity: q(r1(weightKg / (heightCm / 100) ** 2), 'kg/m2', 'kg/m2') });
      if (infant) out.push({ ...common('9843-4', 'Head Occipital-frontal circumference'), valueQuantity: q(r1(39 + rng() * 3), 'cm', 'cm') });

      const [typeCode, typeDisplay] = pick(NOTE_TYPES);
      const text = `${typeDisplay} — ${p.names[0]!.given.join(' ')} ${p.names[0]!.family}\n\nS: Routine visit. No new complaints.\nO: Vitals recorded (BP ${sys}/${dia}).\nA: Stable.\nP: Follow up in 6 months.`;
      out.push({
        resourceType: 'DocumentReference', id: `doc-${++docN}`, status: 'current', docStatus: 'final',
        type: { coding: [{ system: LOINC, code: typeCode, display: typeDisplay }] },
        category: [{ coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category', code: 'clinical-note', display: 'Clinical Note' }] }],
        subject: { reference: `Patient/${fx.id}` },
        date: iso(end),
        author: [{ reference: `Practitioner/${practitioner.id}`, display: practitioner.name }],
        content: [{ attachment: { contentType: 'text/plain; charset=utf-8', language: 'en', data: base64Utf8(text), title: typeDisplay, creation: iso(end) } }],
        context: { encounter: [{ reference: `Encounter/${encId}` }], period: { start: iso(start), end: iso(end) } },
      });
    }
  });

  // today's video visit: booked appointment in 15 minutes, patient in the waiting room
  const vStart = Math.ceil((nowMs + 15 * 60_000) / (5 * 60_000)) * 5 * 60_000;
  const vv = f.videoVisit;
  out.push({
    resourceType: 'Appointment', id: vv.appointment, status: 'booked',
    extension: [{ url: VIRTUAL_SERVICE_EXTENSION, extension: [
      { url: 'channelType', valueCoding: { system: 'http://hl7.org/fhir/virtual-service-type', code: 'ehr-kit-p2p', display: 'ehr-kit peer-to-peer' } },
      { url: 'sessionKey', valueString: `room-${vv.appointment}` },
    ] }],
    serviceType: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/service-type', code: '124', display: 'General Practice' }] }],
    start: iso(vStart), end: iso(vStart + 30 * 60_000), minutesDuration: 30,
    participant: [
      { actor: { reference: `Patient/${vv.patient}`, display: f.patients.zoe.name }, status: 'accepted' },
      { actor: { reference: `Practitioner/${vv.practitioner}`, display: f.practitioners.nguyen.name }, status: 'accepted' },
    ],
  });
  out.push({
    resourceType: 'Encounter', id: vv.encounter, status: 'arrived',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR', display: 'virtual' },
    subject: { reference: `Patient/${vv.patient}` },
    participant: [{ individual: { reference: `Practitioner/${vv.practitioner}` } }],
    appointment: [{ reference: `Appointment/${vv.appointment}` }],
    period: { start: iso(nowMs) },
    extension: [{ url: 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Encounter.virtualService', extension: [{ url: 'sessionKey', valueString: `room-${vv.appointment}` }] }],
  });
  return out;
};

function profileFor(code: string): string {
  return (
    {
      '85354-9': 'bp', '8867-4': 'heartrate', '9279-1': 'resprate', '8310-5': 'bodytemp', '59408-5': 'oxygensat',
      '29463-7': 'bodyweight', '8302-2': 'bodyheight', '39156-5': 'bmi', '9843-4': 'headcircum',
    }[code] ?? 'vitalsigns'
  );
}

export const emptySeed: SeedFn = () => [];
