import type { WarcWriter } from '../archive/warc-writer.js';
import type { CrawlOptions } from '../config/schema.js';
import { ChronikError } from '../errors.js';
import { fetchUrl, type FetchOptions } from '../scrapers/fetch/http-fetch.js';
import type { UrlPolicy } from '../scrapers/fetch/url-guard.js';
import { backoffMs, isRetryableStatus, pausesHost } from '../scrapers/politeness/backoff.js';
import { HostLimiter } from '../scrapers/politeness/host-limiter.js';
import { parseRobots, rulesForRobotsStatus, type RobotsRules } from '../scrapers/politeness/robots.js';
import type { ArchiveRef, FetchResult } from './types.js';

/** Thrown when the crawl is asked to stop while a fetch waits; the entry goes back to the frontier. */
export class CrawlStopped extends Error {
  constructor() {
    super('crawl stopped');
    this.name = 'CrawlStopped';
  }
}

export interface PoliteFetcherOptions {
  crawl: CrawlOptions;
  policy: UrlPolicy;
  archive: WarcWriter;
  signal?: AbortSignal | undefined;
  /** Told about each robots.txt read (its Sitemap lines feed discovery). */
  onRobots?: (origin: string, rules: RobotsRules) => void;
  onRetry?: (url: string, status: number | string, waitMs: number) => void;
}

/**
 * Every request of the crawl goes through here: robots.txt (read once per origin, checked for
 * every redirect hop too), one queue per host with a minimum delay (robots Crawl-delay wins if
 * longer), 429/503 pause the whole host (Retry-After or exponential), 5xx and network failures
 * are retried; every response is archived before anyone reads it.
 */
export class PoliteFetcher {
  readonly hosts: HostLimiter;
  readonly #options: PoliteFetcherOptions;
  readonly #fetchOptions: FetchOptions;
  readonly #robots = new Map<string, Promise<RobotsRules>>();

  constructor(options: PoliteFetcherOptions) {
    this.#options = options;
    const crawl = options.crawl;
    this.hosts = new HostLimiter({ concurrency: crawl.perHostConcurrency, minDelayMs: crawl.minDelayMs });
    this.#fetchOptions = {
      userAgent: crawl.userAgent,
      timeoutMs: crawl.timeoutMs,
      maxBodyBytes: crawl.maxBodyBytes,
      policy: options.policy,
      checkHop: async (url) => {
        if (!(await this.robotsFor(url)).isAllowed(url)) {
          throw new ChronikError('URL_REFUSED', `${url}: disallowed by robots.txt`, { action: 'skip-url' });
        }
      },
    };
  }

  /** Fetches and archives one URL, retrying what the server asks to retry. */
  async fetch(url: string, validators: { etag?: string | undefined; lastModified?: string | undefined } = {}, accept?: string): Promise<{ result: FetchResult; archiveRef: ArchiveRef }> {
    const options: FetchOptions = { ...this.#fetchOptions, etag: validators.etag, lastModified: validators.lastModified, ...(accept ? { accept } : {}) };
    // robots.txt is read before the request takes the host's slot: reading it inside the slot
    // (the first hop's check) would wait for itself when a host allows one request at a time.
    await this.robotsFor(url).catch(() => undefined);
    return this.#fetchWithRetries(url, options);
  }

  async #fetchWithRetries(url: string, options: FetchOptions): Promise<{ result: FetchResult; archiveRef: ArchiveRef }> {
    const host = new URL(url).host;
    const crawl = this.#options.crawl;
    for (let attempt = 1; ; attempt++) {
      this.#throwIfStopped();
      try {
        const result = await this.hosts.run(host, () => {
          this.#throwIfStopped();
          return fetchUrl(url, options);
        });
        const archiveRef = await this.#options.archive.writeExchange(result);
        if (isRetryableStatus(result.status) && attempt < crawl.maxAttempts) {
          const waitMs = backoffMs(result.headers['retry-after'], attempt, crawl.maxBackoffMs);
          // 429/503: the host asked for less load, so every request to it waits, not only this URL.
          if (pausesHost(result.status)) this.hosts.pause(host, waitMs);
          this.#options.onRetry?.(url, result.status, waitMs);
          if (!pausesHost(result.status)) await this.#sleep(waitMs);
          continue;
        }
        return { result, archiveRef };
      } catch (error) {
        if (error instanceof CrawlStopped) throw error;
        const retryable = error instanceof ChronikError && error.action === 'retry-later' && !/ENOTFOUND|EAI_AGAIN|name not resolved/.test(error.userMessage);
        if (!retryable || attempt >= crawl.maxAttempts) throw error;
        const waitMs = backoffMs(undefined, attempt, crawl.maxBackoffMs);
        this.#options.onRetry?.(url, (error as ChronikError).code, waitMs);
        await this.#sleep(waitMs);
      }
    }
  }

  /** The origin's robots.txt rules, read once per crawl (404 → all allowed; 5xx/unreachable → nothing). */
  robotsFor(url: string): Promise<RobotsRules> {
    const origin = new URL(url).origin;
    let rules = this.#robots.get(origin);
    if (!rules) {
      rules = this.#loadRobots(origin);
      this.#robots.set(origin, rules);
    }
    return rules;
  }

  async #loadRobots(origin: string): Promise<RobotsRules> {
    const crawl = this.#options.crawl;
    if (!crawl.respectRobotsTxt) return rulesForRobotsStatus(404);
    const robotsUrl = `${origin}/robots.txt`;
    // robots.txt itself is fetched without the hop check (it would ask for itself).
    const { result } = await this.#fetchWithRetries(robotsUrl, { ...this.#fetchOptions, checkHop: undefined, accept: 'text/plain,*/*;q=0.5' });
    if (result.status !== 200) return rulesForRobotsStatus(result.status);
    const rules = parseRobots(robotsUrl, new TextDecoder().decode(result.body), crawl.userAgent);
    if (rules.crawlDelaySecs !== undefined) this.hosts.setMinDelay(new URL(origin).host, rules.crawlDelaySecs * 1000);
    this.#options.onRobots?.(origin, rules);
    return rules;
  }

  #throwIfStopped(): void {
    if (this.#options.signal?.aborted) throw new CrawlStopped();
  }

  #sleep(ms: number): Promise<void> {
    const signal = this.#options.signal;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new CrawlStopped());
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(new CrawlStopped());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
