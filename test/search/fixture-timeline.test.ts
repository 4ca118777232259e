import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { readManifest, startWorld, type RunningWorld, type WorldManifest, type WorldManifestArticle } from '../../fixtures/server/serve-world.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';
import { openArticleIndex, type ArticleIndex } from '../../src/index/meili-client.js';
import { runTimeline, type TimelineHit } from '../../src/search/run-timeline.js';
import { printTimeline, searchFromFlags } from '../../src/cli/commands/search.js';
import { createApp, listen } from '../../src/server/app.js';
import { findProjectRoot } from '../../bench/eval-extraction.js';
import { captureIo } from '../helpers/cli-io.js';

/**
 * Issue 7's acceptance on the fixture world crawled into a real Meilisearch, every expectation
 * read from the manifest: all five portals, from their seed articles (havelblick rendered in
 * Debian's Chromium). The topic is the project's own (chronik.yaml), which the manifest's onTopic
 * is written against: two copies (ticker-mv's Kfz report, elbe-anzeiger's trimmed Normalbetrieb
 * report) use none of the three attack words of the narrower test topic in headline or body.
 */
const PORTALS = ['kuestenkurier', 'nordpost', 'ticker-mv', 'havelblick', 'elbe-anzeiger'];
let world: RunningWorld;
let manifest: WorldManifest;
let index: ArticleIndex;
let byUrl: Map<string, WorldManifestArticle>;
const indexName = `timeline-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  world = await startWorld({ portals: PORTALS });
  manifest = readManifest();
  const sources = PORTALS.map((portal) => ({ url: world.url(portal, manifest.portals[portal]!.seed), kind: 'seed' }));
  // The project's own topic (chronik.yaml): the manifest's onTopic is written against it.
  const { topic } = parseYaml(await readFile(path.join(findProjectRoot(), 'chronik.yaml'), 'utf8')) as { topic: unknown };
  const configDir = await mkdtemp(path.join(os.tmpdir(), 'chronik-timeline-'));
  const config = { sources, topic, crawl: { allowPrivateAddresses: true, minDelayMs: 0, timeoutMs: 3000 }, index: { name: indexName } };
  await writeFile(path.join(configDir, 'chronik.yaml'), stringifyYaml(config));
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
    // Stories, not paths: two copies of a story may share the earliest minute (then either one stands for it).
    expect(result.hits.map((hit) => articleOf(hit).storyId)).toEqual(expected.map((article) => article.storyId));
    expect(result.hits.map((hit) => hit.publishedIso)).toEqual(expected.map((article) => article.published));
    expect(result.total).toBe(expected.length);
  });
});

type TaggedArticle = WorldManifestArticle & { tags?: string[] };

describe('the tag filter on the fixture world', () => {
  /** On-topic articles (only those are indexed) carrying the tag, by its spelling in any case. */
  const taggedWith = (tag: string) => onTopic().filter((article) => ((article as TaggedArticle).tags ?? []).some((t) => t.toLowerCase() === tag.toLowerCase()));
  const allTags = () => [...new Set(onTopic().flatMap((article) => (article as TaggedArticle).tags ?? []))].sort();
  const urls = (articles: WorldManifestArticle[]) => articles.map((article) => world.url(article.portal, article.path)).sort();

  it('returns exactly the manifest articles with that tag, for every tag, and counts them as a facet', async () => {
    const tags = allTags();
    expect(tags.length).toBeGreaterThan(5);
    const everything = await runTimeline(index, { limit: 0 });
    for (const tag of tags) {
      const result = await runTimeline(index, { tags: [tag], limit: 1000 });
      expect(result.hits.map((hit) => hit.url).sort(), tag).toEqual(urls(taggedWith(tag)));
      expect(everything.facets.tags.find((facet) => facet.key === tag)?.count, tag).toBe(taggedWith(tag).length);
    }
    // Ticker MV declares no tags: its (indexed) articles are under no tag.
    const ticker = urls(onTopic().filter((article) => article.portal === 'ticker-mv'));
    expect(ticker.length).toBeGreaterThan(0);
    const anyTag = await runTimeline(index, { tags, limit: 1000 });
    expect(anyTag.hits.filter((hit) => ticker.includes(hit.url))).toEqual([]);
  });

  it('matches tags case-insensitively, and several tags as any of them', async () => {
    const lower = await runTimeline(index, { tags: ['kfz-zulassung'], limit: 1000 });
    expect(lower.hits.map((hit) => hit.url).sort()).toEqual(urls(taggedWith('Kfz-Zulassung')));
    const either = await runTimeline(index, { tags: ['Führerschein', 'Kfz-Zulassung'], limit: 1000 });
    const expected = [...new Set([...urls(taggedWith('Führerschein')), ...urls(taggedWith('Kfz-Zulassung'))])].sort();
    expect(either.hits.map((hit) => hit.url).sort()).toEqual(expected);
  });

  it('is the same filter in the HTTP API (?tag=) and the CLI (--tag)', async () => {
    const tag = 'IT-Sicherheit';
    const expected = urls(taggedWith(tag));
    const { server, url: base } = await listen(createApp({ index, webDir: path.join(findProjectRoot(), 'web'), archiveDir: os.tmpdir() }), '127.0.0.1', 0);
    try {
      const body = (await (await fetch(`${base}api/search?tag=${encodeURIComponent(tag)}&limit=1000`)).json()) as { hits: Array<{ url: string }>; facets: { tags: Array<{ key: string; count: number }> } };
      expect(body.hits.map((hit) => hit.url).sort()).toEqual(expected);
      expect(body.facets.tags.find((facet) => facet.key === tag)?.count).toBe(expected.length);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    const { query, format, max } = searchFromFlags('', { tag: [tag], json: true });
    const io = captureIo({}, os.tmpdir());
    await printTimeline(index, query, io, format, max);
    const printed = JSON.parse(io.out()) as { hits: Array<{ url: string }> };
    expect(printed.hits.map((hit) => hit.url).sort()).toEqual(expected);
  });
});
