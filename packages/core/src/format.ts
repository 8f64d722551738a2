import type { HumanName, Quantity } from '@medplum/fhirtypes';
import { getEhrLocale } from './i18n.js';

/**
 * The Intl locale to format with: the page's (or provider's) own tag when it matches the
 * active ehr-kit locale (`es-MX` stays `es-MX`), else the ehr-kit locale.
 */
export function intlLocale(): string {
  const active = getEhrLocale();
  const doc = typeof document !== 'undefined' ? document.documentElement.lang : '';
  return doc && doc.toLowerCase().split('-')[0] === active ? doc : active;
}

const NAME_USE_RANK = ['usual', 'official', '', 'temp', 'nickname', 'anonymous', 'maiden', 'old'];

/**
 * Picks the name to show: not ended, then `usual` over `official` over the rest (`old` and
 * `maiden` last). `prefer` changes the order of the first uses.
 */
export function pickName(names: readonly HumanName[] | undefined, prefer: readonly string[] = ['usual', 'official']): HumanName | undefined {
  if (!names?.length) return undefined;
  const rank = (n: HumanName) => {
    const ended = n.period?.end && Date.parse(n.period.end) < Date.now() ? 100 : 0;
    const p = prefer.indexOf(n.use ?? '');
    return ended + (p >= 0 ? p : prefer.length + NAME_USE_RANK.indexOf(n.use ?? ''));
  };
  return [...names].sort((a, b) => rank(a) - rank(b))[0];
}

/** How `formatHumanName` lays a name out. */
export interface NameFormatOptions {
  /** `given-family` (default, "Ana María López"), `family-given` ("López, Ana María"). */
  order?: 'given-family' | 'family-given';
  /** Include prefixes ("Dr.") — default true. */
  prefix?: boolean;
  /** Include suffixes ("Jr.", "MD") — default true. */
  suffix?: boolean;
  /** Which uses to prefer when given several names; default ['usual', 'official']. */
  prefer?: readonly string[];
}

/** A HumanName (or the best of several) as one line; falls back to `text`; '' when none. */
export function formatHumanName(name: HumanName | readonly HumanName[] | undefined, o: NameFormatOptions = {}): string {
  const n = Array.isArray(name) ? pickName(name, o.prefer) : (name as HumanName | undefined);
  if (!n) return '';
  const given = (n.given ?? []).join(' ').trim();
  const family = (n.family ?? '').trim();
  if (!given && !family) return (n.text ?? '').trim();
  const prefix = o.prefix === false ? '' : (n.prefix ?? []).join(' ');
  const suffix = o.suffix === false ? '' : (n.suffix ?? []).join(', ');
  const core =
    o.order === 'family-given'
      ? [family, [prefix, given].filter(Boolean).join(' ')].filter(Boolean).join(', ')
      : [prefix, given, family].filter(Boolean).join(' ');
  return suffix ? `${core}, ${suffix}` : core;
}

type Instant = string | number | Date;
const toDate = (i: Instant) => (i instanceof Date ? i : new Date(i));

/** Zone, locale and style for the date/time formatters. */
export interface DateTimeFormatOptions {
  /** IANA zone, e.g. `America/New_York`; default the browser's. */
  timeZone?: string;
  /** BCP 47 locale; default `intlLocale()`. */
  locale?: string;
  dateStyle?: 'full' | 'long' | 'medium' | 'short';
  timeStyle?: 'full' | 'long' | 'medium' | 'short';
  /** Append the zone's short name ("EDT", "CET") — default true for times. */
  zoneName?: boolean;
}

function dtf(o: Intl.DateTimeFormatOptions & { locale?: string }): Intl.DateTimeFormat {
  const { locale, ...rest } = o;
  return new Intl.DateTimeFormat(locale ?? intlLocale(), rest);
}

/** An instant's date and time in a zone, with the zone's name: "Mon, Mar 9, 2026, 9:00 AM EDT". */
export function formatDateTime(instant: Instant, o: DateTimeFormatOptions = {}): string {
  const d = toDate(instant);
  if (Number.isNaN(d.getTime())) return '';
  if (o.dateStyle || o.timeStyle) {
    const base = dtf({ locale: o.locale, timeZone: o.timeZone, dateStyle: o.dateStyle, timeStyle: o.timeStyle }).format(d);
    return o.zoneName === false || !o.timeStyle ? base : `${base} ${zoneName(d, o)}`;
  }
  return dtf({
    locale: o.locale, timeZone: o.timeZone, weekday: 'short', year: 'numeric', month: 'short', day: 'numeric',
    hour: 'numeric', minute: '2-digit', ...(o.zoneName === false ? {} : { timeZoneName: 'short' }),
  }).format(d);
}

/** An instant's time of day in a zone ("9:00 AM", with `zoneName: true` "9:00 AM EDT"). */
export function formatTime(instant: Instant, o: DateTimeFormatOptions = {}): string {
  const d = toDate(instant);
  if (Number.isNaN(d.getTime())) return '';
  return dtf({ locale: o.locale, timeZone: o.timeZone, hour: 'numeric', minute: '2-digit', ...(o.zoneName ? { timeZoneName: 'short' } : {}) }).format(d);
}

