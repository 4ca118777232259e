import { createHash } from 'node:crypto';
import type { KnownUrl } from '../scrapers/frontier/frontier.js';
import type { IndexDocument } from './types.js';

/**
 * Pure: whether an update run fetches a link it found again. New URLs and URLs whose last fetch
 * failed are fetched; a known page only when a listing dates it after our copy (changed), when
 * it is a recent article (its text may still change), or when it is a hub or listing (they are
 * where new links appear). All re-checks are conditional GETs, so an unchanged page costs a 304.
 */
export type UpdateVerdict =
  | { fetch: true; why: 'new' | 'retry' | 'changed' | 'recent' | 'hub' }
  | { fetch: false; why: 'known' };

export interface UpdateRules {
  /** Now, in ms since the epoch (a parameter, so the function stays pure). */
  nowMs: number;
  /** Articles published this many days before now or later are re-checked in every update. */
  recheckRecentDays: number;
}

/** Outcomes of a page that is an article (indexed or judged off topic). */
export const ARTICLE_OUTCOMES: ReadonlySet<string> = new Set(['on-topic', 'off-topic', 'duplicate']);
/** Outcomes of a page that leads to other pages. */
const HUB_OUTCOMES: ReadonlySet<string> = new Set(['hub', 'listing']);

const DAY_MS = 86_400_000;
/** How far the server's clock may be behind ours without an update missing a change. */
export const CLOCK_SLACK_MS = 10 * 60_000;

export function updateVerdict(known: KnownUrl | undefined, listedDate: string | undefined, rules: UpdateRules): UpdateVerdict {
  if (!known) return { fetch: true, why: 'new' };
  if (known.outcome === 'failed') return { fetch: true, why: 'retry' };
  if (isListedAsChanged(known, listedDate)) return { fetch: true, why: 'changed' };
  if (ARTICLE_OUTCOMES.has(known.outcome) && isRecent(known.publishedAt, rules)) return { fetch: true, why: 'recent' };
  if (HUB_OUTCOMES.has(known.outcome)) return { fetch: true, why: 'hub' };
  return { fetch: false, why: 'known' };
}

/**
 * A listing's date later than our last fetch, give or take CLOCK_SLACK_MS: the listing is dated
 * by the server's clock and our fetch by ours. The slack costs at most one extra conditional GET
 * of a page listed just before we fetched it (its 304 moves our fetch time on).
 */
function isListedAsChanged(known: KnownUrl, listedDate: string | undefined): boolean {
  const listedMs = listedDate ? Date.parse(listedDate) : Number.NaN;
  if (Number.isNaN(listedMs)) return false;
  return listedMs > Date.parse(known.fetchedAt) - CLOCK_SLACK_MS;
}

function isRecent(publishedAt: string | undefined, rules: UpdateRules): boolean {
  const publishedMs = publishedAt ? Date.parse(publishedAt) : Number.NaN;
  return !Number.isNaN(publishedMs) && rules.nowMs - publishedMs <= rules.recheckRecentDays * DAY_MS;
}

/**
 * What a document says, without where and when it was captured (fetch time, WARC position,
 * payload digest) or its story: a page re-fetched with a new ETag but the same text (rotating
 * ads, a new timestamp in the footer) yields the same fingerprint and need not be re-indexed.
 */
export function documentFingerprint(document: IndexDocument): string {
  const { fetchedAt: _fetchedAt, warcFile: _warcFile, warcOffset: _warcOffset, payloadDigest: _payloadDigest, storyId: _storyId, ...content } = document;
  const ordered: Record<string, unknown> = {};
  for (const key of sortedKeys(Object.keys(content))) ordered[key] = (content as Record<string, unknown>)[key];
  return createHash('sha256').update(JSON.stringify(ordered)).digest('hex').slice(0, 32);
}

/** Documents share a handful of key lists: each is sorted (localeCompare, as stored fingerprints were made) once per process. */
const sortedKeyLists = new Map<string, string[]>();

function sortedKeys(keys: string[]): string[] {
  const list = keys.join(',');
  let sorted = sortedKeyLists.get(list);
  if (!sorted) {
    sorted = [...keys].sort((a, b) => a.localeCompare(b));
    if (sortedKeyLists.size < 64) sortedKeyLists.set(list, sorted);
  }
  return sorted;
}
