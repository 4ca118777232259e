import { describe, expect, it } from 'vitest';
import { csvField, timelineToCsv, timelineToMarkdown } from '../../src/search/format-export.js';
import type { TimelineHit, TimelineResult } from '../../src/search/run-timeline.js';
import { timelineQuerySchema } from '../../src/search/timeline-query.js';

function hit(overrides: Partial<TimelineHit> = {}): TimelineHit {
  return {
    id: 'a1', storyId: 'a1', headline: 'Angriff, "groß" | schwer', kicker: 'Schwerin', site: 'kurier.example', url: 'https://kurier.example/a.html',
    publishedIso: '2021-10-15T11:42:00+02:00', day: '2021-10-15', week: '2021-W41', month: '2021-10', dateline: 'Schwerin (dpa/mv)',
    place: 'Schwerin', agency: 'dpa/mv', tags: ['Cyberangriff', 'Landkreis Ludwigslust-Parchim'], headlineSegments: [], snippet: [{ text: 'Nach dem ', match: false }, { text: 'Angriff', match: true }],
    warcFile: 'x.warc.gz', warcOffset: 12,
    alsoPublishedBy: [{ id: 'b1', site: 'post.example', url: 'https://post.example/b.html', headline: 'Angriff', publishedIso: '2021-10-15T12:30:00+02:00', archived: true }],
    ...overrides,
  };
}

function result(hits: TimelineHit[], view: 'stories' | 'copies' = 'stories'): TimelineResult {
  return { query: timelineQuerySchema.parse({ text: 'Angriff', view }), total: hits.length, hits, buckets: [], bucketsTruncated: false, facets: { site: [], place: [], agency: [], tags: [] }, sites: [], processingTimeMs: 1 };
}

describe('exports', () => {
  it('writes CSV with a BOM, CRLF, quoted fields and the other sources of each story', () => {
    const csv = timelineToCsv(result([hit()]));
    expect(csv.startsWith('\uFEFFpublished,day,site,')).toBe(true);
    const [, row] = csv.slice(1).split('\r\n');
    expect(row).toBe(
      '2021-10-15T11:42:00+02:00,2021-10-15,kurier.example,Schwerin,"Angriff, ""groß"" | schwer",Schwerin (dpa/mv),dpa/mv,Cyberangriff; Landkreis Ludwigslust-Parchim,https://kurier.example/a.html,a1,' +
        'post.example 2021-10-15T12:30:00+02:00 https://post.example/b.html,Nach dem Angriff,x.warc.gz#12,a1',
    );
  });

  it('keeps scraped text that looks like a spreadsheet formula as text', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('-1+2')).toBe('"\'-1+2"');
    expect(csvField('ok')).toBe('ok');
  });

  it('writes a Markdown table whose scraped text cannot break out of its cell or become markup', () => {
    const markdown = timelineToMarkdown(result([hit({ headline: '<script>x</script> | [Link](javascript:1)' })]));
    const lines = markdown.split('\n');
    expect(lines[0]).toBe('| Datum | Quelle | Schlagzeile | Auch erschienen bei | Auszug |');
    expect(lines[2]).toBe(
      '| 2021-10-15 11:42 | kurier.example | [Schwerin: \\<script\\>x\\</script\\> \\| \\[Link\\]\\(javascript:1\\)](<https://kurier.example/a.html>) | post.example (2021-10-15 12:30) | Nach dem Angriff |',
    );
    expect(markdown).toContain('1 Story für „Angriff“.');
  });
});