/** An instant's calendar date in a zone ("Monday, March 9, 2026" with the default `full`). */
export function formatDate(instant: Instant, o: DateTimeFormatOptions = {}): string {
  const d = toDate(instant);
  if (Number.isNaN(d.getTime())) return '';
  return dtf({ locale: o.locale, timeZone: o.timeZone, dateStyle: o.dateStyle ?? 'full' }).format(d);
}

/** The zone's short name at that instant ("EST" / "EDT", "GMT+1" where Intl has no abbreviation). */
export function zoneName(instant: Instant, o: { timeZone?: string; locale?: string } = {}): string {
  const parts = dtf({ locale: o.locale, timeZone: o.timeZone, timeZoneName: 'short' }).formatToParts(toDate(instant));
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
}

/**
 * A FHIR `date` ("1990-03-04", "1990-03", "1990") for people, never shifted by a time zone
 * (birth dates are calendar dates, not instants).
 */
export function formatFhirDate(value: string | undefined, o: { locale?: string; dateStyle?: 'long' | 'medium' | 'short' } = {}): string {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value ?? '');
  if (!m) return value ?? '';
  const d = new Date(Date.UTC(+m[1]!, m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1));
  const opts: Intl.DateTimeFormatOptions = m[3]
    ? { dateStyle: o.dateStyle ?? 'long' }
    : m[2]
      ? { year: 'numeric', month: 'long' }
      : { year: 'numeric' };
  return dtf({ locale: o.locale, timeZone: 'UTC', ...opts }).format(d);
}

const keyFormats = new Map<string, Intl.DateTimeFormat>();
/** The zone's calendar fields of an instant. */
function zonedParts(d: Date, timeZone: string): Record<string, number> {
  let f = keyFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    keyFormats.set(timeZone, f);
  }
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(d)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** `YYYY-MM-DD` of an instant as the calendar reads in `timeZone` (DST-safe). */
export function dayKey(instant: Instant, timeZone?: string): string {
  const p = zonedParts(toDate(instant), timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The day key `days` after `key` (calendar arithmetic; no zone involved). */
export function addDays(key: string, days: number): string {
  const [y, m, d] = key.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + days)).toISOString().slice(0, 10);
}

/** The zone's offset from UTC at an instant, in minutes (New York in summer: -240). */
export function zoneOffsetMinutes(instant: Instant, timeZone: string): number {
  const d = toDate(instant);
  const p = zonedParts(d, timeZone);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!);
  return Math.round((asUtc - Math.floor(d.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant a wall-clock time happens in a zone (`zonedTimeToInstant('2026-03-08', '00:00',
 * 'America/New_York')` → 05:00Z). Like Temporal's "compatible": a time skipped by a
 * spring-forward gap moves later by the gap (02:30 → 03:30 EDT); a repeated time in a fall-back
 * overlap takes the first (daylight) one.
 */
export function zonedTimeToInstant(key: string, time: string, timeZone: string): Date {
  const [y, mo, d] = key.split('-').map(Number);
  const [h = 0, mi = 0, s = 0] = time.split(':').map(Number);
  const wall = Date.UTC(y!, mo! - 1, d!, h, mi, s);
  // The offsets in force half a day either side cover any single transition near this time.
  const before = zoneOffsetMinutes(wall - 12 * 3_600_000, timeZone);
  const after = zoneOffsetMinutes(wall + 12 * 3_600_000, timeZone);
  const fits = (t: number) => {
    const p = zonedParts(new Date(t), timeZone);
    return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!) === wall;
  };
  const candidates = [wall - before * 60_000, wall - after * 60_000].filter(fits).sort((a, b) => a - b);
  return new Date(candidates[0] ?? wall - before * 60_000);
}

/** The first instant of a calendar day in a zone. */
export function startOfDay(key: string, timeZone: string): Date {
  return zonedTimeToInstant(key, '00:00', timeZone);
}

/** UCUM codes → what people read. */
const UCUM_DISPLAY: Record<string, string> = {
  'mm[Hg]': 'mmHg', Cel: '°C', '[degF]': '°F', '/min': '/min', '%': '%', kg: 'kg', g: 'g', '[lb_av]': 'lb',
  '[oz_av]': 'oz', cm: 'cm', m: 'm', '[in_i]': 'in', '[ft_i]': 'ft', 'kg/m2': 'kg/m²', 'mg/dL': 'mg/dL', 'mmol/L': 'mmol/L',
  '{beats}/min': '/min', '{breaths}/min': '/min',
};

/** The readable form of a UCUM unit (`mm[Hg]` → `mmHg`, `Cel` → `°C`); unknown codes as they are. */
export function ucumDisplay(code: string | undefined): string {
  return code === undefined ? '' : (UCUM_DISPLAY[code] ?? code);
}

/** A Quantity for people: "120 mmHg", "37,2 °C" in Spanish, "< 5 mg/dL". */
export function formatQuantity(q: Quantity | undefined, o: { locale?: string; maximumFractionDigits?: number } = {}): string {
  if (!q || q.value === undefined) return '';
  const n = new Intl.NumberFormat(o.locale ?? intlLocale(), { maximumFractionDigits: o.maximumFractionDigits ?? 2 }).format(q.value);
  const unit = q.system === 'http://unitsofmeasure.org' || q.code ? ucumDisplay(q.code ?? q.unit) : (q.unit ?? '');
  const comparator = q.comparator ? `${q.comparator} ` : '';
  return `${comparator}${n}${unit ? (unit === '%' ? unit : ' ' + unit) : ''}`;
}
