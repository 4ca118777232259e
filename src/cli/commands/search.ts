import { ChronikError } from '../../errors.js';
import { formatTimelineTable, PLAIN_STYLE, TERMINAL_STYLE, timelineToJson } from '../../search/format-timeline.js';
import { runTimeline } from '../../search/run-timeline.js';
import { timelineQuerySchema, type TimelineQueryInput } from '../../search/timeline-query.js';
import { formatIssues } from '../../config/load.js';
import type { ArticleIndex } from '../../index/meili-client.js';
import type { CliIo } from '../io.js';

export interface SearchFlags {
  from?: string;
  to?: string;
  site?: string[];
  group?: string;
  sort?: string;
  limit?: string;
  json?: boolean;
}

/** CLI flags → a validated timeline query; bad values name the flag. */
export function queryFromFlags(text: string, flags: SearchFlags): TimelineQueryInput {
  const input = {
    text,
    from: flags.from,
    to: flags.to,
    sites: flags.site ?? [],
    group: flags.group,
    sort: flags.sort,
    limit: flags.limit === undefined ? undefined : Number(flags.limit),
  };
  const parsed = timelineQuerySchema.safeParse(input);
  if (!parsed.success) {
    throw new ChronikError('USAGE', `search: ${formatIssues(parsed.error.issues).replace(/\b(from|to|limit|group|sort)\b/g, '--$1')}`);
  }
  return parsed.data;
}

export async function printTimeline(index: ArticleIndex, query: TimelineQueryInput, io: CliIo, asJson: boolean): Promise<void> {
  const result = await runTimeline(index, query);
  if (asJson) io.stdout.write(`${JSON.stringify(timelineToJson(result), null, 2)}\n`);
  else io.stdout.write(formatTimelineTable(result, io.isTTY ? TERMINAL_STYLE : PLAIN_STYLE));
}
