import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { openArticleIndex, type ArticleIndex } from '../../src/index/meili-client.js';
import { toIndexDocument } from '../../src/index/to-index-document.js';
import type { IndexDocument } from '../../src/pipeline/types.js';
import { articleWithStory } from '../../src/search/article.js';
import { collectTimeline, runTimeline } from '../../src/search/run-timeline.js';

/** One copy of a story on a site; copies of one story share the storyId of the earliest. */
function copy(site: string, slug: string, headline: string, published: string, storyOf?: string, place = 'Schwerin'): IndexDocument {
  const document = toIndexDocument({
    url: `https://${site}/${slug}.html`, canonicalUrl: `https://${site}/${slug}.html`, site,
    headline: { value: headline, source: 'markup' },
    paragraphs: [`${place} (dpa/mv) - ${headline}. Die Verwaltung arbeitet nach dem Cyberangriff im Notbetrieb.`],
    images: [], relatedLinks: [], fetchedAt: '2024-01-01T00:00:00Z', published: { value: published, source: 'meta' },
    dateline: { place, agency: 'dpa/mv' },
  });
  return storyOf ? { ...document, storyId: storyOf } : document;
}

let index: ArticleIndex;
let first: IndexDocument;

beforeAll(async () => {
  index = openArticleIndex(inject('meili'), `test-stories-${randomUUID().slice(0, 8)}`);
  await index.prepare();
  first = copy('kurier.example', 'a1', 'Angriff legt Kreisverwaltung lahm', '2021-10-15T11:42:00+02:00');
  const second = copy('post.example', 'b1', 'Bürgerbüros bleiben geschlossen', '2021-10-18T09:00:00+02:00');
  await index.upsert([
    first,
    copy('post.example', 'a2', 'Angriff legt Kreisverwaltung lahm', '2021-10-15T12:10:00+02:00', first.id),
    copy('ticker.example', 'a3', 'Angriff legt Kreisverwaltung lahm', '2021-10-15T13:05:00+02:00', first.id),
    second,
    copy('kurier.example', 'b2', 'Bürgerbüros bleiben geschlossen', '2021-10-18T10:30:00+02:00', second.id),
    copy('kurier.example', 'c1', 'Zulassungsstelle öffnet wieder', '2021-12-01T08:00:00+01:00', undefined, 'Parchim'),
  ]);
});

describe('story view and copy view', () => {
  it('shows each story once, as its earliest copy, with the other sources that published it', async () => {
    const result = await runTimeline(index, { text: 'Cyberangriff', view: 'stories' });
    expect(result.total).toBe(3);
    expect(result.hits.map((hit) => [hit.site, hit.publishedIso])).toEqual([
      ['kurier.example', '2021-10-15T11:42:00+02:00'],
      ['post.example', '2021-10-18T09:00:00+02:00'],
      ['kurier.example', '2021-12-01T08:00:00+01:00'],
    ]);
    expect(result.hits[0]!.alsoPublishedBy.map((other) => other.site)).toEqual(['post.example', 'ticker.example']);
    expect(result.hits[2]!.alsoPublishedBy).toEqual([]);
  });

  it('lists every copy in copy view, and counts copies there but stories in story view', async () => {
    const copies = await runTimeline(index, { text: 'Cyberangriff', group: 'day' });
    expect(copies.total).toBe(6);
    expect(copies.buckets.find((bucket) => bucket.key === '2021-10-15')?.count).toBe(3);
    const stories = await runTimeline(index, { text: 'Cyberangriff', group: 'day', view: 'stories' });
    expect(stories.buckets.find((bucket) => bucket.key === '2021-10-15')?.count).toBe(1);
  });

  it('sorts newest first or by relevance on request', async () => {
    const newest = await runTimeline(index, { text: '', sort: 'date-desc' });
    expect(newest.hits[0]!.day).toBe('2021-12-01');
    const relevant = await runTimeline(index, { text: 'Zulassungsstelle', sort: 'relevance' });
    expect(relevant.hits[0]!.headline).toBe('Zulassungsstelle öffnet wieder');
  });

  it('filters by story, place, agency and site, and counts the facets', async () => {
    expect((await runTimeline(index, { stories: [first.id] })).hits.map((hit) => hit.site).sort()).toEqual(['kurier.example', 'post.example', 'ticker.example']);
    expect((await runTimeline(index, { places: ['Parchim'] })).total).toBe(1);
    const result = await runTimeline(index, { agencies: ['dpa/mv'], sites: ['kurier.example'] });
    expect(result.total).toBe(3);
    const all = await runTimeline(index, {});
    expect(all.facets.site).toEqual([{ key: 'kurier.example', count: 3 }, { key: 'post.example', count: 2 }, { key: 'ticker.example', count: 1 }]);
    expect(all.facets.place).toEqual([{ key: 'Schwerin', count: 5 }, { key: 'Parchim', count: 1 }]);
  });

  it('fills empty histogram buckets so the axis is time, each with its date range', async () => {
    const result = await runTimeline(index, { group: 'month' });
    expect(result.buckets).toEqual([
      { key: '2021-10', count: 5, from: '2021-10-01', to: '2021-10-31' },
      { key: '2021-11', count: 0, from: '2021-11-01', to: '2021-11-30' },
      { key: '2021-12', count: 1, from: '2021-12-01', to: '2021-12-31' },
    ]);
  });

  it('pages through all hits for exports, one request of at most 1,000 at a time', async () => {
    const result = await collectTimeline(index, { limit: 2 }, 5);
    expect(result.hits).toHaveLength(5);
    expect(new Set(result.hits.map((hit) => hit.id)).size).toBe(5);
  });

  it('opens one article with all copies of its story, oldest first', async () => {
    const view = (await articleWithStory(index, first.id))!;
    expect(view.article.headline).toBe('Angriff legt Kreisverwaltung lahm');
    expect(view.story.map((other) => other.site)).toEqual(['kurier.example', 'post.example', 'ticker.example']);
    expect(await articleWithStory(index, 'nope')).toBeUndefined();
  });
});
