/**
 * How long a host is left alone after it answered 429 or 503 (or a retryable failure):
 * Retry-After in seconds or as an HTTP date when the server says, otherwise exponential
 * (1 s, 2 s, 4 s …), both capped at maxBackoffMs. Pure: the clock is passed in.
 */
export function backoffMs(retryAfter: string | undefined, attempt: number, maxBackoffMs: number, nowMs: number = Date.now()): number {
  if (retryAfter) {
    const trimmed = retryAfter.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, maxBackoffMs);
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) return Math.min(Math.max(date - nowMs, 0), maxBackoffMs);
  }
  return Math.min(1000 * 2 ** Math.max(attempt - 1, 0), maxBackoffMs);
}

/** Statuses that mean "come back later" rather than "this page is broken". */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 503 || status === 500 || status === 502 || status === 504;
}

/** Statuses after which the whole host is paused (the server asks for less load). */
export function pausesHost(status: number): boolean {
  return status === 429 || status === 503;
}
