import { expect } from '@open-wc/testing';
import {
  addDays, dayKey, formatDate, formatDateTime, formatFhirDate, formatHumanName, formatQuantity, formatTime, pickName,
  startOfDay, ucumDisplay, zoneName, zonedTimeToInstant, hoursInDay, wallTime, zoneOffsetMinutes, daysBetween,
} from '@ehr-kit/core';
import type { HumanName } from '@medplum/fhirtypes';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const SANTIAGO = 'America/Santiago';
const iso = (d: Date) => d.toISOString();
const spaces = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

describe('formatHumanName', () => {
  const names: HumanName[] = [
    { use: 'official', prefix: ['Dr.'], given: ['Robert', 'James'], family: 'Smith', suffix: ['Jr.', 'MD'] },
    { use: 'usual', given: ['Bob'], family: 'Smith' },
    { use: 'old', given: ['Bobby'], family: 'Jones', period: { end: '2001-01-01' } },
  ];

  it('prefers the usual name, then the official one', () => {
    expect(formatHumanName(names)).to.equal('Bob Smith');
    expect(formatHumanName(names.slice(0, 1))).to.equal('Dr. Robert James Smith, Jr., MD');
    expect(formatHumanName(names, { prefer: ['official'] })).to.equal('Dr. Robert James Smith, Jr., MD');
  });

  it('never picks an ended or old name over a current one', () => {
    expect(pickName([names[2]!, { given: ['Ann'], family: 'Lee' }])?.given).to.deep.equal(['Ann']);
  });

  it('orders family-first and drops prefix/suffix on request', () => {
    expect(formatHumanName(names[0], { order: 'family-given' })).to.equal('Smith, Dr. Robert James, Jr., MD');
    expect(formatHumanName(names[0], { prefix: false, suffix: false })).to.equal('Robert James Smith');
  });

  it('falls back to text, and to empty', () => {
    expect(formatHumanName({ text: 'María José García' })).to.equal('María José García');
    expect(formatHumanName(undefined)).to.equal('');
    expect(formatHumanName([])).to.equal('');
  });
});

describe('dates and times in a zone', () => {
  it('formats an instant in the clinic zone with the zone name', () => {
    const t = '2026-07-01T13:00:00Z';
    const s = spaces(formatDateTime(t, { timeZone: NY, locale: 'en-US' }));
    expect(s).to.contain('Jul 1, 2026');
    expect(s).to.contain('9:00 AM');
    expect(s).to.contain('EDT');
    expect(spaces(formatDateTime('2026-01-15T13:00:00Z', { timeZone: NY, locale: 'en-US' }))).to.contain('8:00 AM EST');
    expect(spaces(formatTime(t, { timeZone: BERLIN, locale: 'en-GB' }))).to.equal('15:00');
    expect(zoneName(t, { timeZone: NY, locale: 'en-US' })).to.equal('EDT');
    expect(formatDate(t, { timeZone: NY, locale: 'es' })).to.equal('miércoles, 1 de julio de 2026');
  });

  it('formats a FHIR date without shifting it by a zone', () => {
    expect(formatFhirDate('1990-03-04', { locale: 'en-US' })).to.equal('March 4, 1990');
    expect(formatFhirDate('1990-03', { locale: 'en-US' })).to.equal('March 1990');
    expect(formatFhirDate('1990', { locale: 'en-US' })).to.equal('1990');
    expect(formatFhirDate('1990-03-04', { locale: 'es' })).to.equal('4 de marzo de 1990');
  });

  it('returns empty for an invalid instant', () => {
    expect(formatDateTime('not a date')).to.equal('');
  });
});

