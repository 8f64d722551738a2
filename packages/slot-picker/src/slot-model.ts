/**
 * Pure model of what the picker shows: free Slots grouped by civil day (in the shown zone) and by
 * part of day, with past slots hidden. No DOM, no Lit — unit-tested on its own.
 */
import type { Slot } from '@medplum/fhirtypes';
import { addDays, wallTime } from '@ehr-kit/core/format';
import { PARTS_OF_DAY, clock, partOfDay, type PartOfDay } from './labels.js';

/** One free time as shown. `slot` is the server's resource, untouched. */
export interface TimeOption {
  slot: Slot;
  id: string;
  startMs: number;
  endMs: number;
  /** "10:00" in the shown zone */
  startText: string;
  /** "10:30" in the shown zone (end may fall on the next day) */
  endText: string;
  dayKey: string;
  part: PartOfDay;
}

export interface DayGroup {
  dayKey: string;
  count: number;
  parts: Array<{ part: PartOfDay; times: TimeOption[] }>;
  /** all times of the day in order (the keyboard walks this) */
  times: TimeOption[];
}

export interface GroupOptions {
  timeZone: string;
  /** first shown civil day, `YYYY-MM-DD` in `timeZone` */
  startDay: string;
  days: number;
  /** instants before this are hidden (default: now) */
  now?: number;
}

/** Turns free Slots into the shown days; slots outside the days, past, or not free are dropped. */
export function groupSlots(slots: readonly Slot[], options: GroupOptions): DayGroup[] {
  const { timeZone, startDay, days } = options;
  const now = options.now ?? Date.now();
  const byDay = new Map<string, DayGroup>();
  const order: string[] = [];
  for (let i = 0; i < days; i++) {
    const key = addDays(startDay, i);
    order.push(key);
    byDay.set(key, { dayKey: key, count: 0, parts: [], times: [] });
  }
  const seen = new Set<string>();
  const options_: TimeOption[] = [];
  for (const slot of slots) {
    if (slot.resourceType !== 'Slot' || slot.status !== 'free' || !slot.start || !slot.end) continue;
    const id = slot.id ?? '';
    if (seen.has(id)) continue; // a slot can appear on two pages when data changes while paging
    seen.add(id);
    const startMs = Date.parse(slot.start);
    if (!(startMs >= now)) continue; // past, or not a date
    const w = wallTime(startMs, timeZone);
    if (!byDay.has(w.dayKey)) continue;
    const endMs = Date.parse(slot.end);
    if (!Number.isFinite(endMs)) continue;
    const e = wallTime(endMs, timeZone);
    options_.push({
      slot,
      id,
      startMs,
      endMs,
      startText: clock(w),
      endText: clock(e),
      dayKey: w.dayKey,
      part: partOfDay(w.hour),
    });
  }
  options_.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs || (a.id < b.id ? -1 : 1));
  for (const t of options_) {
    const day = byDay.get(t.dayKey)!;
    day.times.push(t);
  }
  for (const key of order) {
    const day = byDay.get(key)!;
    day.count = day.times.length;
    for (const part of PARTS_OF_DAY) {
      const times = day.times.filter((t) => t.part === part);
      if (times.length) day.parts.push({ part, times });
    }
  }
  return order.map((k) => byDay.get(k)!);
}

/**
 * Where to put the person back after the data changed (a refresh after a conflict, a new week):
 * the same time if it is still there, else the nearest time in the same part of the same day,
 * else the nearest time that day, else the first day with times.
 */
export function nearestTime(
  days: readonly DayGroup[],
  place: { dayKey?: string; part?: PartOfDay; startMs?: number; id?: string },
): TimeOption | undefined {
  const day = days.find((d) => d.dayKey === place.dayKey);
  if (day && day.times.length) {
    const same = place.id ? day.times.find((t) => t.id === place.id) : undefined;
    if (same) return same;
    const inPart = place.part ? day.times.filter((t) => t.part === place.part) : [];
    const pool = inPart.length ? inPart : day.times;
    if (place.startMs === undefined) return pool[0];
    let best = pool[0]!;
    for (const t of pool) if (Math.abs(t.startMs - place.startMs) < Math.abs(best.startMs - place.startMs)) best = t;
    return best;
  }
  return days.find((d) => d.times.length)?.times[0];
}
