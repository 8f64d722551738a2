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

// ————— Time zones, on Intl alone —————
// Instants stay what the server sent; only what is shown is converted. A "day key" is the civil
// date `YYYY-MM-DD` in a zone. Day boundaries are found per zone and per date, so 23- and 25-hour
// days, and days whose midnight does not exist (America/Santiago), are handled like any other.
// Fast: the zone's offset is read from Intl once per zone and 15-minute bucket, and the calendar
// fields come from arithmetic (no formatToParts per call).

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Every zone transition in tzdata falls on a quarter hour, so offsets are cached per 15 minutes. */
const BUCKET = 15 * MINUTE;
const offsetFormats = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();
const validZones = new Map<string, boolean>();
const dayKeys = new Map<number, string>();
let deviceZone: string | undefined;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const toMs = (i: Instant) => (typeof i === 'number' ? i : typeof i === 'string' ? Date.parse(i) : i.getTime());
const splitKey = (key: string) => key.split('-').map(Number) as [number, number, number];

/** True when `timeZone` is an IANA zone this browser knows. */
export function isValidTimeZone(timeZone: string | undefined | null): timeZone is string {
  if (!timeZone) return false;
  let ok = validZones.get(timeZone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
      ok = true;
    } catch {
      ok = false;
    }
    validZones.set(timeZone, ok);
  }
  return ok;
}

/** The browser's own zone (what the person's device is set to). */
export function browserTimeZone(): string {
  return (deviceZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
}

/** The zone's offset from UTC at `ms`, in milliseconds (New York in summer: -4 h). */
export function zoneOffset(ms: number, timeZone: string): number {
  let cache = offsetCache.get(timeZone);
  if (!cache) offsetCache.set(timeZone, (cache = new Map()));
  const bucket = Math.floor(ms / BUCKET);
  let offset = cache.get(bucket);
  if (offset === undefined) {
    let f = offsetFormats.get(timeZone);
    if (!f) {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23', era: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
      offsetFormats.set(timeZone, f);
    }
    const at = bucket * BUCKET;
    const p: Record<string, string> = {};
    for (const x of f.formatToParts(at)) p[x.type] = x.value;
    const year = p.era === 'BC' ? 1 - Number(p.year) : Number(p.year);
    offset = Date.UTC(year, Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - at;
    cache.set(bucket, offset);
  }
  return offset;
}

/** The zone's offset from UTC at an instant, in minutes (New York in summer: -240). */
export function zoneOffsetMinutes(instant: Instant, timeZone: string): number {
  return Math.round(zoneOffset(toMs(instant), timeZone) / MINUTE);
}

/** Wall-clock fields of an instant in a zone. */
export interface WallTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday */
  weekday: number;
  /** `YYYY-MM-DD` */
  dayKey: string;
}

/** The wall-clock time of `ms` in `timeZone` (civil date by Hinnant's algorithm: no Date, no Intl per call). */
export function wallTime(ms: number, timeZone: string): WallTime {
  const local = ms + zoneOffset(ms, timeZone);
  const days = Math.floor(local / DAY);
  const inDay = local - days * DAY;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  let key = dayKeys.get(days);
  if (key === undefined) dayKeys.set(days, (key = `${pad(year, 4)}-${pad(month)}-${pad(day)}`));
  return { year, month, day, hour: Math.floor(inDay / HOUR), minute: Math.floor((inDay % HOUR) / MINUTE), weekday: (((days + 4) % 7) + 7) % 7, dayKey: key };
}

/** `YYYY-MM-DD` of an instant as the calendar reads in `timeZone` (default the browser's). */
export function dayKey(instant: Instant, timeZone?: string): string {
  return wallTime(toMs(instant), timeZone ?? browserTimeZone()).dayKey;
}

/** Today's day key in a zone. */
export function today(timeZone: string, now = Date.now()): string {
  return wallTime(now, timeZone).dayKey;
}

/** The day key `days` after `key` (calendar arithmetic; no zone involved). */
export function addDays(key: string, days: number): string {
  const [y, m, d] = splitKey(key);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** Whole calendar days from day key `a` to day key `b`. */
export function daysBetween(a: string, b: string): number {
  const [ay, am, ad] = splitKey(a);
  const [by, bm, bd] = splitKey(b);
  return Math.round((Date.UTC(by, bm - 1, bd) - Date.UTC(ay, am - 1, ad)) / DAY);
}

/** True for a well-formed `YYYY-MM-DD`. */
export function isDayKey(value: string | null | undefined): value is string {
  return !!value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/**
 * The instant (epoch ms) a wall-clock time happens in a zone — the inverse of `wallTime`. Like
 * Temporal's "compatible": a time skipped by a spring-forward gap moves later by the gap
 * (02:30 → 03:30 EDT); a repeated time in a fall-back overlap takes the first (daylight) one.
 */
export function wallTimeToMs(key: string, hour: number, minute: number, timeZone: string, second = 0): number {
  const [y, m, d] = splitKey(key);
  const wall = Date.UTC(y, m - 1, d, hour, minute, second);
  const before = zoneOffset(wall - DAY, timeZone);
  const after = zoneOffset(wall + DAY, timeZone);
  if (before === after) return wall - before;
  const tBefore = wall - before;
  const tAfter = wall - after;
  const okBefore = zoneOffset(tBefore, timeZone) === before;
  const okAfter = zoneOffset(tAfter, timeZone) === after;
  if (okBefore && okAfter) return Math.min(tBefore, tAfter);
  if (okAfter && !okBefore) return tAfter;
  return tBefore; // a gap: the wall time does not exist; the old offset lands just after the jump
}

/**
 * The instant a wall-clock time happens in a zone (`zonedTimeToInstant('2026-03-08', '00:00',
 * 'America/New_York')` → 05:00Z); gaps and overlaps as `wallTimeToMs`.
 */
export function zonedTimeToInstant(key: string, time: string, timeZone: string): Date {
  const [h = 0, mi = 0, s = 0] = time.split(':').map(Number);
  return new Date(wallTimeToMs(key, h, mi, timeZone, s));
}

/** The first instant of a calendar day in a zone: midnight, or the end of a gap at midnight. */
export function startOfDay(key: string, timeZone: string): Date {
  return new Date(wallTimeToMs(key, 0, 0, timeZone));
}

/** Length of a calendar day in a zone, in hours (23 or 25 on DST change days). */
export function hoursInDay(key: string, timeZone: string): number {
  return (wallTimeToMs(addDays(key, 1), 0, 0, timeZone) - wallTimeToMs(key, 0, 0, timeZone)) / HOUR;
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
