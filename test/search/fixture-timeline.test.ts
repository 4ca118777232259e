import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readManifest, startWorld, type RunningWorld, type WorldManifest, type WorldManifestArticle } from '../../fixtures/server/serve-world.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';
import { openArticleIndex, type ArticleIndex } from '../../src/index/meili-client.js';
import { runTimeline, type TimelineHit } from '../../src/search/run-timeline.js';
import { captureIo, writeConfig } from '../helpers/cli-io.js';

/**
 * Issue 7's acceptance on the fixture world crawled into a real Meilisearch, every expectation
 * read from the manifest. PORTALS lists the portals crawled; add the others as their crawling and
 * the index's story grouping land (the story assertions already compare against the manifest's storyId).
 */
const PORTALS = ['kuestenkurier'];
let world: RunningWorld;
let manifest: WorldManifest;
let index: ArticleIndex;
let byUrl: Map<string, WorldManifestArticle>;
const indexName = `timeline-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  world = await startWorld({ portals: PORTALS });
  manifest = readManifest();
  const seeds = PORTALS.map((portal) => world.url(portal, manifest.portals[portal]!.seed));
  const configDir = await writeConfig(seeds, `index:\n  name: ${indexName}`);
  const meili = inject('meili');
  expect(await main(['crawl'], captureIo({ MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.apiKey }, configDir))).toBe(EXIT.ok);
  index = openArticleIndex(meili, indexName);
  byUrl = new Map(manifest.articles.filter((article) => PORTALS.includes(article.portal)).map((article) => [world.url(article.portal, article.path), article]));
});

afterAll(async () => {
  await world?.close();
});

const onTopic = () => manifest.articles.filter((article) => article.onTopic && PORTALS.includes(article.portal));
const articleOf = (hit: TimelineHit) => byUrl.get(hit.url)!;

/** The manifest's stories: storyId → copies on the crawled portals, oldest first. */
function manifestStories(): Map<string, WorldManifestArticle[]> {
  const stories = new Map<string, WorldManifestArticle[]>();
  for (const article of onTopic()) stories.set(article.storyId, [...(stories.get(article.storyId) ?? []), article]);
  for (const copies of stories.values()) copies.sort((a, b) => Date.parse(a.published!) - Date.parse(b.published!));
  return stories;
}

describe('the timeline of the fixture world', () => {
  it('lists the "Cyberangriff" stories in date order with the manifest dates', async () => {
    const result = await runTimeline(index, { text: 'Cyberangriff', limit: 1000 });
    expect(result.hits.length).toBeGreaterThanOrEqual(5);
    for (const hit of result.hits) {
      expect(articleOf(hit), hit.url).toBeDefined();
      expect(articleOf(hit).onTopic).toBe(true);
      expect(hit.publishedIso).toBe(articleOf(hit).published);
    }
    const times = result.hits.map((hit) => Date.parse(hit.publishedIso!));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Every article whose headline names the attack (or a synonym) is on the timeline.
    const named = onTopic().filter((article) => /(cyber|hacker)-?(angriff|attacke)/i.test(article.headline));
    expect(named.length).toBeGreaterThan(0);
    for (const article of named) expect(result.hits.some((hit) => articleOf(hit) === article), article.path).toBe(true);
  });

  it('shows each story once in story view, with all its sources', async () => {
    const result = await runTimeline(index, { view: 'stories', limit: 1000 });
    const stories = manifestStories();
    const seen = result.hits.map((hit) => articleOf(hit).storyId);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...stories.keys()].sort());
    for (const hit of result.hits) {
      const copies = stories.get(articleOf(hit).storyId)!;
      expect(hit.publishedIso).toBe(copies[0]!.published);
      const sources = [hit, ...hit.alsoPublishedBy].map((copy) => byUrl.get(copy.url)!.portal).sort();
      expect(sources).toEqual(copies.map((copy) => copy.portal).sort());
    }
  });

  it('returns exactly the manifest stories of a date range', async () => {
    const from = '2021-11-01';
    const to = '2022-01-31';
    const result = await runTimeline(index, { view: 'stories', from, to, limit: 1000 });
    const expected = [...manifestStories().values()]
      .map((copies) => copies[0]!)
      .filter((first) => {
        const day = new Date(first.published!).toLocaleDateString('sv-SE', { timeZone: 'Europe/Berlin' });
        return day >= from && day <= to;
      })
      .sort((a, b) => Date.parse(a.published!) - Date.parse(b.published!));
    expect(expected.length).toBeGreaterThan(0);
    expect(result.hits.map((hit) => articleOf(hit).path)).toEqual(expected.map((article) => article.path));
    expect(result.total).toBe(expected.length);
  });
});
