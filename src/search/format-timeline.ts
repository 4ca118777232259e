import type { TextSegment, TimelineResult } from './run-timeline.js';

export interface TextStyle {
  /** How a matched word is shown: ANSI bold on a terminal, **word** elsewhere. */
  highlight(text: string): string;
  dim(text: string): string;
}

export const TERMINAL_STYLE: TextStyle = {
  highlight: (text) => `\u001b[1;33m${text}\u001b[0m`,
  dim: (text) => `\u001b[2m${text}\u001b[0m`,
};

export const PLAIN_STYLE: TextStyle = { highlight: (text) => `**${text}**`, dim: (text) => text };

/** Pure: the timeline as readable lines, in date order, grouped under the chosen bucket. */
export function formatTimelineTable(result: TimelineResult, style: TextStyle): string {
  if (result.hits.length === 0) return 'No articles match.\n';
  const lines: string[] = [];
  let currentGroup: string | undefined;
  for (const hit of result.hits) {
    const group = groupLabel(hit.day ?? hit.publishedIso, result.query.group);
    if (group !== currentGroup) {
      currentGroup = group;
      lines.push('', `== ${group} ==`);
    }
    const when = formatWhen(hit.publishedIso);
    const headline = renderSegments(hit.headlineSegments, style);
    lines.push(`${when}  ${hit.kicker ? `${hit.kicker}: ` : ''}${headline}`);
    lines.push(`                  ${style.dim(hit.site)}  ${style.dim(hit.url)}`);
    const snippet = renderSegments(hit.snippet, style).replace(/\s+/g, ' ').trim();
    if (snippet) lines.push(`                  ${snippet}`);
    if (hit.alsoPublishedBy.length > 0) {
      lines.push(`                  ${style.dim(`also: ${hit.alsoPublishedBy.map((copy) => `${copy.site} ${formatWhen(copy.publishedIso)}`).join(', ')}`)}`);
    }
  }
  const noun = result.query.view === 'stories' ? 'stor' : 'article';
  const plural = result.query.view === 'stories' ? (result.total === 1 ? 'y' : 'ies') : result.total === 1 ? '' : 's';
  lines.push('', `${result.total} ${noun}${plural}${result.hits.length < result.total ? `, ${result.hits.length} shown` : ''}.`);
  return `${lines.join('\n').replace(/^\n/, '')}\n`;
}

/** "2021-12-09 14:35" in the page's own offset (as published), or a padded "undated". */
export function formatWhen(iso: string | null): string {
  return iso ? iso.slice(0, 16).replace('T', ' ') : 'undated         ';
}

/** The JSON the CLI prints with --json: the same data as the table, plus plain snippets. */
export function timelineToJson(result: TimelineResult): unknown {
  return {
    query: result.query,
    total: result.total,
    buckets: result.buckets,
    bucketsTruncated: result.bucketsTruncated,
    facets: result.facets,
    hits: result.hits.map((hit) => ({
      ...hit,
      headlineHighlighted: renderSegments(hit.headlineSegments, PLAIN_STYLE),
      snippetText: hit.snippet.map((segment) => segment.text).join(''),
      snippetHighlighted: renderSegments(hit.snippet, PLAIN_STYLE),
    })),
  };
}

export function renderSegments(segments: TextSegment[], style: TextStyle): string {
  return segments.map((segment) => (segment.match ? style.highlight(segment.text) : segment.text)).join('');
}

function groupLabel(iso: string | null, group: 'day' | 'week' | 'month'): string {
  if (!iso) return 'undated';
  if (group === 'day') return iso.slice(0, 10);
  if (group === 'month') return iso.slice(0, 7);
  return `week of ${weekStart(iso.slice(0, 10))}`;
}

function weekStart(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}
