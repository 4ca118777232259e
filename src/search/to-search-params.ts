import { berlinWallClockToIso } from '../scrapers/extract/dates/berlin-time.js';
import type { TimelineQuery } from './timeline-query.js';

export const HIGHLIGHT_START = '\uE000';
export const HIGHLIGHT_END = '\uE001';

/** Facets every timeline query counts (besides the histogram bucket). */
export const FACET_ATTRIBUTES = ['site', 'place', 'agency', 'tags'] as const;
export type FacetAttribute = (typeof FACET_ATTRIBUTES)[number];

/**
 * What a hit carries back: what a timeline hit shows. The full body (kilobytes) stays in
 * Meilisearch, only its crop travels; Meilisearch repeats each retrieved attribute in `_formatted`.
 */
export const HIT_ATTRIBUTES = [
  'id', 'storyId', 'url', 'site', 'headline', 'kicker', 'dateline', 'place', 'agency', 'tags',
  'publishedIso', 'day', 'week', 'month', 'warcFile', 'warcOffset',
];

export interface SearchParamsOut {
  filter: string[];
  sort?: string[];
  distinct?: string;
  limit: number;
  offset: number;
  facets: string[];
  attributesToRetrieve: string[];
  attributesToCrop: string[];
  cropLength: number;
  cropMarker: string;
  attributesToHighlight: string[];
  highlightPreTag: string;
  highlightPostTag: string;
  showMatchesPosition: false;
}

export interface SearchRequest {
  text: string;
  params: SearchParamsOut;
}

/** Pure: the filter expressions of a query. Day bounds are Berlin calendar days. */
export function toFilter(query: Pick<TimelineQuery, 'from' | 'to' | 'sites' | 'stories' | 'places' | 'agencies'> & { tags?: string[] | undefined }): string[] {
  const filter: string[] = [];
  if (query.from) filter.push(`publishedAt >= ${berlinDayStartSecs(query.from)}`);
  if (query.to) filter.push(`publishedAt < ${berlinDayStartSecs(nextDay(query.to))}`);
  const oneOf = (attribute: string, list: string[]) => {
    if (list.length > 0) filter.push(`${attribute} IN [${list.map(quote).join(', ')}]`);
  };
  oneOf('site', query.sites);
  oneOf('storyId', query.stories);
  oneOf('place', query.places);
  oneOf('agency', query.agencies);
  oneOf('tags', query.tags ?? []);
  return filter;
}

/** Pure: a timeline query → Meilisearch search parameters. */
export function toSearchRequest(query: TimelineQuery): SearchRequest {
  return {
    text: query.text,
    params: {
      filter: toFilter(query),
      ...(query.sort === 'relevance' ? {} : { sort: [`publishedAt:${query.sort === 'date-asc' ? 'asc' : 'desc'}`] }),
      // Story view: one hit per story. With the sort rule first and date-asc, that hit is the earliest copy.
      ...(query.view === 'stories' ? { distinct: 'storyId' } : {}),
      limit: query.limit,
      offset: query.offset,
      facets: [query.group, ...FACET_ATTRIBUTES],
      attributesToRetrieve: HIT_ATTRIBUTES,
      attributesToCrop: ['body'],
      cropLength: query.cropLength,
      cropMarker: '…',
      attributesToHighlight: ['headline', 'body'],
      highlightPreTag: HIGHLIGHT_START,
      highlightPostTag: HIGHLIGHT_END,
      showMatchesPosition: false,
    },
  };
}

/** Pure: the request for the other copies of the given stories (any date, any site), oldest first. */
export function toSiblingsRequest(storyIds: string[], limit: number): SearchRequest {
  return {
    text: '',
    params: {
      filter: toFilter({ stories: storyIds, sites: [], places: [], agencies: [] }),
      sort: ['publishedAt:asc'],
      limit,
      offset: 0,
      facets: [],
      attributesToRetrieve: ['id', 'storyId', 'url', 'site', 'headline', 'publishedIso', 'day', 'warcFile', 'warcOffset'],
      attributesToCrop: [],
      cropLength: 10,
      cropMarker: '…',
      attributesToHighlight: [],
      highlightPreTag: HIGHLIGHT_START,
      highlightPostTag: HIGHLIGHT_END,
      showMatchesPosition: false,
    },
  };
}

const dayStarts = new Map<string, number>();

/** Unix seconds of 00:00 Berlin time on `day` (memoised: time-zone arithmetic is the costly part of a request). */
export function berlinDayStartSecs(day: string): number {
  let secs = dayStarts.get(day);
  if (secs === undefined) {
    const [year, month, date] = day.split('-').map(Number) as [number, number, number];
    secs = Math.floor(Date.parse(berlinWallClockToIso({ year, month, day: date, hour: 0, minute: 0 })) / 1000);
    if (dayStarts.size > 10_000) dayStarts.clear();
    dayStarts.set(day, secs);
  }
  return secs;
}

export function nextDay(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** Meilisearch filter string literal. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
