import { formatIssues } from '../config/load.js';
import { ChronikError } from '../errors.js';
import { timelineQuerySchema, type TimelineQuery } from '../search/timeline-query.js';

/**
 * URL query → timeline query. The same names the page keeps in its address bar:
 * ?q=…&from=…&to=…&site=…&story=…&place=…&agency=…&tag=…&group=…&view=…&sort=…&limit=…&offset=…
 * (site, story, place, agency and tag repeat; a repeated name matches any of its values).
 */
export function queryFromSearchParams(params: URLSearchParams, overrides: Partial<TimelineQuery> = {}): TimelineQuery {
  const number = (name: string) => (params.get(name) ? Number(params.get(name)) : undefined);
  const list = (name: string) => params.getAll(name).filter(Boolean);
  const parsed = timelineQuerySchema.safeParse({
    text: params.get('q') ?? '',
    from: params.get('from') || undefined,
    to: params.get('to') || undefined,
    sites: list('site'),
    stories: list('story'),
    places: list('place'),
    agencies: list('agency'),
    tags: list('tag'),
    group: params.get('group') || undefined,
    view: params.get('view') || undefined,
    sort: params.get('sort') || undefined,
    limit: number('limit'),
    offset: number('offset'),
    cropLength: number('crop'),
    ...overrides,
  });
  if (!parsed.success) throw new ChronikError('USAGE', formatIssues(parsed.error.issues));
  return parsed.data;
}
