/**
 * Time-zone arithmetic for the slot picker, on `Intl` alone (no date library).
 *
 * Instants stay what the server sent (ISO strings / epoch ms); only what is *shown* is converted.
 * A "day key" is the civil date `YYYY-MM-DD` in a given IANA zone. Day boundaries are computed per
 * zone and per date, so a 23- or 25-hour day around a DST change is handled like any other.
 *
 * These helpers belong in `@ehr-kit/core`'s formatting module (time-zone day keys); they live here
 * until core grows them.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Offsets are cached per 15-minute bucket: every zone transition in tzdata falls on a quarter hour. */
const BUCKET = 15 * MINUTE;

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

const validZones = new Map<string, boolean>();

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

let deviceZone: string | undefined;
/** The browser's own zone (what the person's device is set to). */
export function browserTimeZone(): string {
  return (deviceZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
}

function computeOffset(ms: number, timeZone: string): number {
  const parts = partsFormatter(timeZone).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  let year = get('year');
  if (parts.find((p) => p.type === 'era')?.value === 'BC') year = 1 - year;
  const wall = Date.UTC(year, get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The zone's offset from UTC at `ms`, in milliseconds (e.g. -4 h in New York in summer). */
export function zoneOffset(ms: number, timeZone: string): number {
  let cache = offsetCache.get(timeZone);
  if (!cache) {
    cache = new Map();
    offsetCache.set(timeZone, cache);
  }
  const bucket = Math.floor(ms / BUCKET);
  let offset = cache.get(bucket);
  if (offset === undefined) {
    offset = computeOffset(bucket * BUCKET, timeZone);
    cache.set(bucket, offset);
  }
  return offset;
}

/** Wall-clock fields of an instant in a zone. */
export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday */
  weekday: number;
  dayKey: string;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

const dayKeys = new Map<number, string>();

/** Civil date of a day number (days since 1970-01-01), without allocating a Date (Hinnant's algorithm). */
function civil(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Wall-clock time of `ms` in `timeZone`. */
export function wallTime(ms: number, timeZone: string): WallTime {
  const local = ms + zoneOffset(ms, timeZone);
  const days = Math.floor(local / DAY);
  const inDay = local - days * DAY;
  const { year, month, day } = civil(days);
  let dayKey = dayKeys.get(days);
  if (dayKey === undefined) {
    dayKey = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
    dayKeys.set(days, dayKey);
  }
  return {
    year,
    month,
    day,
    hour: Math.floor(inDay / HOUR),
    minute: Math.floor((inDay % HOUR) / MINUTE),
    weekday: (((days + 4) % 7) + 7) % 7,
    dayKey,
  };
}

/** The civil date (`YYYY-MM-DD`) of an instant in a zone. */
export function dayKeyOf(instant: string | number | Date, timeZone: string): string {
  return wallTime(toMs(instant), timeZone).dayKey;
}

export function toMs(instant: string | number | Date): number {
  return typeof instant === 'number' ? instant : typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
}

/** `YYYY-MM-DD` plus `n` calendar days (civil arithmetic: no zone, no DST). */
export function addDays(dayKey: string, n: number): string {
  const [y, m, d] = dayKey.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** Whole calendar days from `a` to `b`. */
export function daysBetween(a: string, b: string): number {
  const [ay, am, ad] = a.split('-').map(Number) as [number, number, number];
  const [by, bm, bd] = b.split('-').map(Number) as [number, number, number];
  return Math.round((Date.UTC(by, bm - 1, bd) - Date.UTC(ay, am - 1, ad)) / DAY);
}

/** True for a well-formed `YYYY-MM-DD`. */
export function isDayKey(value: string | null | undefined): value is string {
  return !!value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/** Day of the week of a civil date, 0 = Sunday. */
export function weekdayOf(dayKey: string): number {
  return new Date(`${dayKey}T00:00:00Z`).getUTCDay();
}

/**
 * The instant at which a wall-clock time happens in a zone. In a spring-forward gap the time is
 * moved forward by the gap (as Temporal's "compatible" does); in a fall-back overlap the earlier
 * instant wins.
 */
export function zonedToInstant(dayKey: string, hour: number, minute: number, timeZone: string): number {
  const [y, m, d] = dayKey.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, hour, minute);
  const before = zoneOffset(wall - DAY, timeZone);
  const after = zoneOffset(wall + DAY, timeZone);
  if (before === after) return wall - before;
  const tBefore = wall - before;
  const tAfter = wall - after;
  const okBefore = zoneOffset(tBefore, timeZone) === before;
  const okAfter = zoneOffset(tAfter, timeZone) === after;
  if (okBefore && okAfter) return Math.min(tBefore, tAfter);
  if (okBefore) return tBefore;
  if (okAfter) return tAfter;
  return tBefore; // gap: the wall time does not exist; the old offset lands just after the jump
}

/** The first instant of a civil day in a zone (midnight, or the end of a gap at midnight). */
export function startOfDay(dayKey: string, timeZone: string): number {
  return zonedToInstant(dayKey, 0, 0, timeZone);
}

/** Length of a civil day in a zone, in hours (23 or 25 on DST change days). */
export function hoursInDay(dayKey: string, timeZone: string): number {
  return (startOfDay(addDays(dayKey, 1), timeZone) - startOfDay(dayKey, timeZone)) / HOUR;
}

/** Today's civil date in a zone. */
export function today(timeZone: string, now = Date.now()): string {
  return dayKeyOf(now, timeZone);
}

export type PartOfDay = 'morning' | 'afternoon' | 'evening';
export const PARTS_OF_DAY: readonly PartOfDay[] = ['morning', 'afternoon', 'evening'];

/** Morning before 12:00, afternoon before 17:00, evening after — by local wall clock. */
export function partOfDay(hour: number): PartOfDay {
  return hour < 12 ? 'morning' : hour < 17 ? 'afternoon' : 'evening';
}

const clocks: string[] = [];

/** `HH:MM`, 24-hour, the same in every shipped language. */
export function clock(w: Pick<WallTime, 'hour' | 'minute'>): string {
  const i = w.hour * 60 + w.minute;
  return (clocks[i] ??= `${pad(w.hour)}:${pad(w.minute)}`);
}

/** An ISO 8601 instant in UTC without milliseconds, as FHIR search prefers. */
export function isoInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

const labelFormatters = new Map<string, Intl.DateTimeFormat>();
function labelFormatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = labelFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
    labelFormatters.set(key, f);
  }
  return f;
}

function partsOfDayKey(dayKey: string, locale: string) {
  const date = new Date(`${dayKey}T12:00:00Z`);
  const get = (options: Intl.DateTimeFormatOptions) => labelFormatter(locale, options).format(date);
  return {
    weekday: get({ weekday: 'long' }),
    weekdayShort: get({ weekday: 'short' }),
    day: String(Number(dayKey.slice(8, 10))),
    month: get({ month: 'long' }),
    monthShort: get({ month: 'short' }),
  };
}

/**
 * Words for a civil date: "Tuesday 22 April" (en) / "martes 22 de abril" (es). Other languages get
 * what `Intl` gives them.
 */
export function dayLabel(dayKey: string, locale: string): string {
  const p = partsOfDayKey(dayKey, locale);
  const lang = locale.toLowerCase().split('-')[0];
  if (lang === 'en') return `${p.weekday} ${p.day} ${p.month}`;
  if (lang === 'es') return `${p.weekday} ${p.day} de ${p.month}`;
  return labelFormatter(locale, { weekday: 'long', day: 'numeric', month: 'long' }).format(new Date(`${dayKey}T12:00:00Z`));
}

/** Short words for a civil date, for the day strip: { weekday: "Tue", date: "22 Apr" }. */
export function dayShortLabel(dayKey: string, locale: string): { weekday: string; date: string } {
  const p = partsOfDayKey(dayKey, locale);
  return { weekday: p.weekdayShort.replace(/\.$/, ''), date: `${p.day} ${p.monthShort.replace(/\.$/, '')}` };
}

const zoneNameFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's name for people: "Eastern Standard Time (New York)" / "hora estándar del este (New York)". */
export function zoneName(timeZone: string, locale: string, at = Date.now()): string {
  try {
    const key = `${timeZone}|${locale}`;
    let f = zoneNameFormatters.get(key);
    if (!f) zoneNameFormatters.set(key, (f = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'long' })));
    const name = f.formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value;
    const city = timeZone.split('/').pop()!.replace(/_/g, ' ');
    return name && !name.startsWith('GMT') ? `${name} (${city})` : `${city} (${name ?? timeZone})`;
  } catch {
    return timeZone;
  }
}
