import type { ArchiveRef, FrontierEntry } from '../../pipeline/types.js';

/** What was kept of a URL's last successful fetch, for a conditional GET next time. */
export interface UrlValidators {
  etag?: string | undefined;
  lastModified?: string | undefined;
  /** Where the body that these validators describe lives, to reuse it on a 304. */
  archive?: ArchiveRef | undefined;
}

/** How a leased URL ended; written to the crawl log. */
export interface Completion {
  /** HTTP status, or 0 when no response came. */
  status: number;
  /** e.g. "on-topic", "off-topic", "not-an-article", "failed", "disallowed". */
  outcome: string;
  validators?: UrlValidators | undefined;
  /** Publication instant of an article (ISO 8601), so an update can re-check recent ones. */
  publishedAt?: string | undefined;
  /** Fingerprint of the indexed document, so a re-fetched copy with the same text is not re-indexed. */
  documentHash?: string | undefined;
  /**
   * Links the page led to, added in the same transaction as the completion: a kill cannot
   * complete a page and lose what it found (and a page costs one commit, not two).
   */
  discovered?: readonly FrontierEntry[] | undefined;
}

/** What the frontier remembers of a URL across passes: how its last fetch ended, and when. */
export interface KnownUrl {
  /** Outcome of the last fetch that got an answer (a 304 keeps the outcome of the copy it confirmed). */
  outcome: string;
  /** ISO 8601: when the content was last fetched or confirmed unchanged (304). */
  fetchedAt: string;
  publishedAt?: string | undefined;
  /** Last-Modified of the copy we hold, if the server sent one. */
  lastModified?: string | undefined;
  documentHash?: string | undefined;
}

/** Counts of one crawl pass. */
export interface FrontierCounts {
  pending: number;
  leased: number;
  done: number;
}

/**
 * The crawl's to-do list. Each canonical key is admitted once per crawl pass; the best-scored,
 * shallowest entry is leased first; a leased entry is either completed (never fetched again in
 * this pass) or released (back to pending). MemoryFrontier and SqliteFrontier share this
 * contract (test/scrapers/frontier/frontier.contract.ts).
 */
export interface Frontier {
  /** False when the canonical key was seen before in this pass. */
  add(entry: FrontierEntry): boolean;
  /** Adds several entries at once (one transaction where that means something); returns how many were new. */
  addMany(entries: readonly FrontierEntry[]): number;
  /** Marks a key as known without queuing it (e.g. the canonical URL of a fetched page); false if known. */
  markSeen(canonicalKey: string): boolean;
  lease(): FrontierEntry | undefined;
  complete(canonicalKey: string, completion: Completion): void;
  /** Gives a leased entry back, e.g. when the crawl stops before fetching it. */
  release(canonicalKey: string): void;
  /** Validators of the URL's last successful fetch in any pass. */
  validators(canonicalKey: string): UrlValidators | undefined;
  /** What earlier fetches (in any pass) left about the URL; undefined when it was never fetched. */
  known(canonicalKey: string): KnownUrl | undefined;
  /** True when the key was completed in this pass (by this process or an earlier one). */
  wasCompleted(canonicalKey: string): boolean;
  counts(): FrontierCounts;
  readonly pendingCount: number;
  close(): void;
}

/** Leasing order: higher link score first, then shallower, then first come. */
export function isBetter(a: FrontierEntry, b: FrontierEntry): boolean {
  return a.linkScore !== b.linkScore ? a.linkScore > b.linkScore : a.depth < b.depth;
}
