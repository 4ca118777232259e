import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type RunningWorld } from '../../fixtures/server/serve-world.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';
import { getFreePort } from '../../src/index/free-port.js';
import { openArticleIndex } from '../../src/index/meili-client.js';
import { connectMeili, type MeiliConnection } from '../../src/index/meili-server.js';
import { captureIo } from '../helpers/cli-io.js';
import { PORTALS, publishNews, runChronik, writeUpdateConfig } from './world-news.js';

/**
 * A Meilisearch of its own (the bundled server, started by the same launcher users get), stopped
 * while an update runs: the update exits "partial" with its documents in the outbox; the next
 * update, with Meilisearch back on the same data, delivers every one of them.
 */
let world: RunningWorld;
let dataDir: string;
let port: number;
let meili: MeiliConnection | undefined;

const startMeili = async (): Promise<MeiliConnection> => (meili = await connectMeili({ dataDir, port, maxIndexingMemory: '256MiB' }));

beforeAll(async () => {
  world = await startWorld({ portals: PORTALS });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'chronik-update-meili-'));
  port = await getFreePort();
}, 120_000);

afterAll(async () => {
  await meili?.release();
  await world?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('Meilisearch stops in the middle of an update', () => {
  it('exits partial, loses nothing, and the next run delivers everything', async () => {
    const indexName = `update-down-${randomUUID().slice(0, 8)}`;
    const dir = writeUpdateConfig(world, indexName);
    const up = await startMeili();
    const target = { url: up.url, apiKey: up.apiKey };
    const crawl = await runChronik(dir, ['crawl'], target);
    expect(crawl.status, crawl.err).toBe(EXIT.ok);
    const before = await openArticleIndex(target, indexName).documentCount();
    const news = publishNews(world);
    // A pause per host stretches the update, so the server is gone well before the run delivers.
    writeUpdateConfig(world, indexName, { minDelayMs: 600 }, dir);

    const io = captureIo({ MEILI_URL: up.url, MEILI_MASTER_KEY: up.apiKey }, dir);
    let stopping: Promise<void> | undefined;
    const write = io.stderr.write.bind(io.stderr);
    io.stderr.write = (text: string) => {
      // The update has connected and started its pass: now the server goes away.
      if (!stopping && text.startsWith('Starting update pass')) stopping = up.release();
      return write(text);
    };
    const status = await main(['update'], io);
    await stopping;
    expect(stopping, 'the update pass started').toBeDefined();
    expect(status, io.err()).toBe(EXIT.partial);
    expect(io.out()).toMatch(/^update: 3 new, 1 changed, 0 failed, \d+ not modified, 0 indexed, 4 waiting \(/);
    expect(io.err()).toContain('4 documents wait in the outbox');

    const back = await startMeili();
    expect(back.url).toBe(up.url);
    const again = await runChronik(dir, ['update'], target);
    expect(again.status, again.err).toBe(EXIT.ok);
    expect(again.out).toMatch(/^update: 0 new, 0 changed, 0 failed, \d+ not modified, 4 indexed, 0 waiting \(/);
    const documents = await openArticleIndex(target, indexName).allDocuments();
    expect(documents.length).toBe(before + 3);
    const urls = new Set(documents.map((document) => document.url));
    for (const page of [...news.added, news.syndicated.copy, news.changed]) expect(urls.has(world.url(page.portal, page.path)), page.path).toBe(true);
    expect(documents.find((document) => document.url === world.url(news.changed.portal, news.changed.path))?.body).toContain(news.changed.newSentence);
  }, 180_000);
});
