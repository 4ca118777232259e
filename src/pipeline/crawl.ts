import PQueue from 'p-queue';
import type { WarcWriter } from '../archive/warc-writer.js';
import type { Config } from '../config/schema.js';
import { ChronikError, describeError } from '../errors.js';
import type { ArticleIndex } from '../index/meili-client.js';
import { deliverPending, type IndexOutbox } from '../index/outbox.js';
import { toIndexDocument } from '../index/to-index-document.js';
import { canonicalKey } from '../scrapers/discover/canonical-url.js';
import { judgeArticle, scoreLink } from '../scrapers/discover/relevance.js';
import { extractArticle } from '../scrapers/extract/extract-article.js';
import { fetchUrl, type FetchOptions } from '../scrapers/fetch/http-fetch.js';
import type { UrlPolicy } from '../scrapers/fetch/url-guard.js';
import { MemoryFrontier } from '../scrapers/frontier/memory-frontier.js';
import { HostLimiter } from '../scrapers/politeness/host-limiter.js';
import { parseRobots, rulesForRobotsStatus, type RobotsRules } from '../scrapers/politeness/robots.js';
import type { ArchiveRef, FetchResult, FrontierEntry, IndexDocument } from './types.js';

export type CrawlEvent =
  | { type: 'fetched'; url: string; status: number }
  | { type: 'article'; url: string; isOnTopic: boolean; headline: string; reasons: string[] }
  | { type: 'skipped'; url: string; reason: string }
  | { type: 'failed'; url: string; message: string }
  | { type: 'indexed'; count: number };

export interface SourceOutcome {
  url: string;
  ok: boolean;
  message?: string | undefined;
}

export interface CrawlSummary {
  fetched: number;
  articles: number;
  onTopic: number;
  offTopic: number;
  notArticles: number;
  failed: number;
  indexed: number;
  /** Documents still waiting in the outbox because Meilisearch could not take them. */
  waitingForIndex: number;
  /** Why indexing stopped during the run, if it did. */
  indexProblem?: string | undefined;
  sources: SourceOutcome[];
  failures: Array<{ url: string; message: string }>;
  durationMs: number;
}

export interface CrawlDependencies {
  config: Config;
  archive: WarcWriter;
  /** Undefined when Meilisearch is unavailable: documents then wait in the outbox. */
  index: ArticleIndex | undefined;
  outbox: IndexOutbox;
  onEvent?: (event: CrawlEvent) => void;
}

const INDEX_BATCH_SIZE = 100;
const MAX_ATTEMPTS = 3;
const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)\b/i;

/**
 * discover → fetch → archive → extract → judge → index, from the configured sources through
 * related links. Every response is archived before it is interpreted, so the archive holds
 * the evidence even for pages that are then skipped.
 */
