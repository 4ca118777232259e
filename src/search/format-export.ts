import { formatWhen, renderSegments, timelineToJson } from './format-timeline.js';
import type { TimelineHit, TimelineResult } from './run-timeline.js';

export type ExportFormat = 'json' | 'csv' | 'md';

export const EXPORT_TYPES: Record<ExportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
};

const CSV_COLUMNS = [
  'published', 'day', 'site', 'kicker', 'headline', 'dateline', 'agency', 'tags', 'url', 'storyId', 'alsoPublishedBy', 'snippet', 'archived', 'id',
] as const;

function plainSnippet(hit: TimelineHit): string {
  return hit.snippet.map((segment) => segment.text).join('').replace(/\s+/g, ' ').trim();
}

function csvRow(hit: TimelineHit): Record<(typeof CSV_COLUMNS)[number], string> {
  return {
    published: hit.publishedIso ?? '',
    day: hit.day ?? '',
    site: hit.site,
    kicker: hit.kicker ?? '',
    headline: hit.headline,
    dateline: hit.dateline ?? '',
    agency: hit.agency ?? '',
    tags: hit.tags.join('; '),
    url: hit.url,
    storyId: hit.storyId,
    alsoPublishedBy: hit.alsoPublishedBy.map((copy) => `${copy.site} ${copy.publishedIso ?? ''} ${copy.url}`.trim()).join(' | '),
    snippet: plainSnippet(hit),
    archived: hit.warcFile ? `${hit.warcFile}#${hit.warcOffset ?? 0}` : '',
    id: hit.id,
  };
}

/**
 * One CSV field (RFC 4180). Scraped text starting with = + - @ (or a tab/CR) would be a formula
 * in a spreadsheet; such fields get a leading apostrophe so they stay text.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Pure: CSV with a header row, CRLF line ends and a BOM, so spreadsheets read umlauts right. */
export function timelineToCsv(result: TimelineResult): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const hit of result.hits) {
    const row = csvRow(hit);
    lines.push(CSV_COLUMNS.map((column) => csvField(row[column])).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Markdown text: no HTML, no links or emphasis taken from scraped text. */
function mdText(value: string): string {
  return value.replace(/\s+/g, ' ').replace(/([\\`*_{}[\]()#+!|<>~])/g, '\\$1').trim();
}

/** Pure: a Markdown table a paper can take as it is; headlines link to the original. */
export function timelineToMarkdown(result: TimelineResult): string {
  const stories = result.query.view === 'stories';
  const header = ['Datum', 'Quelle', 'Schlagzeile', ...(stories ? ['Auch erschienen bei'] : []), 'Auszug'];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const hit of result.hits) {
    const headline = `${hit.kicker ? `${mdText(hit.kicker)}: ` : ''}${mdText(hit.headline)}`;
    const cells = [
      formatWhen(hit.publishedIso).trim(),
      mdText(hit.site),
      /^https?:\/\//.test(hit.url) ? `[${headline}](<${hit.url.replace(/[<>\s]/g, encodeURIComponent)}>)` : headline,
      ...(stories ? [hit.alsoPublishedBy.map((copy) => `${mdText(copy.site)} (${formatWhen(copy.publishedIso).trim()})`).join(', ')] : []),
      mdText(renderSegments(hit.snippet, { highlight: (text) => text, dim: (text) => text })),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const query = result.query;
  const range = query.from || query.to ? `, ${query.from ?? '…'} bis ${query.to ?? '…'}` : '';
  lines.push('', `${result.total} ${stories ? (result.total === 1 ? 'Story' : 'Storys') : 'Artikel'} für „${mdText(query.text) || '*'}“${range}.`);
  return `${lines.join('\n')}\n`;
}

export function formatExport(result: TimelineResult, format: ExportFormat): string {
  if (format === 'csv') return timelineToCsv(result);
  if (format === 'md') return timelineToMarkdown(result);
  return `${JSON.stringify(timelineToJson(result), null, 2)}\n`;
}
