import type { CheerioAPI } from 'cheerio';
import type { Config } from '../config/schema.js';
import { canonicalKey } from '../scrapers/discover/canonical-url.js';
import { isBeforeWindow, type XmlListing } from '../scrapers/discover/feeds.js';
import { hubLinks, type HubLinks } from '../scrapers/discover/hub-links.js';
import { scoreLink } from '../scrapers/discover/relevance.js';
import type { DiscoveredLink, FrontierEntry, RelatedLink } from './types.js';

/**
 * Pure: which links of a fetched page enter the frontier. Relevance decides: an on-topic
 * article's related links are followed; hub pages (topic, search, archive listings) are
 * expanded only up to maxHubDepth hubs in a row and maxPaginationPages pages per listing;
 * links from hubs, feeds and sitemaps must reach minLinkScore.
 */
export interface DiscoveryContext {
  config: Config;
  /** Hosts that may be fetched; other links are not even queued. */
  isAllowedHost: (url: string) => boolean;
}

/** Related links of an article (on topic, or an off-topic source page). */
export function relatedEntries(context: DiscoveryContext, from: FrontierEntry, links: readonly RelatedLink[]): FrontierEntry[] {
  if (from.depth >= context.config.crawl.maxDepth) return [];
  return links
    .filter((link) => context.isAllowedHost(link.url))
    .map((link) => ({
      url: link.url,
      canonicalKey: canonicalKey(link.url),
      depth: from.depth + 1,
      via: from.url,
      reason: 'related-link' as const,
      // +1: a link an on-topic article recommends is a better bet than a hub's link of equal text.
      linkScore: 1 + scoreLink(context.config.topic, { url: link.url, anchorText: link.title, category: link.category, sectionLabel: link.sectionLabel }),
      hubDepth: 0,
    }));
}

/**
 * Links in an on-topic article beyond the ones the extractor recognised as related: many
 * layouts list "more on this" without markup the extractor knows. They count as one hub hop,
 * so an archive or calendar page reached this way is expanded at most maxHubDepth - 1 deep.
 */
export function articlePageEntries(context: DiscoveryContext, from: FrontierEntry, $: CheerioAPI, pageUrl: string): FrontierEntry[] {
  return articleLinkEntries(context, from, hubLinks($, pageUrl));
}

/** `articlePageEntries` for links already read from the page (one parse per page). */
export function articleLinkEntries(context: DiscoveryContext, from: FrontierEntry, found: HubLinks): FrontierEntry[] {
  if (from.depth >= context.config.crawl.maxDepth) return [];
  const asHub: FrontierEntry = { ...from, hubDepth: 0 };
  return found.links.flatMap((link) => scoredEntry(context, asHub, link, 'hub-link'));
}

/** Links and next pages of a page that is not an article, if the hub depth allows. */
export function hubEntries(context: DiscoveryContext, from: FrontierEntry, $: CheerioAPI, pageUrl: string): FrontierEntry[] {
  return hubLinkEntries(context, from, hubLinks($, pageUrl));
}

/** `hubEntries` for links already read from the page (one parse per page). */
export function hubLinkEntries(context: DiscoveryContext, from: FrontierEntry, found: HubLinks): FrontierEntry[] {
  const crawl = context.config.crawl;
  const hubDepth = from.hubDepth ?? 0;
  if (hubDepth >= crawl.maxHubDepth || from.depth >= crawl.maxDepth) return [];
  const entries: FrontierEntry[] = [];
  const paginationIndex = paginationIndexOf(from);
  if (paginationIndex + 1 < crawl.maxPaginationPages) {
    for (const url of found.nextPages) {
      if (!context.isAllowedHost(url)) continue;
      // A listing's next page is as far from the source as its first: same depth and hub depth.
      entries.push({ url, canonicalKey: canonicalKey(url), depth: from.depth, via: from.url, reason: 'hub-link', linkScore: from.linkScore === Number.MAX_SAFE_INTEGER ? 100 : from.linkScore, hubDepth, paginationIndex: paginationIndex + 1 });
    }
  }
  for (const link of found.links) entries.push(...scoredEntry(context, from, link, 'hub-link'));
  if (from.depth === 0) {
    for (const url of found.feeds) {
      if (context.isAllowedHost(url)) entries.push({ url, canonicalKey: canonicalKey(url), depth: 0, via: from.url, reason: 'feed', linkScore: 50, hubDepth: 0 });
    }
  }
  return entries;
}

/** A URL found in a feed or sitemap, with the date the listing gives it (lastmod, updated, pubDate). */
export type ListedEntry = FrontierEntry & { listedDate?: string | undefined };

/**
 * Sub-sitemaps and listed URLs of a feed or sitemap; entries dated before the topic's window
 * are left out. Each keeps its listed date: an update compares it with its last fetch.
 */
export function listingEntries(context: DiscoveryContext, from: FrontierEntry, listing: XmlListing): ListedEntry[] {
  const from_ = context.config.topic.from;
  if (listing.kind === 'sitemap-index') {
    return listing.sitemaps
      .filter((sitemap) => context.isAllowedHost(sitemap.url) && !isBeforeWindow(sitemap.date, from_))
      .map((sitemap) => ({ url: sitemap.url, canonicalKey: canonicalKey(sitemap.url), depth: from.depth, via: from.url, reason: 'sitemap' as const, linkScore: 50, hubDepth: from.hubDepth ?? 0, listedDate: sitemap.date }));
  }
  const entries: ListedEntry[] = [];
  for (const item of listing.urls) {
    if (isBeforeWindow(item.date, from_)) continue;
    entries.push(...scoredEntry(context, from, { url: item.url, anchorText: item.title ?? '' }, 'feed-item').map((entry) => ({ ...entry, listedDate: item.modified ?? item.date })));
  }
  return entries;
}

function scoredEntry(context: DiscoveryContext, from: FrontierEntry, link: DiscoveredLink, reason: 'hub-link' | 'feed-item'): FrontierEntry[] {
  if (!context.isAllowedHost(link.url)) return [];
  const linkScore = scoreLink(context.config.topic, link);
  if (linkScore < context.config.crawl.minLinkScore) return [];
  return [{ url: link.url, canonicalKey: canonicalKey(link.url), depth: from.depth + 1, via: from.url, reason, linkScore, hubDepth: (from.hubDepth ?? 0) + 1 }];
}

function paginationIndexOf(entry: FrontierEntry): number {
  return entry.paginationIndex ?? 0;
}
