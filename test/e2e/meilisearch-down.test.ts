import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readManifest, startWorld, type RunningWorld } from '../../fixtures/server/serve-world.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';
import { openArticleIndex } from '../../src/index/meili-client.js';
import { captureIo, writeConfig } from '../helpers/cli-io.js';
import { closedPort } from '../helpers/ports.js';

let world: RunningWorld;

beforeAll(async () => {
  world = await startWorld({ portals: ['kuestenkurier'] });
});

afterAll(async () => {
  await world?.close();
});


describe('Meilisearch down during a crawl', () => {
  it('crawls anyway, keeps the documents in the outbox, and delivers them later exactly once', async () => {
    const manifest = readManifest();
    const indexName = `down-${randomUUID().slice(0, 8)}`;
    const dir = await writeConfig([world.url('kuestenkurier', manifest.portals.kuestenkurier!.seed)], `index:\n  name: ${indexName}`);
    const onTopic = manifest.articles.filter((article) => article.portal === 'kuestenkurier' && article.onTopic).length;

    const down = captureIo({ MEILI_URL: `http://127.0.0.1:${await closedPort()}` }, dir);
    expect(await main(['crawl'], down)).toBe(EXIT.partial);
    expect(down.err()).toMatch(/Meilisearch unavailable, crawling without it: Meilisearch at .* is not reachable/);
    expect(down.err()).toContain(`${onTopic} documents wait in the outbox`);

    const meili = inject('meili');
    const up = captureIo({ MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.apiKey }, dir);
    expect(await main(['index', '--pending'], up)).toBe(EXIT.ok);
    expect(up.err()).toContain(`Delivered ${onTopic} documents to Meilisearch.`);
    const index = openArticleIndex(meili, indexName);
    expect(await index.documentCount()).toBe(onTopic);

    // A full crawl with Meilisearch back re-delivers nothing twice: the count stays the same.
    const again = captureIo({ MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.apiKey }, dir);
    expect(await main(['crawl'], again)).toBe(EXIT.ok);
    expect(await index.documentCount()).toBe(onTopic);
    const nothing = captureIo({ MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.apiKey }, dir);
    expect(await main(['index', '--pending'], nothing)).toBe(EXIT.ok);
    expect(nothing.err()).toContain('Nothing waits in the outbox.');
  });
});
