import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTimelineWorld, type TimelineWorld } from './timeline-world.js';

let world: TimelineWorld;

beforeAll(async () => {
  world = await startTimelineWorld();
});

afterAll(async () => {
  await world?.close();
});

async function get(path: string): Promise<{ status: number; headers: Headers; body: any; text: string }> {
  const response = await fetch(`${world.base}${path}`);
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

describe('timeline HTTP API', () => {
  it('answers the story view: each story once, earliest copy first, with the other sources', async () => {
    const { status, body } = await get('api/search?q=Cyberangriff&view=stories');
    expect(status).toBe(200);
    expect(body.hits.map((hit: { site: string }) => hit.site)).toEqual(['kurier.example', 'post.example', 'kurier.example', 'ticker.example', 'evil.example']);
    expect(body.hits[0].alsoPublishedBy.map((copy: { site: string }) => copy.site)).toEqual(['post.example', 'ticker.example']);
  });

  it('gives facet counts and the histogram for the query and its filters', async () => {
    const facets = await get('api/facets?q=Cyberangriff&from=2021-10-01&to=2021-10-31');
    expect(facets.body.total).toBe(5);
    expect(facets.body.facets.site).toEqual([{ key: 'kurier.example', count: 2 }, { key: 'post.example', count: 2 }, { key: 'ticker.example', count: 1 }]);
    expect(facets.body.facets.place).toEqual([{ key: 'Schwerin', count: 3 }, { key: 'Parchim', count: 2 }]);
    const histogram = await get('api/histogram?q=Cyberangriff&group=week&site=kurier.example');
    expect(histogram.body.group).toBe('week');
    expect(histogram.body.buckets[0]).toEqual({ key: '2021-W41', count: 1, from: '2021-10-11', to: '2021-10-17' });
    expect(histogram.body.buckets.reduce((sum: number, bucket: { count: number }) => sum + bucket.count, 0)).toBe(3);
  });

  it('returns one article with all copies of its story', async () => {
    const [first] = world.stories.values().next().value!;
    const { status, body } = await get(`api/article/${first!.id}`);
    expect(status).toBe(200);
    expect(body.article.headline).toBe('Cyberangriff legt Kreisverwaltung lahm');
    expect(body.story.map((copy: { site: string }) => copy.site)).toEqual(['kurier.example', 'post.example', 'ticker.example']);
    expect(body.article.warcFile).toBeUndefined();
    expect((await get('api/article/unknown')).status).toBe(404);
  });

  it('serves the archived capture from its WARC record, stripped of scripts and under a no-script sandbox', async () => {
    const evil = world.documents.find((document) => document.site === 'evil.example')!;
    const { status, headers, text } = await get(`api/article/${evil.id}/archived`);
    expect(status).toBe(200);
    expect(headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/);
    expect(text).toContain('Archivierte Kopie');
    expect(text).toContain('Nach dem Cyberangriff');
    expect(text).not.toMatch(/<script|onerror|onload|javascript:|<iframe|srcdoc|<base|http-equiv/i);
    expect(text).toContain('href="https://evil.example/relativ.html"');
  });

  it('exports every hit as CSV a spreadsheet takes as it is, and as Markdown and JSON', async () => {
    const csv = await get('api/export?format=csv&q=Cyberangriff&view=copies');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="chronik-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = csv.text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('published,day,site,kicker,headline,dateline,agency,tags,url,storyId,alsoPublishedBy,snippet,archived,id');
    expect(lines).toHaveLength(1 + 8);
    const markdown = await get('api/export?format=md&q=Cyberangriff&view=stories');
    expect(markdown.text).toContain('| Datum | Quelle | Schlagzeile | Auch erschienen bei | Auszug |');
    expect(markdown.text).toContain('\\<script\\>');
    const json = await get('api/export?format=json&q=Cyberangriff&max=2');
    expect(json.body.hits).toHaveLength(2);
  });

  it('rejects bad parameters with 400 and names them', async () => {
    expect((await get('api/search?from=2022-01-01&to=2021-01-01')).body.error).toMatch(/^from:/);
    expect((await get('api/search?view=tree')).status).toBe(400);
    expect((await get('api/search?limit=many')).body.error).toMatch(/^limit:/);
    expect((await get('api/export?format=xlsx')).status).toBe(400);
    expect((await get('app.js/../../package.json')).status).toBe(404);
  });
});
