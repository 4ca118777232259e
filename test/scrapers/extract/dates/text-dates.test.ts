import { describe, expect, it } from 'vitest';
import { parseGermanDate } from '../../../../src/scrapers/extract/dates/parse-date.js';
import { parseEnglishDate, parseRelativeDate, parseTextDate } from '../../../../src/scrapers/extract/dates/text-dates.js';

describe('dates printed on the page', () => {
  it('reads "9. Dezember 2021, 14:35 Uhr" as Berlin winter time', () => {
    expect(parseGermanDate('9. Dezember 2021, 14:35 Uhr')).toEqual({ iso: '2021-12-09T14:35:00+01:00', hasTime: true });
  });

  it('keeps +02:00 on 30 Oct 2021 and switches to +01:00 after the clocks go back on 31 Oct', () => {
    expect(parseGermanDate('30.10.2021, 23:10 Uhr')?.iso).toBe('2021-10-30T23:10:00+02:00');
    expect(parseGermanDate('31.10.2021, 01:30 Uhr')?.iso).toBe('2021-10-31T01:30:00+02:00');
    expect(parseGermanDate('31.10.2021, 15:00 Uhr')?.iso).toBe('2021-10-31T15:00:00+01:00');
  });

  it('reads English dates with month names and am/pm', () => {
    expect(parseEnglishDate('Posted March 18, 2020 10:05 pm')).toEqual({ iso: '2020-03-18T22:05:00+01:00', hasTime: true });
    expect(parseEnglishDate('18 March 2020')).toEqual({ iso: '2020-03-18', hasTime: false });
    expect(parseEnglishDate('Sept. 3rd, 2019')).toEqual({ iso: '2019-09-03', hasTime: false });
    expect(parseEnglishDate('in May we will see')).toBeUndefined();
  });

  it('reads "vor 2 Stunden" relative to the fetch time, never as the fetch time itself', () => {
    expect(parseRelativeDate('vor 2 Stunden', '2021-12-09T13:35:00Z')).toEqual({ iso: '2021-12-09T12:35:00+01:00', hasTime: true });
    expect(parseRelativeDate('3 days ago', '2021-12-09T13:35:00Z')).toEqual({ iso: '2021-12-06', hasTime: false });
    expect(parseRelativeDate('vor Ort', '2021-12-09T13:35:00Z')).toBeUndefined();
    expect(parseTextDate('vor 2 Stunden')).toBeUndefined();
  });
});
