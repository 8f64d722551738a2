// Property tests of the zone arithmetic: for any instant in any of these zones (DST at midnight,
// half-hour DST, a skipped calendar day), the instant lies inside the civil day it is grouped into.
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { addDays, dayKeyOf, startOfDay, wallTime, zonedToInstant } from '../../packages/slot-picker/src/time.js';

const ZONES = [
  'America/New_York', 'Europe/Berlin', 'America/Santiago', 'America/Havana', 'Australia/Lord_Howe',
  'Asia/Kolkata', 'Pacific/Chatham', 'Pacific/Apia', 'Africa/Cairo', 'UTC', 'America/St_Johns',
];
const instant = fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2040-01-01T00:00:00Z') });

describe('slot-picker time properties', () => {
  it('every instant falls in [startOfDay(its day), startOfDay(next day))', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (t, zone) => {
        const day = dayKeyOf(t, zone);
        const start = startOfDay(day, zone);
        const next = startOfDay(addDays(day, 1), zone);
        return start <= t && t < next && dayKeyOf(start, zone) === day && dayKeyOf(start - 1, zone) !== day;
      }),
      { numRuns: 3000 },
    );
  });

  it('a wall time that exists maps back to itself', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (t, zone) => {
        const w = wallTime(t, zone);
        const back = wallTime(zonedToInstant(w.dayKey, w.hour, w.minute, zone), zone);
        return back.dayKey === w.dayKey && back.hour === w.hour && back.minute === w.minute;
      }),
      { numRuns: 3000 },
    );
  });

  it('knows the day Samoa skipped (30 December 2011)', () => {
    expect(dayKeyOf(Date.parse('2011-12-30T10:00:00Z'), 'Pacific/Apia')).to.equal('2011-12-31');
    expect(dayKeyOf(Date.parse('2011-12-30T09:59:59Z'), 'Pacific/Apia')).to.equal('2011-12-29');
  });
});
