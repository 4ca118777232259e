import { berlinWallClockToIso, formatWithOffset, offsetMinutesAt, type WallClock } from './berlin-time.js';
import { parseGermanDate, type ParsedDate } from './parse-date.js';

const ENGLISH_MONTHS: Record<string, number> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6,
  july: 7, jul: 7, august: 8, aug: 8, september: 9, sep: 9, sept: 9, october: 10, oct: 10, november: 11, nov: 11,
  december: 12, dec: 12,
};
const MONTH = '(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\\.?';

/**
 * English dates as printed: "March 18, 2020", "Mar. 18, 2020 10:05 am", "18 March 2020".
 * Without a zone the time is read as Berlin local time, like German dates.
 */
export function parseEnglishDate(text: string): ParsedDate | undefined {
  const normalised = text.replace(/\s+/g, ' ');
  const monthFirst = new RegExp(`\\b${MONTH} (\\d{1,2})(?:st|nd|rd|th)?,? (\\d{4})\\b`, 'i').exec(normalised);
  const dayFirst = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)? (?:of )?${MONTH},? (\\d{4})\\b`, 'i').exec(normalised);
  let match: RegExpExecArray | null;
  let day: number, month: number, year: number;
  if (monthFirst && (!dayFirst || monthFirst.index <= dayFirst.index)) {
    match = monthFirst;
    month = ENGLISH_MONTHS[monthFirst[1]!.toLowerCase()]!;
    day = +monthFirst[2]!;
    year = +monthFirst[3]!;
  } else if (dayFirst) {
    match = dayFirst;
    day = +dayFirst[1]!;
    month = ENGLISH_MONTHS[dayFirst[2]!.toLowerCase()]!;
    year = +dayFirst[3]!;
  } else {
    return undefined;
  }
  if (!month || day < 1 || day > 31 || year < 1990 || year > 2100) return undefined;
  const rest = normalised.slice(match.index + match[0].length);
  const time = /^[\s,|–—-]*(?:at\s)?(\d{1,2}):(\d{2})\s?(am|pm|a\.m\.|p\.m\.)?/i.exec(rest);
  if (!time) return { iso: `${year}-${pad(month)}-${pad(day)}`, hasTime: false };
  let hour = +time[1]!;
  const meridiem = time[3]?.toLowerCase().replace(/\./g, '');
  if (meridiem === 'pm' && hour < 12) hour += 12;
  if (meridiem === 'am' && hour === 12) hour = 0;
  if (hour > 23 || +time[2]! > 59) return { iso: `${year}-${pad(month)}-${pad(day)}`, hasTime: false };
  const wall: WallClock = { year, month, day, hour, minute: +time[2]! };
  return { iso: berlinWallClockToIso(wall), hasTime: true };
}

const RELATIVE = /\bvor\s+(\d{1,2}|einer|einem|zwei|drei)\s+(Minuten?|Stunden?|Tag(?:en)?)\b|\b(\d{1,2}|an?|one|two|three)\s+(minutes?|hours?|days?)\s+ago\b/i;
const NUMBER_WORDS: Record<string, number> = { einer: 1, einem: 1, a: 1, an: 1, one: 1, zwei: 2, two: 2, drei: 3, three: 3 };

/** "vor 2 Stunden", "3 hours ago": an instant relative to the fetch time (minute precision). */
export function parseRelativeDate(text: string, fetchedAt: string): ParsedDate | undefined {
  const match = RELATIVE.exec(text);
  const fetched = Date.parse(fetchedAt);
  if (!match || Number.isNaN(fetched)) return undefined;
  const amountText = (match[1] ?? match[3])!.toLowerCase();
  const amount = NUMBER_WORDS[amountText] ?? Number(amountText);
  const unit = (match[2] ?? match[4])!.toLowerCase();
  const minutes = /^(minute|minuten|minutes)$/.test(unit) ? 1 : /^(stunde|stunden|hour|hours)$/.test(unit) ? 60 : 1440;
  if (unit.startsWith('tag') || unit.startsWith('day')) {
    const instant = fetched - amount * 86_400_000;
    const iso = formatWithOffset(instant, offsetMinutesAt(instant));
    return { iso: iso.slice(0, 10), hasTime: false };
  }
  const instant = Math.floor((fetched - amount * minutes * 60_000) / 60_000) * 60_000;
  return { iso: formatWithOffset(instant, offsetMinutesAt(instant)), hasTime: true };
}

/** A date in printed text, German or English, absolute or relative to the fetch time. */
export function parseTextDate(text: string, fetchedAt?: string): ParsedDate | undefined {
  return parseGermanDate(text) ?? parseEnglishDate(text) ?? (fetchedAt ? parseRelativeDate(text, fetchedAt) : undefined);
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
