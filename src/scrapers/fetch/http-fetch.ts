import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
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
    const response = await requestOnce(currentUrl, requestHeaders, options);
    const location = response.headers.location;
    if (REDIRECT_STATUSES.has(response.status) && location) {
      hops.push({ url: currentUrl, status: response.status, statusText: response.statusText, headers: response.headers, requestHeaders, body: response.body, fetchedAt: new Date().toISOString() });
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
    return {
      requestedUrl: url,
      finalUrl: currentUrl,
      redirects,
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      requestHeaders,
      body: response.body,
      fetchedAt: new Date().toISOString(),
      notModified: response.status === 304,
      hops,
    };
  }
}

/** What we ask servers for; the body is stored decoded (see headersForStoredBody in the WARC writer). */
const ACCEPT_ENCODING = 'gzip, deflate, br';

function buildRequestHeaders(options: FetchOptions, isFirstHop: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': options.userAgent,
    accept: options.accept ?? 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
    'accept-language': 'de-DE,de;q=0.9,en;q=0.5',
    'accept-encoding': ACCEPT_ENCODING,
  };
  // Validators belong to the URL they were stored for, not to a redirect target.
  if (isFirstHop && options.etag) headers['if-none-match'] = options.etag;
  if (isFirstHop && options.lastModified) headers['if-modified-since'] = options.lastModified;
  return headers;
}

interface RawResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/**
 * One request on node:http(s) with kept-alive connections. Not fetch(): a crawl makes thousands
 * of requests, and fetch's streams cost about three times the CPU per request of this.
 * `timeoutMs` covers the whole answer, headers and body.
 */
function requestOnce(url: string, headers: Record<string, string>, options: FetchOptions, attempt = 0): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    let settled = false;
    const finish = (error: Error | undefined, answer?: RawResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        request.destroy();
        reject(error);
      } else resolve(answer!);
    };
    let answered = false;
    let idleMs = 0;
    const request = (secure ? https : http).request(target, { method: 'GET', headers, agent: secure ? httpsAgent : httpAgent }, (response) => {
      answered = true;
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxBodyBytes) return finish(tooLarge(url, options.maxBodyBytes));
      const chunks: Buffer[] = [];
      let total = 0;
      response.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > options.maxBodyBytes) return finish(tooLarge(url, options.maxBodyBytes));
        chunks.push(chunk);
      });
      response.on('end', () => {
        if (!response.complete) return finish(truncated(url));
        const responseHeaders = headersToRecord(response.headers);
        try {
          const body = decodeContent(Buffer.concat(chunks, total), responseHeaders['content-encoding'], url, options.maxBodyBytes);
          finish(undefined, { status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', headers: responseHeaders, body });
        } catch (error) {
          finish(error as Error);
        }
      });
      response.on('error', (error) => finish(toFetchError(url, error, options.timeoutMs)));
      // The connection closed before the whole body arrived.
      response.on('close', () => finish(truncated(url)));
    });
    const timer = setTimeout(
      () => finish(new ChronikError('FETCH_TIMEOUT', `${url}: no complete answer within ${options.timeoutMs} ms`, { action: 'retry-later' })),
      options.timeoutMs,
    );
    request.on('socket', (socket) => {
      const freed = idleSince.get(socket);
      idleMs = request.reusedSocket && freed !== undefined ? performance.now() - freed : 0;
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      // A server may close an idle kept-alive connection just as we reuse it: a GET that got no
      // answer on a connection that had been idle a while is sent again on a fresh one (as Node's
      // docs advise). A connection dropped right after its last answer is the server's doing.
      if (!settled && request.reusedSocket && !answered && idleMs >= STALE_AFTER_IDLE_MS && attempt < MAX_STALE_RETRIES && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) {
        settled = true;
        clearTimeout(timer);
        resolve(requestOnce(url, headers, options, attempt + 1));
        return;
      }
      finish(toFetchError(url, error, options.timeoutMs));
    });
    request.end();
  });
}

/** Stale kept-alive connections tried before a request counts as failed. */
const MAX_STALE_RETRIES = 2;
/** A reused connection idle this long may have met the server's keep-alive timeout. */
const STALE_AFTER_IDLE_MS = 1000;

/** Idle connections are closed after 4 s (as undici, fetch's client, does): most servers keep them 5 s or more. */
const httpAgent = new http.Agent({ keepAlive: true, timeout: 4000 });
const httpsAgent = new https.Agent({ keepAlive: true, timeout: 4000 });
/** When each pooled connection was last handed back (for the stale-connection retry). */
const idleSince = new WeakMap<object, number>();
for (const agent of [httpAgent, httpsAgent]) agent.on('free', (socket: object) => idleSince.set(socket, performance.now()));

/**
 * The body as the page's bytes: gzip, deflate and br undone (within the size limit; a cut-off
 * stream gives what arrived, as browsers do). An unknown coding leaves the bytes as they came.
 */
function decodeContent(body: Buffer, contentEncoding: string | undefined, url: string, maxBodyBytes: number): Uint8Array {
  const codings = (contentEncoding ?? '').toLowerCase().split(',').map((coding) => coding.trim()).filter((coding) => coding && coding !== 'identity');
  let bytes: Buffer = body;
  // Codings are listed in the order they were applied: undo the last first.
  for (const coding of codings.reverse()) {
    const limits = { maxOutputLength: maxBodyBytes };
    try {
      if (coding === 'gzip' || coding === 'x-gzip') bytes = zlib.gunzipSync(bytes, { ...limits, finishFlush: zlib.constants.Z_SYNC_FLUSH });
      else if (coding === 'deflate') bytes = inflateEither(bytes, limits);
      else if (coding === 'br') bytes = zlib.brotliDecompressSync(bytes, { ...limits, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
      else return bytes;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(url, maxBodyBytes);
      throw new ChronikError('FETCH_FAILED', `${url}: the ${coding} body could not be decoded (${(error as Error).message})`, { action: 'skip-url', cause: error });
    }
  }
  return bytes;
}

/** "deflate" is zlib-wrapped by the standard, raw in some servers' hands. */
function inflateEither(bytes: Buffer, limits: { maxOutputLength: number }): Buffer {
  try {
    return zlib.inflateSync(bytes, { ...limits, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw error;
    return zlib.inflateRawSync(bytes, { ...limits, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  }
}

/** Header names in lower case; a repeated header's values joined by ", " (Set-Cookie included). */
function headersToRecord(headers: http.IncomingHttpHeaders): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) record[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return record;
}

function truncated(url: string): ChronikError {
  return new ChronikError('FETCH_FAILED', `${url}: the connection closed before the whole answer arrived`, { action: 'retry-later' });
}

function tooLarge(url: string, maxBodyBytes: number): ChronikError {
  return new ChronikError('BODY_TOO_LARGE', `${url}: body larger than ${maxBodyBytes} bytes, skipped`, {
    action: 'skip-url',
  });
}

function toFetchError(url: string, error: unknown, timeoutMs: number): ChronikError {
  if (error instanceof ChronikError) return error;
  const name = (error as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new ChronikError('FETCH_TIMEOUT', `${url}: no complete answer within ${timeoutMs} ms`, {
      action: 'retry-later',
      cause: error,
    });
  }
  const reason = (error as NodeJS.ErrnoException)?.code ?? (error as Error)?.message ?? String(error);
  return new ChronikError('FETCH_FAILED', `${url}: unreachable (${reason})`, { action: 'retry-later', cause: error });
}
