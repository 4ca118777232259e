import { berlinWallClockToIso } from '../scrapers/extract/dates/berlin-time.js';
import type { TimelineQuery } from './timeline-query.js';

export const HIGHLIGHT_START = '\uE000';
export const HIGHLIGHT_END = '\uE001';

export interface SearchRequest {
  text: string;
  params: {
    filter: string[];
    sort?: string[];
    limit: number;
    offset: number;
    facets: string[];
    attributesToCrop: string[];
    cropLength: number;
    attributesToHighlight: string[];
    highlightPreTag: string;
    highlightPostTag: string;
    showMatchesPosition: false;
  };
}

/** Pure: a timeline query → Meilisearch search parameters. Day bounds are Berlin calendar days. */
export function toSearchRequest(query: TimelineQuery): SearchRequest {
  const filter: string[] = [];
  if (query.from) filter.push(`publishedAt >= ${berlinDayStartSecs(query.from)}`);
  if (query.to) filter.push(`publishedAt < ${berlinDayStartSecs(nextDay(query.to))}`);
  if (query.sites.length > 0) filter.push(`site IN [${query.sites.map(quote).join(', ')}]`);
  return {
    text: query.text,
    params: {
      filter,
      ...(query.sort === 'relevance' ? {} : { sort: [`publishedAt:${query.sort === 'date-asc' ? 'asc' : 'desc'}`] }),
      limit: query.limit,
      offset: query.offset,
      facets: [query.group, 'site'],
      attributesToCrop: ['body'],
      cropLength: 30,
      attributesToHighlight: ['headline', 'body'],
      highlightPreTag: HIGHLIGHT_START,
      highlightPostTag: HIGHLIGHT_END,
      showMatchesPosition: false,
    },
  };
}

export function berlinDayStartSecs(day: string): number {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return Math.floor(Date.parse(berlinWallClockToIso({ year, month, day: date, hour: 0, minute: 0 })) / 1000);
}

function nextDay(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** Meilisearch filter string literal. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
