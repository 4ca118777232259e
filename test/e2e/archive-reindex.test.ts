import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readManifest, startWorld, type RunningWorld } from '../../fixtures/server/serve-world.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';
import { openArticleIndex } from '../../src/index/meili-client.js';
import type { IndexDocument } from '../../src/pipeline/types.js';
import { captureIo, writeConfig } from '../helpers/cli-io.js';

let world: RunningWorld;
let crawlDir: string;
const crawlIndex = `arch-crawl-${randomUUID().slice(0, 8)}`;

function env(): NodeJS.ProcessEnv {
  const meili = inject('meili');
  return { MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.apiKey };
}

function byId(documents: IndexDocument[]): IndexDocument[] {
  return [...documents].sort((a, b) => a.id.localeCompare(b.id));
}

beforeAll(async () => {
  world = await startWorld({ portals: ['kuestenkurier'] });
  const seed = world.url('kuestenkurier', readManifest().portals.kuestenkurier!.seed);
  crawlDir = await writeConfig([seed], `index:\n  name: ${crawlIndex}`);
  expect(await main(['crawl'], captureIo(env(), crawlDir))).toBe(EXIT.ok);
});

afterAll(async () => {
  await world?.close();
});

describe('the archive as evidence', () => {
  it('rebuilds exactly the crawled documents from the archive alone, with the fixture server gone', async () => {
    await world.close();
    const reindexName = `arch-re-${randomUUID().slice(0, 8)}`;
    const config = (await readFile(path.join(crawlDir, 'chronik.yaml'), 'utf8')).replace(crawlIndex, reindexName);
    await writeFile(path.join(crawlDir, 'reindex.yaml'), config);
    const io = captureIo(env(), crawlDir);
    expect(await main(['--config', 'reindex.yaml', 'reindex'], io)).toBe(EXIT.ok);
    expect(io.err()).toMatch(/Reindexed \d+ documents from \d+ WARC files/);

    const crawled = await openArticleIndex(inject('meili'), crawlIndex).allDocuments();
    const rebuilt = await openArticleIndex(inject('meili'), reindexName).allDocuments();
    expect(crawled.length).toBeGreaterThan(10);
    expect(byId(rebuilt)).toEqual(byId(crawled));
  });

  it('verifies every digest and reports a truncated file without giving up on the others', async () => {
    const archiveDir = path.join(crawlDir, 'data', 'archive');
    const [original] = (await readdir(archiveDir)).filter((name) => name.endsWith('.warc.gz'));
    const brokenDir = path.join(crawlDir, 'broken');
    await mkdir(path.join(brokenDir, 'data', 'archive'), { recursive: true });
    await copyFile(path.join(archiveDir, original!), path.join(brokenDir, 'data', 'archive', `a-${original}`));
    const truncated = path.join(brokenDir, 'data', 'archive', `b-${original}`);
    await copyFile(path.join(archiveDir, original!), truncated);
    await truncate(truncated, Math.floor((await stat(truncated)).size * 0.6));
    await copyFile(path.join(crawlDir, 'chronik.yaml'), path.join(brokenDir, 'chronik.yaml'));

    const io = captureIo(env(), brokenDir);
    expect(await main(['archive', 'verify'], io)).toBe(EXIT.partial);
    const lines = io.out().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^ok +a-.* \d+ records$/);
    expect(lines[1]).toMatch(/^BAD +b-.* unreadable after record \d+: truncated or corrupt/);
    expect(io.err()).toContain('2 files checked, 1 bad.');

    const healthy = captureIo(env(), crawlDir);
    expect(await main(['archive', 'verify'], healthy)).toBe(EXIT.ok);
  });

  it('writes a CDXJ index whose entries point at the response records', async () => {
    const io = captureIo(env(), crawlDir);
    expect(await main(['archive', 'cdx'], io)).toBe(EXIT.ok);
    const lines = io.out().trim().split('\n');
    const seedLine = lines.find((line) => line.includes('fuehrerschein-beantragung-wieder-moeglich'));
    expect(seedLine).toMatch(/^\S+ \d{14} \{.*"status":"200".*"offset":"\d+".*"filename":"chronik-.*\.warc\.gz"\}$/);
    expect(lines).toEqual([...lines].sort());
  });
});
