import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startWorld, type RunningWorld } from '../../fixtures/server/serve-world.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { openArticleIndex } from '../../src/index/meili-client.js';
import { articleBodiesServed, PORTALS, publishNews, runChronik, writeUpdateConfig } from './world-news.js';

/**
 * A broken network during an update: one new page drops the connection, one is never answered
 * (stall), one is cut off halfway (truncate), on every attempt of the run. The run finishes,
 * names those pages and exits "partial"; the next run retries them although the feeds that
 * listed them now answer 304, and indexes them.
 */
let world: RunningWorld;
const meili = () => inject('meili');

beforeAll(async () => {
  world = await startWorld({ portals: PORTALS });
});

afterAll(async () => {
  await world?.close();
});

describe('chronik update against dropped, stalled and truncated answers', () => {
  it('finishes, reports the pages, exits partial, and gets them on the next run', async () => {
    const indexName = `update-faults-${randomUUID().slice(0, 8)}`;
    const maxAttempts = 2;
    const dir = writeUpdateConfig(world, indexName, { maxAttempts, timeoutMs: 4000 });
    const index = openArticleIndex(meili(), indexName);
    const crawl = await runChronik(dir, ['crawl'], meili());
    expect(crawl.status, crawl.err).toBe(EXIT.ok);
    const before = await index.documentCount();

    const news = publishNews(world);
    const [dropped, stalled] = news.added as [typeof news.added[0], typeof news.added[0]];
    const truncated = news.syndicated.copy;
    world.injectFault(dropped.portal, dropped.path, 'drop', maxAttempts);
    world.injectFault(stalled.portal, stalled.path, 'stall', maxAttempts);
    world.injectFault(truncated.portal, truncated.path, 'truncate', maxAttempts);

    const logStart = world.accessLog.length;
    const first = await runChronik(dir, ['update'], meili());
    expect(first.status, first.err).toBe(EXIT.partial);
    expect(first.out).toMatch(/^update: 0 new, 1 changed, 3 failed, \d+ not modified, 1 indexed, 0 waiting, 3 to retry next run \(/);
    for (const page of [dropped, stalled, truncated]) expect(first.err).toContain(`failed: ${world.url(page.portal, page.path)}`);
    const faults = world.accessLog.slice(logStart).filter((entry) => entry.fault).map((entry) => entry.fault);
    expect(faults.sort()).toEqual(['drop', 'drop', 'stall', 'stall', 'truncate', 'truncate']);
    expect(await index.documentCount()).toBe(before);

    const retryStart = world.accessLog.length;
    const second = await runChronik(dir, ['update'], meili());
    expect(second.status, second.err).toBe(EXIT.ok);
    expect(second.out).toMatch(/^update: 3 new, 0 changed, 0 failed, \d+ not modified, 3 indexed, 0 waiting \(/);
    const retried = world.accessLog.slice(retryStart);
    // The feeds had not changed since the first run: the retries came from the carried-over failures.
    expect(retried.filter((entry) => /feed|sitemap/.test(entry.path)).every((entry) => entry.status === 304)).toBe(true);
    expect(articleBodiesServed(world, retryStart)).toEqual([dropped, stalled, truncated].map((page) => `${page.portal} ${page.path}`).sort());
    expect(await index.documentCount()).toBe(before + 3);
  }, 120_000);
});
