import { expect } from '@open-wc/testing';
import type { Slot } from '@medplum/fhirtypes';
import {
  addDays, dayKeyOf, dayLabel, hoursInDay, partOfDay, startOfDay, wallTime, zoneName, zonedToInstant, isoInstant,
} from '../../packages/slot-picker/src/time.js';
import { groupSlots, nearestTime } from '../../packages/slot-picker/src/slot-model.js';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';

function slot(id: string, start: string, minutes = 30): Slot {
  const end = new Date(Date.parse(start) + minutes * 60_000).toISOString();
  return { resourceType: 'Slot', id, status: 'free', schedule: { reference: 'Schedule/s' }, start, end };
}

describe('slot-picker time logic', () => {
  it('finds the civil day of an instant in a zone', () => {
    expect(dayKeyOf('2027-03-14T03:30:00Z', NY)).to.equal('2027-03-13'); // 22:30 EST the day before
    expect(dayKeyOf('2027-03-14T03:30:00Z', BERLIN)).to.equal('2027-03-14');
    expect(dayKeyOf('2027-01-01T04:59:59Z', NY)).to.equal('2026-12-31');
    expect(dayKeyOf('2027-01-01T05:00:00Z', NY)).to.equal('2027-01-01');
  });

  it('computes DST-correct day boundaries in New York (March and November)', () => {
    expect(isoInstant(startOfDay('2027-03-14', NY))).to.equal('2027-03-14T05:00:00Z');
    expect(isoInstant(startOfDay('2027-03-15', NY))).to.equal('2027-03-15T04:00:00Z');
    expect(hoursInDay('2027-03-14', NY)).to.equal(23);
    expect(hoursInDay('2027-11-07', NY)).to.equal(25);
    expect(hoursInDay('2027-11-08', NY)).to.equal(24);
  });

  it('computes DST-correct day boundaries in Berlin (March and October)', () => {
    expect(isoInstant(startOfDay('2027-03-28', BERLIN))).to.equal('2027-03-27T23:00:00Z');
    expect(isoInstant(startOfDay('2027-03-29', BERLIN))).to.equal('2027-03-28T22:00:00Z');
    expect(hoursInDay('2027-03-28', BERLIN)).to.equal(23);
    expect(hoursInDay('2027-10-31', BERLIN)).to.equal(25);
  });

  it('resolves wall times in a gap forward and in an overlap to the earlier instant', () => {
    // 02:30 does not exist in New York on 14 March 2027; it becomes 03:30 EDT = 07:30Z
    expect(isoInstant(zonedToInstant('2027-03-14', 2, 30, NY))).to.equal('2027-03-14T07:30:00Z');
    // 01:30 happens twice on 7 November 2027; the first (EDT) wins
    expect(isoInstant(zonedToInstant('2027-11-07', 1, 30, NY))).to.equal('2027-11-07T05:30:00Z');
    // a day whose midnight does not exist (Santiago, spring forward at 00:00)
    const start = startOfDay('2026-09-06', 'America/Santiago');
    expect(dayKeyOf(start, 'America/Santiago')).to.equal('2026-09-06');
    expect(dayKeyOf(start - 1, 'America/Santiago')).to.equal('2026-09-05');
  });

  it('reads wall clock across the change: 09:00 is 09:00 on both sides', () => {
    expect(wallTime(Date.parse('2027-03-12T14:00:00Z'), NY).hour).to.equal(9);
    expect(wallTime(Date.parse('2027-03-15T13:00:00Z'), NY).hour).to.equal(9);
    expect(wallTime(Date.parse('2027-10-29T07:00:00Z'), BERLIN).hour).to.equal(9);
    expect(wallTime(Date.parse('2027-11-01T08:00:00Z'), BERLIN).hour).to.equal(9);
  });

  it('adds civil days without drifting across DST', () => {
    expect(addDays('2027-03-13', 1)).to.equal('2027-03-14');
    expect(addDays('2027-03-13', 2)).to.equal('2027-03-15');
    expect(addDays('2027-12-31', 1)).to.equal('2028-01-01');
    expect(addDays('2028-03-01', -1)).to.equal('2028-02-29');
  });

  it('groups by part of day by local hour', () => {
    expect(partOfDay(0)).to.equal('morning');
    expect(partOfDay(11)).to.equal('morning');
    expect(partOfDay(12)).to.equal('afternoon');
    expect(partOfDay(16)).to.equal('afternoon');
    expect(partOfDay(17)).to.equal('evening');
  });

  it('labels days in English and Spanish, and names the zone', () => {
    expect(dayLabel('2025-04-22', 'en')).to.equal('Tuesday 22 April');
    expect(dayLabel('2025-04-22', 'es')).to.equal('martes 22 de abril');
    expect(zoneName(NY, 'en', Date.parse('2027-01-10T12:00:00Z'))).to.equal('Eastern Standard Time (New York)');
    expect(zoneName(BERLIN, 'en', Date.parse('2027-07-10T12:00:00Z'))).to.equal('Central European Summer Time (Berlin)');
    expect(zoneName(BERLIN, 'es', Date.parse('2027-01-10T12:00:00Z'))).to.contain('Berlin');
  });

  it('groups a DST week in New York into the right days and parts of day', () => {
    // 09:00 and 17:30 local every day from Fri 12 to Tue 16 March 2027 (change on Sun 14th)
    const slots: Slot[] = [];
    for (const day of ['2027-03-12', '2027-03-13', '2027-03-14', '2027-03-15', '2027-03-16']) {
      slots.push(slot(`${day}-a`, new Date(zonedToInstant(day, 9, 0, NY)).toISOString()));
      slots.push(slot(`${day}-b`, new Date(zonedToInstant(day, 17, 30, NY)).toISOString()));
    }
    const days = groupSlots(slots, { timeZone: NY, startDay: '2027-03-12', days: 5, now: 0 });
    expect(days.map((d) => d.count)).to.deep.equal([2, 2, 2, 2, 2]);
    for (const d of days) {
      expect(d.times.map((t) => t.startText)).to.deep.equal(['09:00', '17:30']);
      expect(d.parts.map((p) => p.part)).to.deep.equal(['morning', 'evening']);
    }
    // the same instants seen from Berlin fall into other days/parts, and the stored instants stay the same
    const inBerlin = groupSlots(slots, { timeZone: BERLIN, startDay: '2027-03-12', days: 6, now: 0 });
    expect(inBerlin[0]!.times[0]!.startText).to.equal('15:00');
    expect(inBerlin[0]!.times[0]!.slot.start).to.equal(slots[0]!.start);
    const monday = inBerlin.find((d) => d.dayKey === '2027-03-15')!;
    expect(monday.times.map((t) => t.startText)).to.deep.equal(['14:00', '22:30']);
  });

  it('groups a DST week in Berlin (October) including the repeated hour', () => {
    const slots = [
      slot('early', '2027-10-31T00:30:00Z'), // 02:30 CEST (first time)
      slot('late', '2027-10-31T01:30:00Z'), // 02:30 CET (second time)
      slot('mon', new Date(zonedToInstant('2027-11-01', 9, 0, BERLIN)).toISOString()),
    ];
    const days = groupSlots(slots, { timeZone: BERLIN, startDay: '2027-10-30', days: 3, now: 0 });
    expect(days[1]!.times.map((t) => t.startText)).to.deep.equal(['02:30', '02:30']);
    expect(days[1]!.times.map((t) => t.id)).to.deep.equal(['early', 'late']);
    expect(days[2]!.times[0]!.startText).to.equal('09:00');
  });

  it('hides past, non-free and out-of-range slots, and duplicates from paging', () => {
    const now = Date.parse('2027-03-12T15:00:00Z');
    const slots = [
      slot('past', '2027-03-12T14:00:00Z'),
      slot('future', '2027-03-12T16:00:00Z'),
      slot('future', '2027-03-12T16:00:00Z'),
      { ...slot('busy', '2027-03-12T17:00:00Z'), status: 'busy' as const },
      slot('later', '2027-04-12T17:00:00Z'),
    ];
    const days = groupSlots(slots, { timeZone: NY, startDay: '2027-03-12', days: 7, now });
    expect(days[0]!.times.map((t) => t.id)).to.deep.equal(['future']);
    expect(days.reduce((n, d) => n + d.count, 0)).to.equal(1);
  });

  it('finds the nearest place after the data changed', () => {
    const slots = ['14:00', '14:30', '15:00', '19:00'].map((t, i) => slot(`s${i}`, `2027-05-03T${t}:00Z`));
    const days = groupSlots(slots, { timeZone: 'UTC', startDay: '2027-05-03', days: 2, now: 0 });
    expect(nearestTime(days, { dayKey: '2027-05-03', part: 'afternoon', startMs: Date.parse('2027-05-03T14:30:00Z'), id: 'gone' })!.id).to.equal('s1');
    const without = groupSlots(slots.filter((s) => s.id !== 's1'), { timeZone: 'UTC', startDay: '2027-05-03', days: 2, now: 0 });
    expect(nearestTime(without, { dayKey: '2027-05-03', part: 'afternoon', startMs: Date.parse('2027-05-03T14:30:00Z'), id: 's1' })!.part).to.equal('afternoon');
    expect(nearestTime(without, { dayKey: '2027-05-04' })!.id).to.equal('s0');
  });
});

describe('slot-picker wall clock arithmetic', () => {
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
});
