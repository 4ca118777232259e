import { ChronikError } from '../../errors.js';
import type { FetchResult } from '../../pipeline/types.js';
import { assertUrlAllowed, type UrlPolicy } from './url-guard.js';

export interface FetchOptions {
  userAgent: string;
  timeoutMs: number;
  maxBodyBytes: number;
  maxRedirects?: number;
  policy: UrlPolicy;
  /** Conditional GET validators from an earlier fetch. */
  etag?: string | undefined;
  lastModified?: string | undefined;
  /** Extra request headers, e.g. Accept for feeds. */
  accept?: string;
  /**
   * Called before every request, the first and each redirect hop, after the URL guard;
   * throws to refuse the hop (e.g. robots.txt disallows the redirect target).
   */
  checkHop?: (url: string) => Promise<void>;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** One redirect response on the way to the final one: evidence, archived like any response. */
export type RedirectHop = Pick<FetchResult, 'status' | 'statusText' | 'headers' | 'requestHeaders' | 'body' | 'fetchedAt'> & { url: string };

/** A fetch result with the redirect responses that led to it, in order. */
export type FetchedWithHops = FetchResult & { hops: RedirectHop[] };

/**
 * GET with redirects followed by hand, so every hop passes the URL guard again.
 * Any status is returned as a FetchResult (the caller decides what a 404 means);
 * network failures, timeouts and oversized bodies throw ChronikErrors.
 */
export async function fetchUrl(url: string, options: FetchOptions): Promise<FetchedWithHops> {
  const maxRedirects = options.maxRedirects ?? 10;
  const redirects: string[] = [];
  const hops: RedirectHop[] = [];
  const seen = new Set<string>();
  let currentUrl = url;
  for (;;) {
    await assertUrlAllowed(currentUrl, options.policy);
    await options.checkHop?.(currentUrl);
    const requestHeaders = buildRequestHeaders(options, redirects.length === 0);
    const response = await requestOnce(currentUrl, requestHeaders, options.timeoutMs);
    const location = response.headers.get('location');
    if (REDIRECT_STATUSES.has(response.status) && location) {
      const body = await readBodyLimited(response, currentUrl, options);
      hops.push({ url: currentUrl, status: response.status, statusText: response.statusText, headers: headersToRecord(response.headers), requestHeaders, body, fetchedAt: new Date().toISOString() });
      redirects.push(currentUrl);
      seen.add(currentUrl);
      const nextUrl = new URL(location, currentUrl).toString();
      if (seen.has(nextUrl)) {
        throw new ChronikError('FETCH_FAILED', `${url}: redirect loop at ${nextUrl}`, { action: 'skip-url' });
      }
      if (redirects.length > maxRedirects) {
        throw new ChronikError('FETCH_FAILED', `${url}: more than ${maxRedirects} redirects`, { action: 'skip-url' });
      }
      currentUrl = nextUrl;
      continue;
    }
    const body = await readBodyLimited(response, currentUrl, options);
    return {
      requestedUrl: url,
      finalUrl: currentUrl,
      redirects,
      status: response.status,
      statusText: response.statusText,
      headers: headersToRecord(response.headers),
      requestHeaders,
      body,
      fetchedAt: new Date().toISOString(),
      notModified: response.status === 304,
      hops,
    };
  }
}

function buildRequestHeaders(options: FetchOptions, isFirstHop: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': options.userAgent,
    accept: options.accept ?? 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
    'accept-language': 'de-DE,de;q=0.9,en;q=0.5',
  };
  // Validators belong to the URL they were stored for, not to a redirect target.
  if (isFirstHop && options.etag) headers['if-none-match'] = options.etag;
  if (isFirstHop && options.lastModified) headers['if-modified-since'] = options.lastModified;
  return headers;
}

async function requestOnce(url: string, headers: Record<string, string>, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw toFetchError(url, error, timeoutMs);
  }
}

async function readBodyLimited(response: Response, url: string, options: FetchOptions): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > options.maxBodyBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(url, options.maxBodyBytes);
  }
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      total += read.value.byteLength;
      if (total > options.maxBodyBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(url, options.maxBodyBytes);
      }
      chunks.push(read.value);
    }
  } catch (error) {
    if (error instanceof ChronikError) throw error;
    throw toFetchError(url, error, options.timeoutMs);
  }
  return concatBytes(chunks, total);
}

function concatBytes(chunks: Uint8Array[], total: number): Uint8Array {
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function headersToRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name.toLowerCase()] = value;
  });
  return record;
}

function tooLarge(url: string, maxBodyBytes: number): ChronikError {
  return new ChronikError('BODY_TOO_LARGE', `${url}: body larger than ${maxBodyBytes} bytes, skipped`, {
    action: 'skip-url',
  });
}

function toFetchError(url: string, error: unknown, timeoutMs: number): ChronikError {
  const name = (error as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new ChronikError('FETCH_TIMEOUT', `${url}: no complete answer within ${timeoutMs} ms`, {
      action: 'retry-later',
      cause: error,
    });
  }
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const reason = cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
  return new ChronikError('FETCH_FAILED', `${url}: unreachable (${reason})`, { action: 'retry-later', cause: error });
}
