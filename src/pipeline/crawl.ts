import path from 'node:path';
import PQueue from 'p-queue';
import { readArchivedResponse } from '../archive/warc-reader.js';
import type { WarcWriter } from '../archive/warc-writer.js';
import type { Config } from '../config/schema.js';
import { ChronikError, describeError } from '../errors.js';
import type { ArticleIndex } from '../index/meili-client.js';
import { deliverPending, type IndexOutbox } from '../index/outbox.js';
import { canonicalKey } from '../scrapers/discover/canonical-url.js';
import { profilesWith } from '../scrapers/extract/profiles/registry.js';
import type { UrlPolicy } from '../scrapers/fetch/url-guard.js';
import type { Frontier } from '../scrapers/frontier/frontier.js';
import { SqliteFrontier, type PassInfo, type PassMode } from '../scrapers/frontier/sqlite-frontier.js';
import { crawlFingerprint, isSourceEntry, sourceEntry, sourceUrl } from './crawl-sources.js';
import type { ListedEntry } from './crawl-discovery.js';
import { interpretPage, type PageRenderer } from './crawl-page.js';
import { ARTICLE_OUTCOMES, updateVerdict } from './crawl-update.js';
import { CrawlStopped, PoliteFetcher } from './polite-fetcher.js';
import type { FrontierEntry, IndexDocument } from './types.js';

export type CrawlEvent =
  | ({ type: 'pass'; stateFile: string } & PassInfo)
  | { type: 'fetched'; url: string; status: number }
  | { type: 'article'; url: string; isOnTopic: boolean; headline: string; reasons: string[] }
  | { type: 'skipped'; url: string; reason: string }
  | { type: 'retry'; url: string; why: string; waitMs: number }
  | { type: 'failed'; url: string; message: string }
  | { type: 'indexed'; count: number }
  | { type: 'progress'; fetched: number; queued: number; onTopic: number; errors: number }
  | { type: 'stopping' };

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
  /** crawl: every page found is fetched; update: only new, changed, failed and recent ones (see crawl-update.ts). */
  mode: PassMode;
  /** Articles fetched for the first time. */
  newArticles: number;
  /** Known articles fetched again with a new version (200 to a conditional GET). */
  changedArticles: number;
  /** 304 answers: nothing to do. */
  notModified: number;
  /** Links an update left alone because their page is known and unchanged. */
  skippedKnown: number;
  /** URLs whose fetch failed in this or an earlier run; the next run retries them. */
  toRetry: number;
  /** Crawl pass number in the state file; resumed when this run continued an unfinished pass. */
  pass: number;
  resumed: boolean;
  /** True when the run was asked to stop (SIGINT/SIGTERM) before the frontier was empty. */
  stopped: boolean;
  /** URLs still waiting in the frontier (stopped, or the page budget ran out): the next run continues. */
  pending: number;
  stateFile?: string | undefined;
}

export interface CrawlDependencies {
  config: Config;
  archive: WarcWriter;
  /** Undefined when Meilisearch is unavailable: documents then wait in the outbox. */
  index: ArticleIndex | undefined;
  outbox: IndexOutbox;
  onEvent?: (event: CrawlEvent) => void;
  /** Default: the persistent SQLite frontier in config.state.dir. */
  frontier?: Frontier;
  /** Aborting stops leasing; in-flight pages finish or go back to the frontier. */
  signal?: AbortSignal;
  /** Chromium for pages that need JavaScript; without it such pages stay not-an-article. */
  renderer?: PageRenderer;
  /**
   * update: a new pass fetches only what is new or changed (an unfinished pass is resumed as it
   * was started; a state that knows nothing yet gets a full crawl). Default crawl.
   */
  mode?: PassMode;
}

const INDEX_BATCH_SIZE = 100;

/**
 * discover → fetch → archive → extract → judge → index, from the configured sources. The
 * frontier is persistent: a killed crawl resumes where it stopped, a finished one starts a new
 * pass (with conditional GETs). Every response is archived before it is interpreted.
 */
