import { berlinWallClockToIso, toBerlinIso, type WallClock } from './berlin-time.js';

const GERMAN_MONTHS: Record<string, number> = {
  januar: 1, jan: 1, jänner: 1, februar: 2, feb: 2, märz: 3, maerz: 3, mär: 3, mrz: 3, april: 4, apr: 4,
  mai: 5, juni: 6, jun: 6, juli: 7, jul: 7, august: 8, aug: 8, september: 9, sep: 9, sept: 9,
  oktober: 10, okt: 10, november: 11, nov: 11, dezember: 12, dez: 12,
};

export interface ParsedDate {
  /** ISO 8601 with offset; date-only values are "YYYY-MM-DD". */
  iso: string;
  hasTime: boolean;
}

/**
 * Machine dates from JSON-LD, meta tags and time elements. An explicit offset is kept as the
 * page gave it; "Z" is rewritten in Berlin time (same instant); no offset means Berlin wall-clock.
 */
export function parseIsoDate(value: string): ParsedDate | undefined {
  const match =
    /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?\s*$/i.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, zone] = match;
  const wall: WallClock = { year: +y!, month: +mo!, day: +d!, hour: +(h ?? 0), minute: +(mi ?? 0), second: +(s ?? 0) };
  if (!isPlausible(wall)) return undefined;
  if (h === undefined) return { iso: `${y}-${mo}-${d}`, hasTime: false };
  if (!zone) return { iso: berlinWallClockToIso(wall), hasTime: true };
  if (zone.toUpperCase() === 'Z') {
    return { iso: toBerlinIso(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second)), hasTime: true };
  }
  const offset = zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  return { iso: `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${offset}`, hasTime: true };
}

/**
 * German dates as printed on pages: "09.12.2021", "9.12.21", "9. Dezember 2021",
 * each optionally followed by a time "14:35", "14.35 Uhr", "um 14:35 Uhr". Berlin local time.
 */
export function parseGermanDate(text: string): ParsedDate | undefined {
  const normalised = text.replace(/\s+/g, ' ');
  const numeric = /(?<!\d)(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})(?!\d)/.exec(normalised);
  const named = /(?<!\d)(\d{1,2})\.\s?([A-Za-zÄÖÜäöü]{3,9})\.?\s(\d{4})(?!\d)/.exec(normalised);
  let year: number, month: number, day: number, rest: string;
  if (numeric && (!named || numeric.index <= named.index)) {
    day = +numeric[1]!;
    month = +numeric[2]!;
    year = numeric[3]!.length === 2 ? 2000 + +numeric[3]! : +numeric[3]!;
    rest = normalised.slice(numeric.index + numeric[0].length);
  } else if (named) {
    const monthNumber = GERMAN_MONTHS[named[2]!.toLowerCase()];
    if (!monthNumber) return undefined;
    day = +named[1]!;
    month = monthNumber;
    year = +named[3]!;
    rest = normalised.slice(named.index + named[0].length);
  } else {
    return undefined;
  }
  const time = /^[\s,|–—-]*(?:um\s)?(\d{1,2})[:.](\d{2})(?:\s?Uhr)?/i.exec(rest);
  const wall: WallClock = { year, month, day, hour: time ? +time[1]! : 0, minute: time ? +time[2]! : 0 };
  if (!isPlausible(wall)) return undefined;
  if (!time) return { iso: `${year}-${pad(month)}-${pad(day)}`, hasTime: false };
  return { iso: berlinWallClockToIso(wall), hasTime: true };
}

/** Epoch milliseconds of a parsed ISO value; date-only values count as Berlin midnight. */
export function isoToEpochMs(iso: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) {
    const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
    return Date.parse(berlinWallClockToIso({ year: y, month: m, day: d, hour: 0, minute: 0 }));
  }
  return Date.parse(iso);
}

function isPlausible(wall: WallClock): boolean {
  return (
    wall.year >= 1990 && wall.year <= 2100 && wall.month >= 1 && wall.month <= 12 &&
    wall.day >= 1 && wall.day <= 31 && wall.hour <= 23 && wall.minute <= 59
  );
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
