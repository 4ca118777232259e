import { ChronikError } from '../../errors.js';
import { formatExport, type ExportFormat } from '../../search/format-export.js';
import { formatTimelineTable, PLAIN_STYLE, TERMINAL_STYLE } from '../../search/format-timeline.js';
import { collectTimeline, runTimeline } from '../../search/run-timeline.js';
import { MAX_TOTAL_HITS, PAGE_LIMIT, timelineQuerySchema, type TimelineQueryInput } from '../../search/timeline-query.js';
import { formatIssues } from '../../config/load.js';
import type { ArticleIndex } from '../../index/meili-client.js';
import type { CliIo } from '../io.js';

export type OutputFormat = 'table' | ExportFormat;

export interface SearchFlags {
  from?: string;
  to?: string;
  site?: string[];
  story?: string[];
  place?: string[];
  agency?: string[];
  /** `--tag T` (repeatable): articles carrying any of these tags. */
  tag?: string[];
  group?: string;
  sort?: string;
  limit?: string;
  stories?: boolean;
  format?: string;
  /** Same as --format json. */
  json?: boolean;
}

export interface SearchRequestFromFlags {
  query: TimelineQueryInput;
  format: OutputFormat;
  /** How many hits to print; exports page past Meilisearch's 1,000 per request. */
  max: number;
}

/** CLI flags → a validated timeline query, output format and hit count; bad values name the flag. */
export function searchFromFlags(text: string, flags: SearchFlags): SearchRequestFromFlags {
  const format = (flags.json ? 'json' : (flags.format ?? 'table')) as OutputFormat;
  if (!['table', 'json', 'csv', 'md'].includes(format)) throw new ChronikError('USAGE', `search: --format must be table, json, csv or md`);
  const limit = flags.limit === undefined ? undefined : Number(flags.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > MAX_TOTAL_HITS)) {
    throw new ChronikError('USAGE', `search: --limit must be a whole number from 1 to ${MAX_TOTAL_HITS}`);
  }
  // A table is read on screen: 50 by default. Exports take every hit unless limited.
  const max = limit ?? (format === 'table' ? 50 : MAX_TOTAL_HITS);
  const parsed = timelineQuerySchema.safeParse({
    text,
    from: flags.from,
    to: flags.to,
    sites: flags.site ?? [],
    stories: flags.story ?? [],
    places: flags.place ?? [],
    agencies: flags.agency ?? [],
    tags: flags.tag ?? [],
    group: flags.group,
    sort: flags.sort,
    view: flags.stories ? 'stories' : 'copies',
    limit: Math.min(max, PAGE_LIMIT),
  });
  if (!parsed.success) {
    throw new ChronikError('USAGE', `search: ${formatIssues(parsed.error.issues).replace(/\b(from|to|limit|group|sort)\b/g, '--$1')}`);
  }
  return { query: parsed.data, format, max };
}

/** Kept for callers that only need the query. */
export function queryFromFlags(text: string, flags: SearchFlags): TimelineQueryInput {
  return searchFromFlags(text, flags).query;
}

export async function printTimeline(
  index: ArticleIndex,
  query: TimelineQueryInput,
  io: CliIo,
  format: OutputFormat | boolean = 'table',
  max?: number,
): Promise<void> {
  const chosen: OutputFormat = format === true ? 'json' : format === false ? 'table' : format;
  const wanted = max ?? timelineQuerySchema.parse(query).limit;
  const result = wanted > PAGE_LIMIT ? await collectTimeline(index, query, wanted) : await runTimeline(index, query);
  if (chosen === 'table') io.stdout.write(formatTimelineTable(result, io.isTTY ? TERMINAL_STYLE : PLAIN_STYLE));
  else io.stdout.write(formatExport(result, chosen));
}
