/**
 * Wall-clock time in Europe/Berlin → instant with the right UTC offset (+01:00 or +02:00).
 * Uses the platform's time-zone data through Intl instead of hard-coded switch dates.
 */
export const BERLIN = 'Europe/Berlin';

export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second?: number;
}

/** Building an Intl formatter costs far more than using one; keep one per zone. */
const OFFSET_FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function offsetFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = OFFSET_FORMATTERS.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    OFFSET_FORMATTERS.set(timeZone, formatter);
  }
  return formatter;
}

/** UTC offset in minutes that `timeZone` has at the given instant. */
export function offsetMinutesAt(instantMs: number, timeZone = BERLIN): number {
  const name = offsetFormatter(timeZone)
    .formatToParts(new Date(instantMs))
    .find((part) => part.type === 'timeZoneName')?.value;
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name ?? '');
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '-' ? -minutes : minutes;
}

/**
 * ISO 8601 string with offset for a Berlin wall-clock time. In the repeated hour of the
 * autumn switch the earlier (summer-time) reading is taken; a time in the skipped spring
 * hour is moved forward by the gap, as clocks do.
 */
export function berlinWallClockToIso(wall: WallClock): string {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second ?? 0);
  // Try the offset before and after; keep the first candidate whose offset is self-consistent.
  const candidates = [offsetMinutesAt(asUtc - 3 * 3600_000), offsetMinutesAt(asUtc + 3 * 3600_000)];
  const ordered = [...new Set(candidates)].sort((a, b) => b - a);
  for (const offset of ordered) {
    const instant = asUtc - offset * 60_000;
    if (offsetMinutesAt(instant) === offset) return formatWithOffset(instant, offset);
  }
  const offset = offsetMinutesAt(asUtc);
  return formatWithOffset(asUtc - offset * 60_000 + 3600_000, offsetMinutesAt(asUtc + 3600_000));
}

/** Formats an instant as "YYYY-MM-DDTHH:MM:SS+HH:MM" in the given offset. */
export function formatWithOffset(instantMs: number, offsetMinutes: number): string {
  const local = new Date(instantMs + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Any ISO instant → the same instant written in Berlin time. */
export function toBerlinIso(instantMs: number): string {
  return formatWithOffset(instantMs, offsetMinutesAt(instantMs));
}

/** Calendar buckets of an instant in Berlin: day "2021-12-09", ISO week "2021-W49", month "2021-12". */
export function berlinBuckets(instantMs: number): { day: string; week: string; month: string } {
  const local = new Date(instantMs + offsetMinutesAt(instantMs) * 60_000);
  const day = local.toISOString().slice(0, 10);
  return { day, week: isoWeek(local), month: day.slice(0, 7) };
}

function isoWeek(utcDate: Date): string {
  const date = new Date(Date.UTC(utcDate.getUTCFullYear(), utcDate.getUTCMonth(), utcDate.getUTCDate()));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday); // Thursday decides the ISO year.
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
