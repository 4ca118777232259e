import type { ArticleIndex } from '../index/meili-client.js';
import type { IndexDocument } from '../pipeline/types.js';
import { toHistogram, type Bucket } from './buckets.js';
import { MAX_TOTAL_HITS, PAGE_LIMIT, timelineQuerySchema, type TimelineQuery, type TimelineQueryInput } from './timeline-query.js';
import { FACET_ATTRIBUTES, HIGHLIGHT_END, HIGHLIGHT_START, toSearchRequest, toSiblingsRequest, type FacetAttribute } from './to-search-params.js';

/** A piece of text; `match` marks the words the query found. Render each as text, never as HTML. */
export interface TextSegment {
  text: string;
  match: boolean;
}

/** Another copy of the same story (a syndicated text on another portal, or a later update). */
export interface StoryCopy {
  id: string;
  site: string;
  url: string;
  headline: string;
  publishedIso: string | null;
  archived: boolean;
}

export interface TimelineHit {
  id: string;
  storyId: string;
  headline: string;
  kicker: string | null;
  site: string;
  url: string;
  publishedIso: string | null;
  day: string | null;
  week: string | null;
  month: string | null;
  dateline: string | null;
  place: string | null;
  agency: string | null;
  tags: string[];
  headlineSegments: TextSegment[];
  snippet: TextSegment[];
  warcFile: string | null;
  warcOffset: number | null;
  /** Story view: the story's other copies, oldest first ("also published by"). Copy view: []. */
  alsoPublishedBy: StoryCopy[];
}

export type FacetCounts = Record<FacetAttribute, Array<{ key: string; count: number }>>;

export interface TimelineResult {
  query: TimelineQuery;
  /** Matching articles (copy view) or stories (story view). */
  total: number;
  hits: TimelineHit[];
  /** Counts per day/week/month bucket (as chosen by `group`), in calendar order, empty buckets included. */
  buckets: Bucket[];
  /** True when Meilisearch cut the bucket list at maxValuesPerFacet (e.g. many days): counts are partial. */
  bucketsTruncated: boolean;
  facets: FacetCounts;
  /** Same as facets.site (kept for older clients). */
  sites: Array<{ key: string; count: number }>;
  /** Meilisearch's own time for the requests behind this result. */
  processingTimeMs: number;
}

type Formatted = IndexDocument & { _formatted?: Partial<Record<keyof IndexDocument, string>> };

/** Meilisearch returns at most this many values per facet (index setting faceting.maxValuesPerFacet). */
const MAX_VALUES_PER_FACET = 500;

/** One page of the timeline: hits, histogram and facet counts for the query and its filters. */
export async function runTimeline(index: ArticleIndex, input: TimelineQueryInput): Promise<TimelineResult> {
  const query = timelineQuerySchema.parse(input);
  const request = toSearchRequest(query);
  const response = await index.search(request.text, request.params);
  const distribution = response.facetDistribution ?? {};
  const hits = response.hits.map((hit) => toTimelineHit(hit as Formatted));
  let processingTimeMs = response.processingTimeMs;
  if (query.view === 'stories' && hits.length > 0) processingTimeMs += await attachCopies(index, hits);
  const facets = Object.fromEntries(
    FACET_ATTRIBUTES.map((attribute) => [attribute, byCount(distribution[attribute] ?? {})]),
  ) as FacetCounts;
  const bucketDistribution = distribution[query.group] ?? {};
  return {
    query,
    total: response.estimatedTotalHits ?? response.totalHits ?? hits.length,
    hits,
    buckets: toHistogram(bucketDistribution, query.group),
    bucketsTruncated: Object.keys(bucketDistribution).length >= MAX_VALUES_PER_FACET,
    facets,
    sites: facets.site,
    processingTimeMs,
  };
}

/**
 * Every hit of a query, past Meilisearch's 1,000 per request (for exports): pages of 1,000 from
 * `query.offset` until `max` hits or the index's maxTotalHits window.
 */
