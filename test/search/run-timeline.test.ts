import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { openArticleIndex, type ArticleIndex } from '../../src/index/meili-client.js';
import { toIndexDocument } from '../../src/index/to-index-document.js';
import type { ArticleRecord } from '../../src/pipeline/types.js';
import { runTimeline } from '../../src/search/run-timeline.js';

function record(slug: string, headline: string, body: string, published?: string): ArticleRecord {
  return {
    url: `https://portal.example/${slug}.html`, canonicalUrl: `https://portal.example/${slug}.html`, site: 'portal.example',
    headline: { value: headline, source: 'markup' }, paragraphs: [body], images: [], relatedLinks: [],
    fetchedAt: '2024-01-01T00:00:00Z', published: published ? { value: published, source: 'meta' } : undefined,
  };
}

let index: ArticleIndex;

beforeAll(async () => {
  index = openArticleIndex(inject('meili'), `test-timeline-${randomUUID().slice(0, 8)}`);
  await index.prepare();
  await index.upsert([
    record('c', 'Führerscheine wieder möglich', 'Bürger können wieder Führerscheine beantragen.', '2021-12-09T14:35:00+01:00'),
    record('a', 'Angriff legt Verwaltung lahm', 'Nach dem Cyberangriff sind die Bürgerbüros zu. Auch Führerscheine gibt es nicht.', '2021-10-19T09:00:00+02:00'),
    record('b', 'Kfz-Zulassung im Notbetrieb', 'Der Hackerangriff bremst die Zulassung.', '2021-11-03T12:00:00+01:00'),
    record('d', 'Führerscheinstelle: neue Zeiten', 'Die Führerscheine werden 2024 digital.', '2024-02-01T10:00:00+01:00'),
    record('e', 'Ohne Datum', 'Ein Führerschein ohne Datum.'),
  ].map(toIndexDocument));
});

describe('timeline search on a real Meilisearch', () => {
  it('lists hits in date order with highlighted snippets', async () => {
    const result = await runTimeline(index, { text: 'Führerscheine', from: '2021-10-01', to: '2022-12-31' });
    expect(result.hits.map((hit) => hit.url.split('/').pop())).toEqual(['a.html', 'c.html']);
    expect(result.hits[0]!.snippet.some((segment) => segment.match && segment.text === 'Führerscheine')).toBe(true);
  });

  it('treats the date range as whole Berlin days, both ends inclusive', async () => {
    const result = await runTimeline(index, { text: '', from: '2021-10-19', to: '2021-12-09' });
    expect(result.hits.map((hit) => hit.day)).toEqual(['2021-10-19', '2021-11-03', '2021-12-09']);
    const none = await runTimeline(index, { text: '', from: '2021-12-10', to: '2021-12-31' });
    expect(none.total).toBe(0);
  });

  it('finds synonyms of the attack', async () => {
    const result = await runTimeline(index, { text: 'Cyberangriff' });
    expect(result.hits.map((hit) => hit.url.split('/').pop()).sort()).toEqual(['a.html', 'b.html']);
  });

  it('counts hits per month for the histogram', async () => {
    const result = await runTimeline(index, { text: '', group: 'month' });
    expect(result.buckets.length).toBe(29); // 2021-10 … 2024-02, empty months included
    expect(result.buckets.filter((bucket) => bucket.count > 0).map(({ key, count }) => ({ key, count }))).toEqual([
      { key: '2021-10', count: 1 }, { key: '2021-11', count: 1 }, { key: '2021-12', count: 1 }, { key: '2024-02', count: 1 },
    ]);
  });

  it('never lets "2021" match "2024"', async () => {
    const result = await runTimeline(index, { text: '2021' });
    expect(result.hits.map((hit) => hit.url)).not.toContain('https://portal.example/d.html');
  });

  it('sorts newest first on request and keeps undated articles out of date ranges', async () => {
    const result = await runTimeline(index, { text: 'Führerschein', sort: 'date-desc', from: '2020-01-01' });
    expect(result.hits[0]!.day).toBe('2024-02-01');
    expect(result.hits.every((hit) => hit.day !== null)).toBe(true);
  });
});
