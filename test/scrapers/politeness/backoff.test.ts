import { describe, expect, it } from 'vitest';
import { backoffMs, isRetryableStatus, pausesHost } from '../../../src/scrapers/politeness/backoff.js';

describe('backoffMs', () => {
  it('honours Retry-After in seconds and as an HTTP date, capped', () => {
    expect(backoffMs('3', 1, 60_000)).toBe(3000);
    expect(backoffMs('120', 1, 60_000)).toBe(60_000);
    const now = Date.parse('2024-01-01T00:00:00Z');
    expect(backoffMs('Mon, 01 Jan 2024 00:00:05 GMT', 1, 60_000, now)).toBe(5000);
    expect(backoffMs('Sun, 31 Dec 2023 00:00:00 GMT', 1, 60_000, now)).toBe(0);
  });

  it('grows exponentially without Retry-After: 1 s, 2 s, 4 s … up to the cap', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffMs(undefined, attempt, 5000))).toEqual([1000, 2000, 4000, 5000]);
    expect(backoffMs('soon', 2, 60_000)).toBe(2000);
  });

  it('pauses the whole host only for 429 and 503; retries 5xx too', () => {
    expect([429, 503, 500, 404].map(pausesHost)).toEqual([true, true, false, false]);
    expect([429, 503, 500, 502, 504, 404, 200].map(isRetryableStatus)).toEqual([true, true, true, true, true, false, false]);
  });
});