export async function collectTimeline(index: ArticleIndex, input: TimelineQueryInput, max = MAX_TOTAL_HITS): Promise<TimelineResult> {
  const query = timelineQuerySchema.parse(input);
  const first = await runTimeline(index, { ...query, limit: Math.min(PAGE_LIMIT, max) });
  const hits = [...first.hits];
  const end = Math.min(max, first.total - query.offset, MAX_TOTAL_HITS - query.offset);
  let processingTimeMs = first.processingTimeMs;
  while (hits.length < end) {
    const page = await runTimeline(index, { ...query, offset: query.offset + hits.length, limit: Math.min(PAGE_LIMIT, end - hits.length) });
    if (page.hits.length === 0) break;
    hits.push(...page.hits);
    processingTimeMs += page.processingTimeMs;
  }
  return { ...first, query: { ...query, limit: Math.max(1, Math.min(max, PAGE_LIMIT)) }, hits, processingTimeMs };
}

/** Fills `alsoPublishedBy` of story-view hits with one more request; returns Meilisearch's time. */
async function attachCopies(index: ArticleIndex, hits: TimelineHit[]): Promise<number> {
  const storyIds = [...new Set(hits.map((hit) => hit.storyId))];
  const request = toSiblingsRequest(storyIds, Math.min(PAGE_LIMIT, storyIds.length * 25));
  const response = await index.search(request.text, request.params);
  const byStory = new Map<string, StoryCopy[]>();
  for (const copy of response.hits) {
    const list = byStory.get(copy.storyId) ?? [];
    list.push(toStoryCopy(copy));
    byStory.set(copy.storyId, list);
  }
  for (const hit of hits) hit.alsoPublishedBy = (byStory.get(hit.storyId) ?? []).filter((copy) => copy.id !== hit.id);
  return response.processingTimeMs;
}

export function toStoryCopy(document: Pick<IndexDocument, 'id' | 'site' | 'url' | 'headline' | 'publishedIso' | 'warcFile'>): StoryCopy {
  return {
    id: document.id,
    site: document.site,
    url: document.url,
    headline: document.headline,
    publishedIso: document.publishedIso,
    archived: Boolean(document.warcFile),
  };
}

function toTimelineHit(hit: Formatted): TimelineHit {
  return {
    id: hit.id,
    storyId: hit.storyId ?? hit.id,
    headline: hit.headline,
    kicker: hit.kicker,
    site: hit.site,
    url: hit.url,
    publishedIso: hit.publishedIso,
    day: hit.day,
    week: hit.week ?? null,
    month: hit.month ?? null,
    dateline: hit.dateline,
    place: hit.place ?? null,
    agency: hit.agency ?? null,
    tags: hit.tags ?? [],
    headlineSegments: toSegments(hit._formatted?.headline ?? hit.headline),
    snippet: toSegments(hit._formatted?.body ?? ''),
    warcFile: hit.warcFile,
    warcOffset: hit.warcOffset,
    alsoPublishedBy: [],
  };
}

/** Splits Meilisearch's highlighted text at our private-use markers (50 texts per page: indexOf, no regex). */
export function toSegments(formatted: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (let start = formatted.indexOf(HIGHLIGHT_START); start >= 0; start = formatted.indexOf(HIGHLIGHT_START, last)) {
    const end = formatted.indexOf(HIGHLIGHT_END, start + 1);
    if (end < 0) break;
    if (start > last) segments.push({ text: formatted.slice(last, start), match: false });
    segments.push({ text: formatted.slice(start + 1, end), match: true });
    last = end + 1;
  }
  if (last < formatted.length) segments.push({ text: formatted.slice(last), match: false });
  return segments;
}

function byCount(distribution: Record<string, number>): Array<{ key: string; count: number }> {
  return Object.entries(distribution)
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}
