import { describe, expect, it } from 'vitest';
import { berlinBuckets, berlinWallClockToIso } from '../../../../src/scrapers/extract/dates/berlin-time.js';
import { parseGermanDate, parseIsoDate } from '../../../../src/scrapers/extract/dates/parse-date.js';

describe('Berlin wall-clock time', () => {
  it('keeps +02:00 on 30 Oct 2021 and +01:00 after the switch on 31 Oct', () => {
    expect(berlinWallClockToIso({ year: 2021, month: 10, day: 30, hour: 18, minute: 5 })).toBe('2021-10-30T18:05:00+02:00');
    expect(berlinWallClockToIso({ year: 2021, month: 10, day: 31, hour: 12, minute: 0 })).toBe('2021-10-31T12:00:00+01:00');
    expect(berlinWallClockToIso({ year: 2021, month: 12, day: 9, hour: 14, minute: 35 })).toBe('2021-12-09T14:35:00+01:00');
    expect(berlinWallClockToIso({ year: 2022, month: 3, day: 28, hour: 9, minute: 0 })).toBe('2022-03-28T09:00:00+02:00');
  });

  it('takes the summer-time reading in the repeated autumn hour', () => {
    expect(berlinWallClockToIso({ year: 2021, month: 10, day: 31, hour: 2, minute: 30 })).toBe('2021-10-31T02:30:00+02:00');
  });

  it('buckets by the Berlin calendar day, not the UTC one', () => {
    // 23:30 UTC on 14 Oct is 01:30 on 15 Oct in Berlin.
    const buckets = berlinBuckets(Date.parse('2021-10-14T23:30:00Z'));
    expect(buckets).toEqual({ day: '2021-10-15', week: '2021-W41', month: '2021-10' });
    expect(berlinBuckets(Date.parse('2022-01-02T12:00:00Z')).week).toBe('2021-W52');
  });
});

describe('date parsing', () => {
  it('reads German numeric and named dates with times as Berlin time', () => {
    expect(parseGermanDate('09.12.2021, 14:35 Uhr')).toEqual({ iso: '2021-12-09T14:35:00+01:00', hasTime: true });
    expect(parseGermanDate('9. Dezember 2021, 14:35 Uhr')).toEqual({ iso: '2021-12-09T14:35:00+01:00', hasTime: true });
    expect(parseGermanDate('Freitag, 15. Oktober 2021 um 16.20 Uhr')).toEqual({ iso: '2021-10-15T16:20:00+02:00', hasTime: true });
    expect(parseGermanDate('09.12.2021')).toEqual({ iso: '2021-12-09', hasTime: false });
  });

  it('rejects text without a plausible date', () => {
    expect(parseGermanDate('Seite 2 von 3')).toBeUndefined();
    expect(parseGermanDate('31.13.2021')).toBeUndefined();
  });

  it('keeps an explicit offset, rewrites Z in Berlin time, and reads no offset as Berlin time', () => {
    expect(parseIsoDate('2021-10-15T16:20:00+02:00')?.iso).toBe('2021-10-15T16:20:00+02:00');
    expect(parseIsoDate('2021-12-09T13:35:00Z')?.iso).toBe('2021-12-09T14:35:00+01:00');
    expect(parseIsoDate('2021-12-09T14:35')?.iso).toBe('2021-12-09T14:35:00+01:00');
    expect(parseIsoDate('2021-12-09')).toEqual({ iso: '2021-12-09', hasTime: false });
    expect(parseIsoDate('gestern')).toBeUndefined();
  });
});
