import type { ArticleIndex } from '../index/meili-client.js';
import type { IndexDocument } from '../pipeline/types.js';
import { timelineQuerySchema, type TimelineQuery, type TimelineQueryInput } from './timeline-query.js';
import { HIGHLIGHT_END, HIGHLIGHT_START, toSearchRequest } from './to-search-params.js';

/** A piece of text; `match` marks the words the query found. Render each as text, never as HTML. */
export interface TextSegment {
  text: string;
  match: boolean;
}

export interface TimelineHit {
  id: string;
  headline: string;
  kicker: string | null;
  site: string;
  url: string;
  publishedIso: string | null;
  day: string | null;
  dateline: string | null;
  headlineSegments: TextSegment[];
  snippet: TextSegment[];
  warcFile: string | null;
  warcOffset: number | null;
}

export interface TimelineResult {
  query: TimelineQuery;
  total: number;
  hits: TimelineHit[];
  /** Counts per day/week/month bucket (as chosen by `group`), in calendar order. */
  buckets: Array<{ key: string; count: number }>;
  sites: Array<{ key: string; count: number }>;
  processingTimeMs: number;
}

export async function runTimeline(index: ArticleIndex, input: TimelineQueryInput): Promise<TimelineResult> {
  const query = timelineQuerySchema.parse(input);
  const request = toSearchRequest(query);
  const response = await index.search(request.text, request.params);
  const facets = response.facetDistribution ?? {};
  return {
    query,
    total: response.estimatedTotalHits ?? response.totalHits ?? response.hits.length,
    hits: response.hits.map((hit) => toTimelineHit(hit as IndexDocument & { _formatted?: Partial<Record<keyof IndexDocument, string>> })),
    buckets: sortedCounts(facets[query.group] ?? {}, (a, b) => a.key.localeCompare(b.key)),
    sites: sortedCounts(facets.site ?? {}, (a, b) => b.count - a.count || a.key.localeCompare(b.key)),
    processingTimeMs: response.processingTimeMs,
  };
}

function toTimelineHit(hit: IndexDocument & { _formatted?: Partial<Record<keyof IndexDocument, string>> }): TimelineHit {
  return {
    id: hit.id,
    headline: hit.headline,
    kicker: hit.kicker,
    site: hit.site,
    url: hit.url,
    publishedIso: hit.publishedIso,
    day: hit.day,
    dateline: hit.dateline,
    headlineSegments: toSegments(hit._formatted?.headline ?? hit.headline),
    snippet: toSegments(hit._formatted?.body ?? hit.body.slice(0, 200)),
    warcFile: hit.warcFile,
    warcOffset: hit.warcOffset,
  };
}

/** Splits Meilisearch's highlighted text at our private-use markers. */
export function toSegments(formatted: string): TextSegment[] {
  const segments: TextSegment[] = [];
  const pattern = new RegExp(`${HIGHLIGHT_START}([^${HIGHLIGHT_END}]*)${HIGHLIGHT_END}`, 'g');
  let last = 0;
  for (const match of formatted.matchAll(pattern)) {
    if (match.index > last) segments.push({ text: formatted.slice(last, match.index), match: false });
    segments.push({ text: match[1]!, match: true });
    last = match.index + match[0].length;
  }
  if (last < formatted.length) segments.push({ text: formatted.slice(last), match: false });
  return segments;
}

function sortedCounts(
  distribution: Record<string, number>,
  compare: (a: { key: string; count: number }, b: { key: string; count: number }) => number,
): Array<{ key: string; count: number }> {
  return Object.entries(distribution)
    .map(([key, count]) => ({ key, count }))
    .sort(compare);
}
