import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startWorld, type RunningWorld } from '../../fixtures/server/serve-world.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { openArticleIndex } from '../../src/index/meili-client.js';
import type { IndexDocument } from '../../src/pipeline/types.js';
import { articleBodiesServed, PORTALS, publishNews, runChronik, touchWithoutChange, writeUpdateConfig, type PageRef, type WorldNews } from './world-news.js';

/**
 * Acceptance of `chronik update` on the fixture world: after a full crawl, three articles are
 * published (one a syndicated copy of a known story) and one is changed while the server runs.
 * The update fetches exactly those, the index grows by exactly the new documents, and an update
 * right after fetches no article body at all (read from the server's access log).
 */
let world: RunningWorld;
const meili = () => inject('meili');

beforeAll(async () => {
  world = await startWorld({ portals: PORTALS });
});

afterAll(async () => {
  await world?.close();
});

/** Article pages requested at all (any status) since the given access-log position. */
function articlesRequested(fromIndex: number): string[] {
  return [...new Set(world.accessLog.slice(fromIndex).filter((entry) => /^\/(artikel|meldung)\//.test(entry.path)).map((entry) => `${entry.portal} ${entry.path.split('?')[0]}`))].sort();
}

function byPage(documents: IndexDocument[], page: PageRef): IndexDocument | undefined {
  return documents.find((document) => document.url === world.url(page.portal, page.path));
}

describe('chronik update on a changing world', () => {
  it('fetches exactly the new and the changed articles, then nothing', async () => {
    const indexName = `update-${randomUUID().slice(0, 8)}`;
    const dir = writeUpdateConfig(world, indexName);
    const index = openArticleIndex(meili(), indexName);

    const crawl = await runChronik(dir, ['crawl'], meili());
    expect(crawl.status, crawl.err).toBe(EXIT.ok);
    const before = await index.allDocuments();
    expect(before.length).toBeGreaterThan(20);

    const news: WorldNews = publishNews(world);
    const knownCopyBefore = byPage(before, news.syndicated.knownCopy);
    expect(knownCopyBefore, 'the Nordpost copy of the syndicated story is indexed by the crawl').toBeDefined();
    expect(byPage(before, news.changed)?.body).not.toContain(news.changed.newSentence);

    const logStart = world.accessLog.length;
    const update = await runChronik(dir, ['update'], meili());
    expect(update.status, update.err).toBe(EXIT.ok);
    expect(update.out.trim().split('\n')).toHaveLength(1);
    expect(update.out).toMatch(/^update: 3 new, 1 changed, 0 failed, \d+ not modified, 4 indexed, 0 waiting \(\d+\.\d s\)\n$/);

    // Exactly the four pages got a body; every other request was a listing or a 304.
    const expected = [...news.added, news.syndicated.copy, news.changed].map((page) => `${page.portal} ${page.path}`).sort();
    expect(articleBodiesServed(world, logStart)).toEqual(expected);
    // Known, unchanged articles were not even asked for (none of them is recent).
    expect(articlesRequested(logStart)).toEqual(expected);

    const after = await index.allDocuments();
    expect(after.length).toBe(before.length + 3);
    for (const page of news.added) expect(byPage(after, page), page.path).toBeDefined();
    // The story gained its new source, under the story id it had.
    const copy = byPage(after, news.syndicated.copy)!;
    expect(copy.storyId).toBe(knownCopyBefore!.storyId);
    expect(after.filter((document) => document.storyId === copy.storyId).map((document) => document.site)).toContain(copy.site);
    // The changed article: same document, new text, found by a search for the new words.
    const changed = byPage(after, news.changed)!;
    expect(changed.id).toBe(byPage(before, news.changed)!.id);
    expect(changed.body).toContain(news.changed.newSentence);
    expect(changed.storyId).toBe(byPage(before, news.changed)!.storyId);
    const search = await runChronik(dir, ['search', 'Verdächtiger Ausland', '--json'], meili());
    expect(search.status, search.err).toBe(EXIT.ok);
    expect(search.out).toContain(news.changed.path);

    // Right after: only conditional GETs answered 304 (and robots.txt); no article body.
    const secondStart = world.accessLog.length;
    const second = await runChronik(dir, ['update', '--json'], meili());
    expect(second.status, second.err).toBe(EXIT.ok);
    const summary = JSON.parse(second.out) as { newArticles: number; changedArticles: number; indexed: number; mode: string };
    expect(summary).toMatchObject({ mode: 'update', newArticles: 0, changedArticles: 0, indexed: 0 });
    const requests = world.accessLog.slice(secondStart);
    expect(articleBodiesServed(world, secondStart)).toEqual([]);
    expect(requests.filter((entry) => entry.status !== 304 && !entry.path.startsWith('/robots.txt'))).toEqual([]);
    expect(requests.filter((entry) => entry.status === 304).length).toBeGreaterThanOrEqual(3);
    // The one article published today is re-checked (update.recheckRecentDays), with a conditional GET.
    expect(articlesRequested(secondStart)).toEqual([`${news.added[1]!.portal} ${news.added[1]!.path}`]);
    expect(await index.documentCount()).toBe(after.length);

    // New bytes, same text (an ad changed): fetched because the feed lists it as updated, not re-indexed.
    const touched = touchWithoutChange(world);
    const touchStart = world.accessLog.length;
    const third = await runChronik(dir, ['update'], meili());
    expect(third.status, third.err).toBe(EXIT.ok);
    expect(articleBodiesServed(world, touchStart)).toEqual([`${touched.portal} ${touched.path}`]);
    expect(third.out).toMatch(/^update: 0 new, 0 changed, 0 failed, \d+ not modified, 0 indexed, 0 waiting \(/);
  }, 120_000);
});
