import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest, startWorld, type RunningWorld, type WorldManifest } from '../../fixtures/server/serve-world.js';
import { ChromiumRenderer } from '../../src/scrapers/render/browser.js';
import { crawlConfig, crawlToOutbox, type CrawlRun } from './helpers.js';
import { compareWithManifest, disallowedRequests } from './world-check.js';

/**
 * Acceptance on the fixture world (five portals, each its own origin on 127.0.0.1): recall and
 * precision against the hand-written manifest, and politeness read from the server's access log.
 */
let manifest: WorldManifest;

beforeAll(() => {
  manifest = readManifest();
});

async function crawlWorld(sources: (world: RunningWorld) => Array<{ url: string; kind?: string; query?: string }>, crawl: Record<string, unknown> = {}) {
  const world = await startWorld();
  const config = crawlConfig(sources(world), crawl);
  const renderer = new ChromiumRenderer(config.crawl.render);
  try {
    const run = await crawlToOutbox(config, { renderer });
    return { world, run, config };
  } finally {
    await renderer.close();
  }
}

describe('crawl from one seed article per portal', () => {
  let world: RunningWorld;
  let run: CrawlRun;
  let userAgent: string;

  beforeAll(async () => {
    const crawled = await crawlWorld((w) => Object.entries(manifest.portals).map(([portal, { seed }]) => ({ url: w.url(portal, seed) })));
    ({ world, run } = crawled);
    userAgent = crawled.config.crawl.userAgent;
  }, 180_000);

  afterAll(async () => {
    await world?.close();
  });

  it('finds at least 98% of the on-topic articles and indexes nothing else', () => {
    const result = compareWithManifest(world, manifest, run.documents);
    expect(result.recall, `missing: ${result.missing.join(', ')}`).toBeGreaterThanOrEqual(0.98);
    expect(result.offTopicIndexed).toEqual([]);
    expect(result.strangers).toEqual([]);
    expect(run.summary.failed).toBe(0);
  });

  it('never requests a path robots.txt disallows, and names itself with a contact URL', async () => {
    expect(await disallowedRequests(world, userAgent)).toEqual([]);
    expect(userAgent).toMatch(/Chronik\/.*\+https?:\/\//);
    const ours = world.accessLog.filter((entry) => entry.userAgent === userAgent);
    expect(ours.length).toBeGreaterThan(50);
  });

  it('fetches each page once, whatever tracking parameters or fragments its links carried', () => {
    const pages = world.accessLog.filter((entry) => entry.userAgent === userAgent && !entry.path.startsWith('/static/') && !entry.path.startsWith('/api/'));
    const counts = new Map<string, number>();
    for (const entry of pages) counts.set(`${entry.portal} ${entry.path.split('?')[0]}${entry.path.includes('?') && !/utm_/.test(entry.path) ? `?${entry.path.split('?')[1]}` : ''}`, (counts.get(`${entry.portal} ${entry.path.split('?')[0]}`) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
    expect(pages.filter((entry) => /utm_/.test(entry.path))).toEqual([]);
  });

  it('keeps the robots.txt Crawl-delay of a host between request starts', () => {
    // elbe-anzeiger asks for Crawl-delay: 0.5; the access log stamps each answer.
    const times = world.accessLog.filter((entry) => entry.portal === 'elbe-anzeiger' && entry.userAgent === userAgent).map((entry) => entry.at);
    expect(times.length).toBeGreaterThan(5);
    // The log stamps answers, not request starts: an answer may come up to one response time
    // late (a few hundred ms while Chromium renders next door), so two steps apart must be at
    // least two delays minus that slack. Without the delay the gaps would be a few ms.
    const twoSteps = times.slice(2).map((at, i) => at - times[i]!);
    expect(Math.min(...twoSteps)).toBeGreaterThanOrEqual(2 * 500 - 400);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual((times.length - 1) * 500 - 400);
  });

  it('renders the JavaScript portal behind its consent dialog in Chromium', () => {
    const havelblick = compareWithManifest(world, manifest, run.documents, ['havelblick']);
    expect(havelblick.onTopic).toBeGreaterThan(5);
    expect(havelblick.missing).toEqual([]);
  });
});

describe('crawl from feeds, sitemaps and topic pages alone', () => {
  let world: RunningWorld;
  let run: CrawlRun;

  beforeAll(async () => {
    ({ world, run } = await crawlWorld((w) => [
      { url: w.url('nordpost', '/sitemap.xml'), kind: 'sitemap' },
      { url: w.url('nordpost', '/feed/mv.rss'), kind: 'feed' },
      { url: w.url('nordpost', '/thema/cyberangriff-schwerin/'), kind: 'topic' },
      { url: w.url('ticker-mv', '/feed.atom'), kind: 'feed' },
      { url: w.url('ticker-mv', '/archiv/seite-1.html'), kind: 'topic' },
      { url: w.url('kuestenkurier', '/'), kind: 'topic' },
      { url: w.url('elbe-anzeiger', '/lokales/'), kind: 'topic' },
      { url: w.url('havelblick', '/'), kind: 'topic' },
    ]));
  }, 180_000);

  afterAll(async () => {
    await world?.close();
  });

  it('finds at least 98% of the on-topic articles and indexes nothing else', () => {
    const result = compareWithManifest(world, manifest, run.documents);
    expect(result.recall, `missing: ${result.missing.join(', ')}`).toBeGreaterThanOrEqual(0.98);
    expect(result.offTopicIndexed).toEqual([]);
    expect(result.strangers).toEqual([]);
  });

  it('follows the sitemap index into its sitemaps and a topic page through its pagination', () => {
    const paths = world.accessLog.filter((entry) => entry.portal === 'nordpost').map((entry) => entry.path);
    expect(paths).toContain('/sitemaps/news.xml');
    expect(paths).toContain('/thema/cyberangriff-schwerin/seite-3/');
    // Sitemaps whose lastmod lies before the topic's window are not read.
    expect(run.summary.sources.every((source) => source.ok)).toBe(true);
  });
});
