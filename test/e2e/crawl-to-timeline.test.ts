import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readManifest, startWorld, type RunningWorld, type WorldManifest } from '../../fixtures/server/serve-world.js';
import { readArchivedResponse } from '../../src/archive/warc-reader.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';
import { openArticleIndex, type ArticleIndex } from '../../src/index/meili-client.js';
import { documentId } from '../../src/index/to-index-document.js';
import type { IndexDocument } from '../../src/pipeline/types.js';
import { captureIo, writeConfig } from '../helpers/cli-io.js';

/**
 * The foundation's promise, end to end on real components: the fixture portal over HTTP,
 * `chronik crawl` from its seed page, a real Meilisearch, then every expectation read from the
 * hand-written manifest.
 */
let world: RunningWorld;
let manifest: WorldManifest;
let index: ArticleIndex;
let configDir: string;
let crawlStatus: number;
let crawlStderr: string;
const indexName = `e2e-${randomUUID().slice(0, 8)}`;

function env(): NodeJS.ProcessEnv {
  const meili = inject('meili');
  return { MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.apiKey };
}

beforeAll(async () => {
  world = await startWorld({ portals: ['kuestenkurier'] });
  const all = readManifest();
  // Only Küstenkurier runs here; its pages link to no other portal.
  manifest = { ...all, articles: all.articles.filter((article) => article.portal === 'kuestenkurier') };
  const seed = world.url('kuestenkurier', manifest.portals.kuestenkurier!.seed);
  configDir = await writeConfig([seed], `index:\n  name: ${indexName}`);
  const io = captureIo(env(), configDir);
  crawlStatus = await main(['crawl'], io);
  crawlStderr = io.err();
  index = openArticleIndex(inject('meili'), indexName);
});

afterAll(async () => {
  await world?.close();
});

async function documentFor(articlePath: string): Promise<IndexDocument | undefined> {
  return index.getDocument(documentId(world.url('kuestenkurier', articlePath)));
}

describe('crawl from one seed page to a searchable timeline', () => {
  it('crawls without failures', () => {
    expect(crawlStderr).toMatch(/Crawled \d+ pages/);
    expect(crawlStatus).toBe(EXIT.ok);
  });

  it('indexes every on-topic article of the manifest and no off-topic one', async () => {
    const onTopic = manifest.articles.filter((article) => article.onTopic);
    const offTopic = manifest.articles.filter((article) => !article.onTopic);
    expect(onTopic.length).toBeGreaterThanOrEqual(12);
    expect(offTopic.length).toBeGreaterThanOrEqual(4);
    for (const article of onTopic) expect(await documentFor(article.path), article.path).toBeDefined();
    for (const article of offTopic) expect(await documentFor(article.path), article.path).toBeUndefined();
    expect(await index.documentCount()).toBe(onTopic.length);
  });

  it('gives every article its manifest date, headline, kicker and dateline', async () => {
    for (const article of manifest.articles.filter((entry) => entry.onTopic)) {
      const document = (await documentFor(article.path))!;
      expect(document.publishedIso, article.path).toBe(article.published);
      expect(document.publishedAt).toBe(Date.parse(article.published!) / 1000);
      expect(document.headline).toBe(article.headline);
      expect(document.kicker).toBe(article.kicker ?? null);
      expect(document.place).toBe(article.dateline ?? null);
      expect(document.agency).toBe(article.agency ?? null);
      expect(document.body.startsWith(article.firstSentence), article.path).toBe(true);
      expect(document.body.trimEnd().endsWith(article.lastSentence), article.path).toBe(true);
      expect(document.body).not.toContain('Empfehlungen der Redaktion');
      expect(document.body).not.toContain('© dpa-infocom');
      if (article.imageCredit) expect(document.imageCredits).toContain(article.imageCredit);
    }
  });

  it('keeps every fetched response in the archive, and each hit leads back to its record', async () => {
    const archiveDir = path.join(configDir, 'data', 'archive');
    expect((await readdir(archiveDir)).some((file) => file.endsWith('.warc.gz'))).toBe(true);
    const seedDocument = (await documentFor(manifest.portals.kuestenkurier!.seed))!;
    const archived = await readArchivedResponse(archiveDir, { warcFile: seedDocument.warcFile!, offset: seedDocument.warcOffset!, length: 1_000_000 });
    expect(archived.payloadDigest).toBe(seedDocument.payloadDigest);
    expect(new TextDecoder().decode(archived.body)).toContain('Führerschein-Beantragung wieder möglich');
    const fetchedPaths = new Set(world.accessLog.filter((entry) => entry.status === 200).map((entry) => entry.path));
    expect(fetchedPaths.has('/robots.txt')).toBe(true);
  });

  it('answers `chronik search "Führerschein" --from 2021-11-01 --to 2021-12-31` in date order with the manifest dates', async () => {
    const io = captureIo(env(), configDir);
    expect(await main(['search', 'Führerschein', '--from', '2021-11-01', '--to', '2021-12-31', '--json'], io)).toBe(EXIT.ok);
    const result = JSON.parse(io.out()) as { hits: Array<{ url: string; publishedIso: string; snippetHighlighted: string }> };
    const expected = manifest.articles
      .filter((article) => article.onTopic && article.published! >= '2021-11-01' && article.published! < '2022-01-01')
      .filter((article) => result.hits.some((hit) => hit.url === world.url('kuestenkurier', article.path)));
    expect(result.hits.length).toBeGreaterThan(0);
    expect(result.hits.map((hit) => hit.publishedIso)).toEqual([...result.hits.map((hit) => hit.publishedIso)].sort((a, b) => Date.parse(a) - Date.parse(b)));
    for (const hit of result.hits) {
      expect(hit.publishedIso >= '2021-11-01' && hit.publishedIso < '2022-01-01').toBe(true);
      expect(hit.snippetHighlighted).toMatch(/\*\*Führerschein/);
    }
    expect(expected.length).toBe(result.hits.length);
    expect(result.hits.map((hit) => hit.url)).toContain(world.url('kuestenkurier', manifest.portals.kuestenkurier!.seed));

    const table = captureIo(env(), configDir);
    expect(await main(['search', 'Führerschein', '--from', '2021-11-01', '--to', '2021-12-31'], table)).toBe(EXIT.ok);
    expect(table.out()).toContain('2021-12-09 14:35  Ludwigslust-Parchim: **Führerschein**-Beantragung wieder möglich');
  });

  it('never requests a path robots.txt disallows', () => {
    expect(world.accessLog.some((entry) => entry.path.startsWith('/intern/'))).toBe(false);
    expect(world.accessLog.every((entry) => entry.userAgent?.startsWith('Chronik/'))).toBe(true);
  });
});
