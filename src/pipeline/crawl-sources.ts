import { createHash } from 'node:crypto';
import type { Config, SourceConfig } from '../config/schema.js';
import { canonicalKey } from '../scrapers/discover/canonical-url.js';
import type { DiscoveryReason, FrontierEntry } from './types.js';

const REASON_OF_KIND: Record<SourceConfig['kind'], DiscoveryReason> = {
  seed: 'seed',
  topic: 'topic-page',
  search: 'search',
  feed: 'feed',
  sitemap: 'sitemap',
};

/** Reasons of entries that are the configured sources themselves. */
export const SOURCE_REASONS: ReadonlySet<DiscoveryReason> = new Set(Object.values(REASON_OF_KIND));

/** The URL a source is fetched from: a search source gets its query filled in. */
export function sourceUrl(source: SourceConfig): string {
  return source.kind === 'search' && source.query !== undefined
    ? source.url.replaceAll('{query}', encodeURIComponent(source.query))
    : source.url;
}

/** Sources are fetched first (highest score) and start with no hub passed. */
export function sourceEntry(source: SourceConfig): FrontierEntry {
  const url = sourceUrl(source);
  return { url, canonicalKey: canonicalKey(url), depth: 0, reason: REASON_OF_KIND[source.kind], linkScore: Number.MAX_SAFE_INTEGER, hubDepth: 0 };
}

/** True for the entry of a configured source (not a page found on the way). */
export function isSourceEntry(entry: FrontierEntry): boolean {
  return entry.depth === 0 && entry.via === undefined && SOURCE_REASONS.has(entry.reason);
}

/**
 * Identifies what a crawl pass is about: its sources and topic. An unfinished pass is resumed
 * only under the same fingerprint; a changed setup starts a new pass.
 */
export function crawlFingerprint(config: Pick<Config, 'sources' | 'topic'>): string {
  const sources = config.sources.map((source) => `${source.kind} ${sourceUrl(source)}`).sort();
  return createHash('sha256').update(JSON.stringify({ sources, topic: config.topic })).digest('hex').slice(0, 16);
}
