import type { WarcWriter } from '../archive/warc-writer.js';
import type { Config } from '../config/schema.js';
import { toIndexDocument } from '../index/to-index-document.js';
import { canonicalKey } from '../scrapers/discover/canonical-url.js';
import { parseXmlListing } from '../scrapers/discover/feeds.js';
import { judgeArticle } from '../scrapers/discover/relevance.js';
import type { HubLinks } from '../scrapers/discover/hub-links.js';
import { classifyBody } from '../scrapers/fetch/content-gate.js';
import type { Frontier } from '../scrapers/frontier/frontier.js';
import { articleLinkEntries, hubLinkEntries, listingEntries, relatedEntries } from './crawl-discovery.js';
import { createPageAnalyser, type PageAnalysis, type PageAnalyser, type PageToAnalyse } from './extract-pool.js';
import { documentFingerprint } from './crawl-update.js';
import { isSourceEntry } from './crawl-sources.js';
import { archiveRendered } from './archive-rendered.js';
import type { ArchiveRef, ArticleRecord, FetchResult, FrontierEntry, IndexDocument } from './types.js';

/** Chromium behind an interface, so the crawl can run (and be tested) without it. */
export interface PageRenderer {
  /** The DOM after scripts ran and the consent dialog was dismissed, serialised as HTML. */
  render(url: string, isAllowedUrl: (url: string) => boolean, userAgent: string, rawHtml?: Uint8Array): Promise<{ html: string; finalUrl: string }>;
  close(): Promise<void>;
}

export interface PageContext {
  config: Config;
  frontier: Frontier;
  isAllowedHost: (url: string) => boolean;
  archive: WarcWriter;
  renderer?: PageRenderer | undefined;
  /** Where pages are parsed and extracted; by default a worker pool shared by the process. */
  analyser?: PageAnalyser | undefined;
}

export interface PageOutcome {
  /** For the crawl log: on-topic, off-topic, duplicate, not-an-article, hub, listing, not-parsed, failed. */
  outcome: string;
  article?: { isOnTopic: boolean; headline: string; reasons: string[] } | undefined;
  document?: IndexDocument | undefined;
  /** The document's content fingerprint (crawl-update.ts): the same text gives the same value. */
  documentHash?: string | undefined;
  discovered: FrontierEntry[];
  /** Why the page is counted as failed (e.g. a source that is neither HTML nor a feed). */
  failure?: string | undefined;
  skipped?: string | undefined;
}

const LISTING_REASONS = new Set(['feed', 'sitemap', 'robots-sitemap']);

/**
 * What a fetched (and archived) page means for the crawl: a feed or sitemap lists URLs; an
 * HTML page is an article (judged; on topic → indexed, related links followed) or a hub
 * (its links followed within the hub depth). Anything else is archived and left alone.
 */
