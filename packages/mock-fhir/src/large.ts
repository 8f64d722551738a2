// The benchmark data set: 50,000 patients, 100,000 observations, 20,000 slots (by default).
// Plain and fast to generate; deterministic from the seed name.
import type { SeedFn } from './mock.ts';
import type { Res } from './util.ts';

export interface LargeOptions {
  patients?: number;
  observations?: number;
  slots?: number;
  schedules?: number;
}

const FAMILIES = ['Smith', 'García', 'Nguyễn', 'Müller', "O'Brien", 'Kowalski', 'Okafor', 'Haddad', 'Lefèvre', 'Tanaka', 'Ivanova', 'Johnson', 'Brown', 'Martínez', 'Silva', 'Rossi', 'Cohen', 'Kim', 'Patel', 'Jensen'];
const GIVENS = ['Ana', 'Zoë', 'José', 'Wei', 'Fatima', 'Søren', 'Yuki', 'Olamide', 'Priya', 'Leïla', 'Mary', 'François', 'Hannah', 'Ella', 'David', 'Maria', 'John', 'Aoife', 'Björk', 'Chidi'];
const VITALS: Array<[string, string, string, number, number]> = [
  ['8867-4', 'Heart rate', '/min', 55, 40],
  ['9279-1', 'Respiratory rate', '/min', 12, 8],
  ['8310-5', 'Body temperature', 'Cel', 36.2, 1.5],
  ['29463-7', 'Body weight', 'kg', 50, 50],
  ['8302-2', 'Body height', 'cm', 150, 45],
];

export function largeSeed(options: LargeOptions = {}): SeedFn {
  const nPatients = options.patients ?? 50_000;
  const nObs = options.observations ?? 100_000;
  const nSlots = options.slots ?? 20_000;
  const nSchedules = options.schedules ?? 20;
  return ({ now, rng }) => {
    const out: Res[] = [];
    const day = 24 * 3600_000;
    for (let i = 0; i < nSchedules; i++) {
      out.push({ resourceType: 'Practitioner', id: `pr${i}`, name: [{ family: FAMILIES[i % FAMILIES.length], given: [GIVENS[(i * 7) % GIVENS.length]] }] });
      out.push({ resourceType: 'Schedule', id: `sc${i}`, active: true, actor: [{ reference: `Practitioner/pr${i}` }] });
    }
    for (let i = 0; i < nPatients; i++) {
      const y = 1930 + Math.floor(rng() * 90);
      const m = 1 + Math.floor(rng() * 12);
      const d = 1 + Math.floor(rng() * 28);
      out.push({
        resourceType: 'Patient', id: `p${i}`,
        name: [{ family: FAMILIES[Math.floor(rng() * FAMILIES.length)], given: [GIVENS[Math.floor(rng() * GIVENS.length)]] }],
        gender: rng() < 0.5 ? 'female' : 'male',
        birthDate: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
        identifier: [{ system: 'urn:mrn', value: `M${i}` }],
      });
    }
    const base = now.getTime();
    for (let i = 0; i < nObs; i++) {
      const [code, display, unit, lo, span] = VITALS[i % VITALS.length]!;
      const when = new Date(base - Math.floor(rng() * 365 * 3) * day - Math.floor(rng() * day)).toISOString();
      out.push({
        resourceType: 'Observation', id: `o${i}`, status: 'final',
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
        code: { coding: [{ system: 'http://loinc.org', code, display }] },
        // patients 0..999 get ~20 observations each (the "chart" case); the rest spread thin
        subject: { reference: `Patient/p${i < 20_000 ? i % 1000 : Math.floor(rng() * nPatients)}` },
        effectiveDateTime: when,
        valueQuantity: { value: Math.round((lo + rng() * span) * 10) / 10, unit, system: 'http://unitsofmeasure.org', code: unit },
      });
    }
    const perSchedule = Math.ceil(nSlots / nSchedules);
    const start0 = Math.floor(base / (30 * 60_000)) * 30 * 60_000;
    for (let i = 0; i < nSlots; i++) {
      const s = i % nSchedules;
      const k = Math.floor(i / nSchedules);
      const dayN = Math.floor(k / 16);
      const start = start0 + dayN * day + (k % 16) * 30 * 60_000;
      out.push({
        resourceType: 'Slot', id: `s${i}`, schedule: { reference: `Schedule/sc${s}` },
        status: rng() < 0.3 ? 'busy' : 'free',
        start: new Date(start).toISOString(), end: new Date(start + 30 * 60_000).toISOString(),
      });
      void perSchedule;
    }
    return out;
  };
}
