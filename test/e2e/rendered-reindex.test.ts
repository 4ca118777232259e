import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readManifest, startWorld, type RunningWorld } from '../../fixtures/server/serve-world.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';
import { openArticleIndex } from '../../src/index/meili-client.js';
import { iterateWarcFile, listWarcFiles } from '../../src/archive/warc-reader.js';
import type { IndexDocument } from '../../src/pipeline/types.js';
import { captureIo, writeConfig } from '../helpers/cli-io.js';

/** Havelblick renders its articles with JavaScript: the evidence is the DOM Chromium rendered. */
let world: RunningWorld;
let dir: string;
const crawlIndex = `rend-${randomUUID().slice(0, 8)}`;

function env(): NodeJS.ProcessEnv {
  const meili = inject('meili');
  return { MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.apiKey };
}

const byId = (documents: IndexDocument[]) => [...documents].sort((a, b) => a.id.localeCompare(b.id));

beforeAll(async () => {
  world = await startWorld({ portals: ['havelblick'] });
  const seed = world.url('havelblick', readManifest().portals.havelblick!.seed);
  dir = await writeConfig([seed], `index:\n  name: ${crawlIndex}`);
  const io = captureIo(env(), dir);
  // Links to portals that are not running here point at a closed port: those alone may fail.
  expect([EXIT.ok, EXIT.partial], io.err()).toContain(await main(['crawl'], io));
  expect(io.err().split('\n').filter((line) => line.startsWith('failed') && !line.includes('127.0.0.1:1/'))).toEqual([]);
});

afterAll(async () => {
  await world?.close();
});

describe('pages rendered in the browser', () => {
  it('keep the rendered DOM as a resource record that refers to the raw response', async () => {
    const archiveDir = path.join(dir, 'data', 'archive');
    const resources = [];
    for (const file of await listWarcFiles(archiveDir)) {
      for await (const record of iterateWarcFile(archiveDir, file)) if (record.type === 'resource') resources.push(record);
    }
    expect(resources.length).toBeGreaterThan(0);
    expect(resources[0]!.warcContentType).toContain('rendered-dom');
    expect(new TextDecoder().decode(resources[0]!.body)).toMatch(/\(dpa\/mv\) -/);
  });

  it('are rebuilt by reindex from the archive alone, exactly as crawled', async () => {
    const crawled = await openArticleIndex(inject('meili'), crawlIndex).allDocuments();
    expect(crawled.length).toBeGreaterThan(3);
    await world.close();
    const reindexName = `rend-re-${randomUUID().slice(0, 8)}`;
    await writeFile(path.join(dir, 'reindex.yaml'), (await readFile(path.join(dir, 'chronik.yaml'), 'utf8')).replace(crawlIndex, reindexName));
    expect(await main(['--config', 'reindex.yaml', 'reindex'], captureIo(env(), dir))).toBe(EXIT.ok);
    const rebuilt = await openArticleIndex(inject('meili'), reindexName).allDocuments();
    expect(byId(rebuilt)).toEqual(byId(crawled));
  });
});