export async function runCrawl(deps: CrawlDependencies): Promise<CrawlSummary> {
  const { config, archive, index, outbox, signal, renderer, onEvent = () => undefined } = deps;
  const startedAt = Date.now();
  // A missing or broken profiles folder is a clear error now, not a failure of every page later.
  profilesWith(config.extract.profilesDir);
  const crawl = config.crawl;
  const policy: UrlPolicy = {
    allowHosts: new Set(
      (crawl.allowHosts.length > 0 ? crawl.allowHosts : config.sources.map((source) => new URL(sourceUrl(source)).hostname)).map((host) => host.toLowerCase()),
    ),
    allowPrivateAddresses: crawl.allowPrivateAddresses,
  };
  const isAllowedHost = (url: string): boolean => policy.allowHosts.has(new URL(url).hostname.toLowerCase());
  const stateFile = path.join(config.state.dir, crawl.stateFile);
  const ownFrontier = deps.frontier === undefined;
  const frontierOptions = {
    fingerprint: crawlFingerprint(config),
    mode: deps.mode ?? 'crawl',
    recheckPublishedSince: new Date(startedAt - config.update.recheckRecentDays * 86_400_000).toISOString(),
  };
  const frontier: Frontier = deps.frontier ?? new SqliteFrontier(stateFile, frontierOptions);
  const passInfo: PassInfo =
    frontier instanceof SqliteFrontier ? frontier.pass : { pass: 1, resumed: false, releasedLeases: 0, reason: 'first', mode: 'crawl', carriedOver: 0 };
  const isUpdate = passInfo.mode === 'update';
  onEvent({ type: 'pass', ...passInfo, stateFile });

  const summary: CrawlSummary = {
    fetched: 0, articles: 0, onTopic: 0, offTopic: 0, notArticles: 0, failed: 0, indexed: 0, waitingForIndex: 0,
    sources: [], failures: [], durationMs: 0, mode: passInfo.mode, newArticles: 0, changedArticles: 0, notModified: 0, skippedKnown: 0, toRetry: 0,
    pass: passInfo.pass, resumed: passInfo.resumed, stopped: false, pending: 0,
    stateFile: ownFrontier ? stateFile : undefined,
  };
  const updateRules = { nowMs: startedAt, recheckRecentDays: config.update.recheckRecentDays };
  /** In an update, links to known unchanged pages are dropped before they reach the frontier. */
  const worthFetching = (entries: readonly FrontierEntry[]): FrontierEntry[] => {
    if (!isUpdate) return [...entries];
    return entries.filter((entry) => {
      const verdict = updateVerdict(frontier.known(entry.canonicalKey), (entry as ListedEntry).listedDate, updateRules);
      if (!verdict.fetch) summary.skippedKnown += 1;
      return verdict.fetch;
    });
  };
  const sourceOutcomes = new Map<string, SourceOutcome>();
  const sourceHosts = new Set(config.sources.map((source) => new URL(sourceUrl(source)).origin));
  const fetcher = new PoliteFetcher({
    crawl,
    policy,
    archive,
    signal,
    onRetry: (url, why, waitMs) => onEvent({ type: 'retry', url, why: String(why), waitMs }),
    onRobots: (origin, rules) => {
      // Sitemap lines of a source host's robots.txt are one more discovery source, if asked for.
      if (!crawl.robotsSitemaps || !sourceHosts.has(origin)) return;
      frontier.addMany(
        rules.sitemaps.filter(isAllowedHost).map((url) => ({ url, canonicalKey: canonicalKey(url), depth: 0, via: `${origin}/robots.txt`, reason: 'robots-sitemap' as const, linkScore: 50, hubDepth: 0 })),
      );
      schedule();
    },
  });
  const queue = new PQueue({ concurrency: crawl.concurrency });
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
      const count = await deliverPending(outbox, (documents) => index.enqueueUpsert(documents), INDEX_BATCH_SIZE);
      summary.indexed += count;
      if (count > 0) onEvent({ type: 'indexed', count });
    } catch (error) {
      // Keep crawling: what was not delivered stays in the outbox for `chronik index --pending`.
      indexProblem = describeError(error);
      onEvent({ type: 'failed', url: index.name, message: `indexing paused: ${indexProblem}` });
    }
  };

  const processEntry = async (entry: FrontierEntry): Promise<void> => {
    const isSource = isSourceEntry(entry);
    const markSource = (ok: boolean, message?: string): void => {
      if (isSource) sourceOutcomes.set(entry.url, { url: entry.url, ok, message });
    };
    try {
      const rules = await fetcher.robotsFor(entry.url).catch((error: unknown) => {
        throw reportedForUrl(error, entry.url);
      });
      if (!rules.isAllowed(entry.url)) {
        fetchBudget += 1; // nothing was fetched
        onEvent({ type: 'skipped', url: entry.url, reason: 'disallowed by robots.txt' });
        markSource(false, `${entry.url}: disallowed by robots.txt`);
        frontier.complete(entry.canonicalKey, { status: 0, outcome: 'disallowed' });
        return;
      }
      const known = frontier.validators(entry.canonicalKey);
      const knownBefore = frontier.known(entry.canonicalKey);
      const accept = entry.reason === 'feed' || entry.reason === 'sitemap' || entry.reason === 'robots-sitemap'
        ? 'application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5'
        : undefined;
      let { result, archiveRef } = await fetcher.fetch(entry.url, known ?? {}, accept);
      summary.fetched += 1;
      onEvent({ type: 'fetched', url: entry.url, status: result.status });
      if (result.notModified) summary.notModified += 1;
      if (result.notModified && isUpdate) {
        // Unchanged since the last fetch: its links were followed then, its document is indexed.
        onEvent({ type: 'skipped', url: entry.url, reason: 'not modified' });
        markSource(true);
        frontier.complete(entry.canonicalKey, { status: 304, outcome: 'not-modified', validators: known });
        return;
      }
      const isFreshCopy = !result.notModified;
      if (result.notModified && known?.archive) {
        // 304: the page is as archived before; interpret that copy (its links may lead to new pages).
        const archived = await readArchivedResponse(config.archive.dir, known.archive);
        result = { ...result, status: archived.status, headers: archived.headers, body: archived.body, fetchedAt: archived.date, notModified: false };
        archiveRef = known.archive;
      }
      if (result.notModified) {
        onEvent({ type: 'skipped', url: entry.url, reason: 'not modified since the last pass' });
        markSource(true);
        frontier.complete(entry.canonicalKey, { status: 304, outcome: 'not-modified', validators: known });
        return;
      }
      if (result.status >= 400 && result.status < 500 && !isSource) {
        // A dead link found on the way (404, 410, a share button) is not a failure of the crawl.
        onEvent({ type: 'skipped', url: entry.url, reason: `HTTP ${result.status}` });
        frontier.complete(entry.canonicalKey, { status: result.status, outcome: `http-${result.status}` });
        return;
      }
      if (result.status < 200 || result.status >= 300) {
        const message = `${entry.url}: HTTP ${result.status}${result.statusText ? ` ${result.statusText}` : ''}`;
        fail(entry.url, message);
        markSource(false, message);
        frontier.complete(entry.canonicalKey, { status: result.status, outcome: 'failed' });
        return;
      }
      const page = await interpretPage({ config, frontier, isAllowedHost, archive, renderer }, entry, result, archiveRef);
      if (page.failure) {
        fail(entry.url, page.failure);
        markSource(false, page.failure);
      } else markSource(true);
      const documentHash = page.documentHash;
      // A new ETag with the same text (ads, footer timestamps) is no change worth indexing.
      const sameDocument = isUpdate && documentHash !== undefined && knownBefore?.documentHash === documentHash;
      if (page.article) {
        summary.articles += 1;
        if (isFreshCopy && knownBefore && ARTICLE_OUTCOMES.has(knownBefore.outcome)) summary.changedArticles += sameDocument ? 0 : 1;
        else if (isFreshCopy) summary.newArticles += 1;
        onEvent({ type: 'article', url: entry.url, isOnTopic: page.article.isOnTopic, headline: page.article.headline, reasons: page.article.reasons });
        if (page.article.isOnTopic) summary.onTopic += 1;
        else summary.offTopic += 1;
      } else if (page.skipped) {
        if (page.outcome === 'not-an-article' || page.outcome === 'hub') summary.notArticles += 1;
        onEvent({ type: 'skipped', url: entry.url, reason: page.skipped });
      }
      if (page.document && !sameDocument) await queueForIndex(page.document);
      // Discovered links and completion in one transaction: a kill re-fetches this page or keeps both.
      frontier.complete(entry.canonicalKey, {
        discovered: worthFetching(page.discovered.map(normalisedForFetch)),
        status: result.status,
        outcome: page.outcome,
        validators: { etag: result.headers.etag, lastModified: result.headers['last-modified'], archive: archiveRef },
        publishedAt: typeof page.document?.publishedAt === 'number' ? new Date(page.document.publishedAt * 1000).toISOString() : undefined,
        documentHash,
      });
    } catch (error) {
      if (error instanceof CrawlStopped) {
        frontier.release(entry.canonicalKey);
        return;
      }
      const message = describeError(error);
      fail(entry.url, message);
      markSource(false, message);
      frontier.complete(entry.canonicalKey, { status: 0, outcome: 'failed' });
    }
  };

  const stopped = (): boolean => signal?.aborted === true;
  const schedule = (): void => {
    while (!stopped() && fetchBudget > 0 && queue.size + queue.pending < crawl.concurrency) {
      const entry = frontier.lease();
      if (!entry) return;
      fetchBudget -= 1;
      void queue.add(async () => {
        await processEntry(entry);
        onEvent({ type: 'progress', fetched: summary.fetched, queued: frontier.pendingCount, onTopic: summary.onTopic, errors: summary.failed });
        schedule();
      });
    }
  };
  const onAbort = (): void => onEvent({ type: 'stopping' });
  signal?.addEventListener('abort', onAbort, { once: true });

  try {
    // What earlier runs left in the outbox goes first: Meilisearch may be back.
    await deliverOutbox();
    // Sources are (re-)added every run; in a resumed pass the ones already done stay done.
    frontier.addMany(config.sources.map(sourceEntry));
    schedule();
    await queue.onIdle();
    await deliverOutbox();
    renderer && (await renderer.close());
    summary.stopped = stopped();
    const counts = frontier.counts();
    summary.pending = counts.pending + counts.leased;
    if (!summary.stopped && summary.pending === 0 && frontier instanceof SqliteFrontier) frontier.finishPass();
    summary.waitingForIndex = outbox.pendingCount;
    summary.toRetry = frontier instanceof SqliteFrontier ? frontier.retryCount : summary.failed;
    summary.indexProblem = indexProblem;
    summary.sources = config.sources.map((source) => {
      const url = sourceUrl(source);
      const outcome = sourceOutcomes.get(url);
      if (outcome) return outcome;
      if (frontier.wasCompleted(canonicalKey(url))) return { url, ok: true, message: 'fetched in an earlier run of this pass' };
      return { url, ok: false, message: `${url}: not fetched (${summary.stopped ? 'crawl stopped' : 'page budget spent'})` };
    });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (ownFrontier) frontier.close();
  }
  summary.durationMs = Date.now() - startedAt;
  return summary;
}

/** A failure of the host's robots.txt is reported for the URL that needed it. */
function reportedForUrl(error: unknown, url: string): unknown {
  if (!(error instanceof ChronikError)) return error;
  const robotsUrl = `${new URL(url).origin}/robots.txt`;
  return new ChronikError(error.code, error.userMessage.replace(robotsUrl, url), { action: error.action, cause: error });
}

/**
 * Pages found on the way are fetched under their normalised URL (no tracking parameters, no
 * fragment, sorted query): one request per page however it was linked. Configured sources keep
 * the URL the researcher wrote.
 */
function normalisedForFetch(entry: FrontierEntry): FrontierEntry {
  return entry.url === entry.canonicalKey ? entry : { ...entry, url: entry.canonicalKey };
}