export async function runCrawl({ config, archive, index, outbox, onEvent = () => undefined }: CrawlDependencies): Promise<CrawlSummary> {
  const startedAt = Date.now();
  const crawl = config.crawl;
  const policy: UrlPolicy = {
    allowHosts: new Set(
      (crawl.allowHosts.length > 0 ? crawl.allowHosts : config.sources.map((source) => new URL(source.url).hostname)).map(
        (host) => host.toLowerCase(),
      ),
    ),
    allowPrivateAddresses: crawl.allowPrivateAddresses,
  };
  const fetchOptions: FetchOptions = {
    userAgent: crawl.userAgent,
    timeoutMs: crawl.timeoutMs,
    maxBodyBytes: crawl.maxBodyBytes,
    policy,
  };
  const frontier = new MemoryFrontier();
  const hosts = new HostLimiter({ concurrency: crawl.perHostConcurrency, minDelayMs: crawl.minDelayMs });
  const robotsByOrigin = new Map<string, Promise<RobotsRules>>();
  const queue = new PQueue({ concurrency: crawl.concurrency });
  const summary: CrawlSummary = {
    fetched: 0, articles: 0, onTopic: 0, offTopic: 0, notArticles: 0, failed: 0, indexed: 0, waitingForIndex: 0,
    sources: [], failures: [], durationMs: 0,
  };
  const sourceOutcomes = new Map<string, SourceOutcome>();
  let queuedSinceDelivery = 0;
  let indexProblem: string | undefined = index ? undefined : 'Meilisearch is not available';
  let fetchBudget = crawl.maxPages;

  const fail = (url: string, message: string): void => {
    summary.failed += 1;
    summary.failures.push({ url, message });
    onEvent({ type: 'failed', url, message });
  };

  /** Documents go to the durable outbox first; delivery failures leave them there for the next run. */
  const queueForIndex = async (document: IndexDocument): Promise<void> => {
    outbox.put([document]);
    queuedSinceDelivery += 1;
    if (queuedSinceDelivery >= INDEX_BATCH_SIZE) await deliverOutbox();
  };

  const deliverOutbox = async (): Promise<void> => {
    queuedSinceDelivery = 0;
    if (!index || indexProblem) return;
    try {
      const count = await deliverPending(outbox, (documents) => index.upsert(documents), INDEX_BATCH_SIZE);
      summary.indexed += count;
      if (count > 0) onEvent({ type: 'indexed', count });
    } catch (error) {
      // Keep crawling: what was not delivered stays in the outbox for `chronik index --pending`.
      indexProblem = describeError(error);
      onEvent({ type: 'failed', url: index.name, message: `indexing paused: ${indexProblem}` });
    }
  };

  /** Fetches and archives one URL, retrying what the server asks to retry. */
  const fetchAndArchive = async (url: string): Promise<{ result: FetchResult; archiveRef: ArchiveRef }> => {
    const host = new URL(url).host;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await hosts.run(host, () => fetchUrl(url, fetchOptions));
        const archiveRef = await archive.writeExchange(result);
        if ((result.status === 429 || result.status >= 500) && attempt < MAX_ATTEMPTS) {
          await sleep(retryDelayMs(result.headers['retry-after'], attempt));
          continue;
        }
        return { result, archiveRef };
      } catch (error) {
        const retryable = error instanceof ChronikError && error.action === 'retry-later' && !isNameResolutionError(error);
        if (!retryable || attempt >= MAX_ATTEMPTS) throw error;
        await sleep(retryDelayMs(undefined, attempt));
      }
    }
  };

  const robotsFor = (url: string): Promise<RobotsRules> => {
    const origin = new URL(url).origin;
    let rules = robotsByOrigin.get(origin);
    if (!rules) {
      rules = loadRobotsRules(origin);
      robotsByOrigin.set(origin, rules);
    }
    return rules;
  };

  const loadRobotsRules = async (origin: string): Promise<RobotsRules> => {
    if (!crawl.respectRobotsTxt) return rulesForRobotsStatus(404);
    const robotsUrl = `${origin}/robots.txt`;
    const { result } = await fetchAndArchive(robotsUrl); // network errors propagate: the host is unreachable
    if (result.status !== 200) return rulesForRobotsStatus(result.status);
    const rules = parseRobots(robotsUrl, new TextDecoder().decode(result.body), crawl.userAgent);
    if (rules.crawlDelaySecs !== undefined) hosts.setMinDelay(new URL(origin).host, rules.crawlDelaySecs * 1000);
    return rules;
  };

  const enqueueLinks = (entry: FrontierEntry, links: Array<{ url: string; title: string; category?: string | undefined; sectionLabel?: string | undefined }>): void => {
    if (entry.depth >= crawl.maxDepth) return;
    for (const link of links) {
      if (!policy.allowHosts.has(new URL(link.url).hostname.toLowerCase())) continue;
      frontier.add({
        url: link.url,
        canonicalKey: canonicalKey(link.url),
        depth: entry.depth + 1,
        via: entry.url,
        reason: 'related-link',
        linkScore: scoreLink(config.topic, { url: link.url, anchorText: link.title, category: link.category, sectionLabel: link.sectionLabel }),
      });
    }
  };

  const processEntry = async (entry: FrontierEntry): Promise<void> => {
    const isSeed = entry.reason === 'seed';
    const markSource = (ok: boolean, message?: string): void => {
      if (isSeed) sourceOutcomes.set(entry.url, { url: entry.url, ok, message });
    };
    try {
      const rules = await robotsFor(entry.url).catch((error: unknown) => {
        throw reportedForUrl(error, entry.url);
      });
      if (!rules.isAllowed(entry.url)) {
        onEvent({ type: 'skipped', url: entry.url, reason: 'disallowed by robots.txt' });
        markSource(false, `${entry.url}: disallowed by robots.txt`);
        return;
      }
      if (fetchBudget <= 0) return;
      fetchBudget -= 1;
      const { result, archiveRef } = await fetchAndArchive(entry.url);
      summary.fetched += 1;
      onEvent({ type: 'fetched', url: entry.url, status: result.status });
      if (result.status < 200 || result.status >= 300) {
        const message = `${entry.url}: HTTP ${result.status}${result.statusText ? ` ${result.statusText}` : ''}`;
        fail(entry.url, message);
        markSource(false, message);
        return;
      }
      const contentType = result.headers['content-type'] ?? '';
      if (contentType && !HTML_TYPES.test(contentType)) {
        const message = `${entry.url}: not an HTML page (${contentType.split(';')[0]})`;
        fail(entry.url, message);
        markSource(false, message);
        return;
      }
      markSource(true);
      const outcome = extractArticle({ body: result.body, url: result.finalUrl, headers: result.headers, fetchedAt: result.fetchedAt });
      if (outcome.kind === 'not-an-article') {
        summary.notArticles += 1;
        onEvent({ type: 'skipped', url: entry.url, reason: outcome.reason });
        return;
      }
      const record = outcome.record;
      summary.articles += 1;
      const verdict = judgeArticle(config.topic, record);
      onEvent({ type: 'article', url: entry.url, isOnTopic: verdict.isOnTopic, headline: record.headline.value, reasons: verdict.reasons });
      const canonical = canonicalKey(record.canonicalUrl);
      const isDuplicate = canonical !== entry.canonicalKey && !frontier.markSeen(canonical);
      if (!verdict.isOnTopic) {
        summary.offTopic += 1;
        if (isSeed) enqueueLinks(entry, record.relatedLinks);
        return;
      }
      summary.onTopic += 1;
      enqueueLinks(entry, record.relatedLinks);
      if (isDuplicate) return;
      await queueForIndex(toIndexDocument({ ...record, archive: archiveRef }));
    } catch (error) {
      const message = describeError(error);
      fail(entry.url, message);
      markSource(false, message);
    }
  };

  const schedule = (): void => {
    while (queue.size + queue.pending < crawl.concurrency) {
      const entry = frontier.lease();
      if (!entry) return;
      void queue.add(async () => {
        await processEntry(entry);
        schedule();
      });
    }
  };

  for (const source of config.sources) {
    frontier.add({ url: source.url, canonicalKey: canonicalKey(source.url), depth: 0, reason: 'seed', linkScore: Number.MAX_SAFE_INTEGER });
  }
  schedule();
  await queue.onIdle();
  await deliverOutbox();
  summary.waitingForIndex = outbox.pendingCount;
  summary.indexProblem = indexProblem;

  summary.sources = config.sources.map(
    (source) => sourceOutcomes.get(source.url) ?? { url: source.url, ok: false, message: `${source.url}: not fetched (page budget spent)` },
  );
  summary.durationMs = Date.now() - startedAt;
  return summary;
}

/** Retry-After in seconds or as an HTTP date; otherwise exponential: 1 s, 2 s, 4 s … capped at 30 s. */
export function retryDelayMs(retryAfter: string | undefined, attempt: number): number {
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.min(Math.max(seconds, 0) * 1000, 60_000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.min(Math.max(date - Date.now(), 0), 60_000);
  }
  return Math.min(1000 * 2 ** (attempt - 1), 30_000);
}

/** A failure of the host's robots.txt is reported for the URL that needed it. */
function reportedForUrl(error: unknown, url: string): unknown {
  if (!(error instanceof ChronikError)) return error;
  const robotsUrl = `${new URL(url).origin}/robots.txt`;
  return new ChronikError(error.code, error.userMessage.replace(robotsUrl, url), { action: error.action, cause: error });
}

function isNameResolutionError(error: ChronikError): boolean {
  return /ENOTFOUND|EAI_AGAIN|name not resolved/.test(error.userMessage);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
