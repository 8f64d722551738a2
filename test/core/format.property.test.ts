// The zone arithmetic against Intl itself, and as properties: for any instant in any of these zones
// (DST at midnight, half-hour DST, a skipped calendar day), the instant lies inside the calendar day
// it is grouped into.
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { addDays, dayKey, startOfDay, wallTime, wallTimeToMs } from '@ehr-kit/core';

const ZONES = [
  'America/New_York', 'Europe/Berlin', 'America/Santiago', 'America/Havana', 'Australia/Lord_Howe',
  'Asia/Kolkata', 'Pacific/Chatham', 'Pacific/Apia', 'Africa/Cairo', 'UTC', 'America/St_Johns',
];
const instant = fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2040-01-01T00:00:00Z') });

describe('wall clock arithmetic', () => {
  it('agrees with Intl for every hour of 2027 in four zones', () => {
    for (const zone of ['America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Lord_Howe']) {
      const f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short' });
      for (let t = Date.parse('2027-01-01T00:00:00Z'); t < Date.parse('2028-01-01T00:00:00Z'); t += 3_600_000 + 7 * 60_000) {
        const w = wallTime(t, zone);
        const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
        expect(`${w.dayKey} ${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`, `${zone} ${new Date(t).toISOString()}`).to.equal(`${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`);
        expect(['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][w.weekday]).to.equal(p.weekday);
      }
    }
  });

  it('every instant falls in [startOfDay(its day), startOfDay(next day))', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (t, zone) => {
        const day = dayKey(t, zone);
        const start = startOfDay(day, zone).getTime();
        const next = startOfDay(addDays(day, 1), zone).getTime();
        return start <= t && t < next && dayKey(start, zone) === day && dayKey(start - 1, zone) !== day;
      }),
      { numRuns: 3000 },
    );
  });

  it('a wall time that exists maps back to itself', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (t, zone) => {
        const w = wallTime(t, zone);
        const back = wallTime(wallTimeToMs(w.dayKey, w.hour, w.minute, zone), zone);
        return back.dayKey === w.dayKey && back.hour === w.hour && back.minute === w.minute;
      }),
      { numRuns: 3000 },
    );
  });

  it('knows the day Samoa skipped (30 December 2011)', () => {
    expect(dayKey(Date.parse('2011-12-30T10:00:00Z'), 'Pacific/Apia')).to.equal('2011-12-31');
    expect(dayKey(Date.parse('2011-12-30T09:59:59Z'), 'Pacific/Apia')).to.equal('2011-12-29');
  });
});
