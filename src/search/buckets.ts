/**
 * Pure calendar arithmetic for histogram buckets: "2021-12-09" (day), "2021-W49" (ISO week),
 * "2021-12" (month). Days are integers (days since 1970-01-01) so a histogram of years of days
 * costs microseconds, not a Date per bucket.
 */
export type BucketUnit = 'day' | 'week' | 'month';

export interface Bucket {
  key: string;
  count: number;
  /** The bucket's first and last day (inclusive), so a client can zoom into it without date math. */
  from: string;
  to: string;
}

const pad = (value: number) => (value < 10 ? `0${value}` : String(value));

function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

/** Days since 1970-01-01 → "YYYY-MM-DD" (Hinnant's civil_from_days). */
function dayString(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
const weekday = (days: number) => (((days + 3) % 7) + 7) % 7;

function weekKeyOfDayNumber(days: number): string {
  const thursday = days - weekday(days) + 3;
  const year = Number(dayString(thursday).slice(0, 4));
  return `${year}-W${pad(Math.floor((thursday - dayNumber(year, 1, 1)) / 7) + 1)}`;
}

function parseDay(day: string): number {
  return dayNumber(Number(day.slice(0, 4)), Number(day.slice(5, 7)), Number(day.slice(8, 10)));
}

export function weekKeyOf(day: string): string {
  return weekKeyOfDayNumber(parseDay(day));
}

const DAY_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;
const WEEK_KEY = /^(\d{4})-W(\d{2})$/;
const MONTH_KEY = /^(\d{4})-(\d{2})$/;

/** First and last day numbers of a bucket key; undefined for a key that is not one. */
function rangeDays(key: string): [number, number] | undefined {
  let match = DAY_KEY.exec(key);
  if (match) {
    const day = dayNumber(Number(match[1]), Number(match[2]), Number(match[3]));
    return [day, day];
  }
  match = WEEK_KEY.exec(key);
  if (match) {
    const jan4 = dayNumber(Number(match[1]), 1, 4);
    const monday = jan4 - weekday(jan4) + (Number(match[2]) - 1) * 7;
    return [monday, monday + 6];
  }
  match = MONTH_KEY.exec(key);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    return [dayNumber(year, month, 1), dayNumber(year, month + 1, 1) - 1];
  }
  return undefined;
}

/** The first and last day of a bucket key; undefined for a key that is not one. */
export function bucketRange(key: string): { from: string; to: string } | undefined {
  const range = rangeDays(key);
  return range && { from: dayString(range[0]), to: dayString(range[1]) };
}

function keyOf(days: number, unit: BucketUnit): string {
  if (unit === 'day') return dayString(days);
  if (unit === 'week') return weekKeyOfDayNumber(days);
  return dayString(days).slice(0, 7);
}

/**
 * Counts per bucket in calendar order, with empty buckets between the first and the last filled
 * one, so a histogram's x axis is time. With more than `maxBuckets` in between, only the filled ones.
 */
export function toHistogram(distribution: Record<string, number>, unit: BucketUnit, maxBuckets = 2000): Bucket[] {
  const keys = Object.keys(distribution).filter((key) => cachedRange(key)).sort();
  if (keys.length === 0) return [];
  const [start] = cachedRange(keys[0]!)!;
  const [, end] = cachedRange(keys[keys.length - 1]!)!;
  const buckets: Bucket[] = [];
  for (let first = start; first <= end; ) {
    if (buckets.length >= maxBuckets) return keys.map((key) => ({ key, count: distribution[key]!, ...bucketRange(key)! }));
    const frame = frameAt(first, unit);
    buckets.push({ key: frame.key, count: distribution[frame.key] ?? 0, from: frame.from, to: frame.to });
    first = frame.last + 1;
  }
  return buckets;
}

/**
 * Every search draws a histogram over the same calendar: the bucket starting on a day, and the
 * range of a key, are computed once per process (bounded), not per bucket per request.
 */
interface BucketFrame {
  key: string;
  from: string;
  to: string;
  last: number;
}

const CACHE_LIMIT = 100_000;
const frames = new Map<string, BucketFrame>();
const ranges = new Map<string, [number, number] | undefined>();

function frameAt(first: number, unit: BucketUnit): BucketFrame {
  const id = `${unit}${first}`;
  let frame = frames.get(id);
  if (!frame) {
    const key = keyOf(first, unit);
    const [, last] = rangeDays(key)!;
    frame = { key, from: dayString(first), to: dayString(last), last };
    if (frames.size >= CACHE_LIMIT) frames.clear();
    frames.set(id, frame);
  }
  return frame;
}

function cachedRange(key: string): [number, number] | undefined {
  if (ranges.has(key)) return ranges.get(key);
  const range = rangeDays(key);
  if (ranges.size >= CACHE_LIMIT) ranges.clear();
  ranges.set(key, range);
  return range;
}
