import { expect } from '@open-wc/testing';
import type { Slot } from '@medplum/fhirtypes';
import { wallTimeToMs } from '@ehr-kit/core';
import { dayLabel, partOfDay, zoneLabel } from '../../packages/slot-picker/src/labels.js';
import { groupSlots, nearestTime } from '../../packages/slot-picker/src/slot-model.js';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';

function slot(id: string, start: string, minutes = 30): Slot {
  const end = new Date(Date.parse(start) + minutes * 60_000).toISOString();
  return { resourceType: 'Slot', id, status: 'free', schedule: { reference: 'Schedule/s' }, start, end };
}

describe('slot-picker days and labels', () => {
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
    expect(zoneLabel(NY, 'en', Date.parse('2027-01-10T12:00:00Z'))).to.equal('Eastern Standard Time (New York)');
    expect(zoneLabel(BERLIN, 'en', Date.parse('2027-07-10T12:00:00Z'))).to.equal('Central European Summer Time (Berlin)');
    expect(zoneLabel(BERLIN, 'es', Date.parse('2027-01-10T12:00:00Z'))).to.contain('Berlin');
  });

  it('groups a DST week in New York into the right days and parts of day', () => {
    // 09:00 and 17:30 local every day from Fri 12 to Tue 16 March 2027 (change on Sun 14th)
    const slots: Slot[] = [];
    for (const day of ['2027-03-12', '2027-03-13', '2027-03-14', '2027-03-15', '2027-03-16']) {
      slots.push(slot(`${day}-a`, new Date(wallTimeToMs(day, 9, 0, NY)).toISOString()));
      slots.push(slot(`${day}-b`, new Date(wallTimeToMs(day, 17, 30, NY)).toISOString()));
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
      slot('mon', new Date(wallTimeToMs('2027-11-01', 9, 0, BERLIN)).toISOString()),
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