describe('day keys across DST', () => {
  it('finds the calendar day of an instant in a zone', () => {
    expect(dayKey('2027-03-14T03:30:00Z', NY)).to.equal('2027-03-13'); // 22:30 EST the day before
    expect(dayKey('2027-03-14T03:30:00Z', BERLIN)).to.equal('2027-03-14');
    expect(dayKey('2027-01-01T04:59:59Z', NY)).to.equal('2026-12-31');
    expect(dayKey(Date.parse('2027-01-01T05:00:00Z'), NY)).to.equal('2027-01-01');
    expect(dayKey(new Date('2027-01-01T05:00:00Z'), NY)).to.equal('2027-01-01');
  });

  it('America/New_York, spring forward (2026-03-08): a 23-hour day', () => {
    expect(dayKey('2026-03-08T04:59:59Z', NY)).to.equal('2026-03-07');
    expect(dayKey('2026-03-08T05:00:00Z', NY)).to.equal('2026-03-08');
    expect(dayKey('2026-03-09T03:59:59Z', NY)).to.equal('2026-03-08');
    expect(dayKey('2026-03-09T04:00:00Z', NY)).to.equal('2026-03-09');
    expect(iso(startOfDay('2026-03-08', NY))).to.equal('2026-03-08T05:00:00.000Z');
    expect(iso(startOfDay('2026-03-09', NY))).to.equal('2026-03-09T04:00:00.000Z');
    expect(hoursInDay('2026-03-08', NY)).to.equal(23);
    expect(zoneOffsetMinutes('2026-03-08T06:59:00Z', NY)).to.equal(-300);
    expect(zoneOffsetMinutes('2026-03-08T07:00:00Z', NY)).to.equal(-240);
    // 02:30 does not exist that night: it means 03:30 EDT.
    expect(iso(zonedTimeToInstant('2026-03-08', '02:30', NY))).to.equal('2026-03-08T07:30:00.000Z');
  });

  it('America/New_York, fall back (2026-11-01): a 25-hour day', () => {
    const start = startOfDay('2026-11-01', NY);
    const next = startOfDay('2026-11-02', NY);
    expect(iso(start)).to.equal('2026-11-01T04:00:00.000Z');
    expect(iso(next)).to.equal('2026-11-02T05:00:00.000Z');
    expect((next.getTime() - start.getTime()) / 3_600_000).to.equal(25);
    expect(hoursInDay('2026-11-01', NY)).to.equal(25);
    expect(hoursInDay('2026-11-02', NY)).to.equal(24);
    expect(dayKey('2026-11-02T04:59:59Z', NY)).to.equal('2026-11-01');
    // 01:30 happens twice; the first (EDT) one is meant.
    expect(iso(zonedTimeToInstant('2026-11-01', '01:30', NY))).to.equal('2026-11-01T05:30:00.000Z');
  });

  it('Europe/Berlin, both transitions (2026-03-29, 2026-10-25)', () => {
    expect(dayKey('2026-03-28T22:59:59Z', BERLIN)).to.equal('2026-03-28');
    expect(dayKey('2026-03-28T23:00:00Z', BERLIN)).to.equal('2026-03-29');
    expect(iso(startOfDay('2026-03-29', BERLIN))).to.equal('2026-03-28T23:00:00.000Z');
    expect(iso(startOfDay('2026-03-30', BERLIN))).to.equal('2026-03-29T22:00:00.000Z');
    expect(iso(startOfDay('2026-10-25', BERLIN))).to.equal('2026-10-24T22:00:00.000Z');
    expect(iso(startOfDay('2026-10-26', BERLIN))).to.equal('2026-10-25T23:00:00.000Z');
    expect(hoursInDay('2026-03-29', BERLIN)).to.equal(23);
    expect(hoursInDay('2026-10-25', BERLIN)).to.equal(25);
    expect(dayKey('2026-10-25T22:59:59Z', BERLIN)).to.equal('2026-10-25');
  });

  it('America/Santiago (2026-09-06): midnight does not exist, the day starts at 01:00', () => {
    // Clocks jump from 00:00 -04 to 01:00 -03: the first instant of the 6th is 04:00Z, not 23:00 on the 5th.
    const start = startOfDay('2026-09-06', SANTIAGO);
    expect(iso(start)).to.equal('2026-09-06T04:00:00.000Z');
    expect(dayKey(start, SANTIAGO)).to.equal('2026-09-06');
    expect(dayKey(start.getTime() - 1, SANTIAGO)).to.equal('2026-09-05');
    expect(wallTime(start.getTime(), SANTIAGO).hour).to.equal(1);
    expect(hoursInDay('2026-09-06', SANTIAGO)).to.equal(23);
  });

  it('reads the wall clock across a change: 09:00 is 09:00 on both sides', () => {
    expect(wallTime(Date.parse('2027-03-12T14:00:00Z'), NY).hour).to.equal(9);
    expect(wallTime(Date.parse('2027-03-15T13:00:00Z'), NY).hour).to.equal(9);
    expect(wallTime(Date.parse('2027-10-29T07:00:00Z'), BERLIN).hour).to.equal(9);
    expect(wallTime(Date.parse('2027-11-01T08:00:00Z'), BERLIN).hour).to.equal(9);
  });

  it('walks calendar days without a zone', () => {
    expect(addDays('2026-02-27', 2)).to.equal('2026-03-01');
    expect(addDays('2026-03-08', 1)).to.equal('2026-03-09');
    expect(addDays('2026-01-01', -1)).to.equal('2025-12-31');
    expect(addDays('2028-03-01', -1)).to.equal('2028-02-29');
    expect(daysBetween('2026-03-07', '2026-03-09')).to.equal(2);
    expect(daysBetween('2026-11-02', '2026-10-31')).to.equal(-2);
  });
});

describe('formatQuantity', () => {
  const UCUM = 'http://unitsofmeasure.org';
  it('shows UCUM units as people read them', () => {
    expect(formatQuantity({ value: 120, unit: 'mm[Hg]', system: UCUM, code: 'mm[Hg]' }, { locale: 'en-US' })).to.equal('120 mmHg');
    expect(formatQuantity({ value: 98, system: UCUM, code: '%' }, { locale: 'en-US' })).to.equal('98%');
    expect(formatQuantity({ value: 37.25, system: UCUM, code: 'Cel' }, { locale: 'es' })).to.equal('37,25 °C');
    expect(formatQuantity({ value: 154.3, system: UCUM, code: '[lb_av]' }, { locale: 'en-US' })).to.equal('154.3 lb');
    expect(formatQuantity({ value: 5, comparator: '<', unit: 'mg/dL', system: UCUM, code: 'mg/dL' }, { locale: 'en-US' })).to.equal('< 5 mg/dL');
    expect(formatQuantity({ value: 2, unit: 'tablets' }, { locale: 'en-US' })).to.equal('2 tablets');
    expect(ucumDisplay('kg/m2')).to.equal('kg/m²');
    expect(formatQuantity(undefined)).to.equal('');
  });
});