export async function interpretPage(context: PageContext, entry: FrontierEntry, result: FetchResult, archiveRef: ArchiveRef): Promise<PageOutcome> {
  const kind = classifyBody(result.headers['content-type'], result.body);
  if (kind === 'xml-listing') {
    const listing = parseXmlListing(new TextDecoder().decode(result.body), result.finalUrl);
    return { outcome: 'listing', discovered: listingEntries(context, entry, listing), skipped: `${listing.kind} listing` };
  }
  if (kind !== 'html') {
    const type = (result.headers['content-type'] ?? 'unknown type').split(';')[0];
    const message = LISTING_REASONS.has(entry.reason) ? `${entry.url}: not a feed or sitemap (${type})` : `${entry.url}: not an HTML page (${type})`;
    // Only a configured source that is not readable counts as a failure; a stray PDF link does not.
    return isSourceEntry(entry) ? { outcome: 'not-parsed', discovered: [], failure: message } : { outcome: 'not-parsed', discovered: [], skipped: message };
  }
  const analyser = context.analyser ?? sharedAnalyser();
  const renderer = context.renderer;
  const profilesDir = context.config.extract.profilesDir;
  // Archived already; only a renderer still needs the fetched bytes after this.
  let analysis = await analyser.analyse({ ...pageOf(result), checkRender: Boolean(renderer) && context.config.crawl.render.auto, profilesDir, handOverBody: !renderer });
  if (analysis.outcome.kind === 'not-an-article' && renderer && (rendersHost(context.config, result.finalUrl) || analysis.needsRender)) {
    const rendered = await renderer.render(result.finalUrl, context.isAllowedHost, context.config.crawl.userAgent, result.body);
    const renderedResult = await archiveRendered(context.archive, result, archiveRef, rendered.html);
    analysis = await analyser.analyse({ ...pageOf(renderedResult.result), url: result.finalUrl, checkRender: false, profilesDir, handOverBody: true });
    if (analysis.outcome.kind === 'article') archiveRef = renderedResult.archiveRef;
  }
  const outcome = analysis.outcome;
  const pageLinks = analysis.links ?? NO_LINKS;
  if (outcome.kind === 'not-an-article') {
    const discovered = hubLinkEntries(context, entry, pageLinks);
    return { outcome: discovered.length > 0 ? 'hub' : 'not-an-article', discovered, skipped: outcome.reason };
  }
  const record = outcome.record;
  const verdict = judgeArticle(context.config.topic, record);
  const article = { isOnTopic: verdict.isOnTopic, headline: record.headline.value, reasons: verdict.reasons };
  // rel=canonical: the page is known under its canonical URL too, so that URL is not fetched again.
  const canonical = canonicalKey(record.canonicalUrl);
  const isDuplicate = canonical !== entry.canonicalKey && !context.frontier.markSeen(canonical) && context.frontier.wasCompleted(canonical);
  // The extractor's related links, and the page's other links as one hub hop: "more on this" lists
  // the extractor does not recognise, topic and archive pages that lead to older reports.
  const followLinks = (): FrontierEntry[] => {
    const related = new Set(record.relatedLinks.map((link) => canonicalKey(link.url)));
    const others = articleLinkEntries(context, entry, pageLinks).filter((link) => !related.has(link.canonicalKey));
    return [...relatedEntries(context, entry, record.relatedLinks), ...others];
  };
  if (!verdict.isOnTopic) {
    // An off-topic source page still leads somewhere: the researcher chose it.
    return { outcome: 'off-topic', article, discovered: isSourceEntry(entry) ? followLinks() : [] };
  }
  const discovered = followLinks();
  if (isDuplicate) return { outcome: 'duplicate', article, discovered };
  return { outcome: 'on-topic', article, discovered, ...indexDocument(analysis.document, record, archiveRef) };
}

/** The worker's document (or one built here) with the archive record it was read from. */
function indexDocument(built: PageAnalysis['document'], record: ArticleRecord, archive: ArchiveRef): Pick<PageOutcome, 'document' | 'documentHash'> {
  if (!built) {
    const document = toIndexDocument({ ...record, archive });
    return { document, documentHash: documentFingerprint(document) };
  }
  return {
    document: { ...built.document, warcFile: archive.warcFile, warcOffset: archive.offset, payloadDigest: archive.payloadDigest },
    documentHash: built.fingerprint,
  };
}

/** Hosts the config says always need Chromium. */
function rendersHost(config: Config, url: string): boolean {
  const host = new URL(url).hostname.toLowerCase();
  return config.crawl.render.hosts.some((candidate) => candidate.toLowerCase() === host);
}

function pageOf(result: FetchResult): Omit<PageToAnalyse, 'checkRender'> {
  return { body: result.body, url: result.finalUrl, headers: result.headers, fetchedAt: result.fetchedAt };
}

const NO_LINKS: HubLinks = { links: [], nextPages: [], feeds: [] };

/** One pool per process for crawls that bring none; its workers never hold the process open when idle. */
let shared: PageAnalyser | undefined;
function sharedAnalyser(): PageAnalyser {
  shared ??= createPageAnalyser();
  return shared;
}
