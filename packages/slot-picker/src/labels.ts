/**
 * What the picker says about times: parts of day, `HH:MM`, day and zone labels. The time-zone
 * arithmetic itself (day keys, wall time, day boundaries) is core's (`@ehr-kit/core` format).
 */
import type { WallTime } from '@ehr-kit/core/format';

function pad(n: number): string {
  return String(n).padStart(2, '0');
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
export function zoneLabel(timeZone: string, locale: string, at = Date.now()): string {
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
