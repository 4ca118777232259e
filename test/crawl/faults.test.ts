import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest, startWorld, type RunningWorld } from '../../fixtures/server/serve-world.js';
import { crawlConfig, crawlToOutbox, type CrawlRun } from './helpers.js';

/** The fault routes of the fixture world, read back from its access log. */
describe('crawling through faults', () => {
  let world: RunningWorld;
  let run: CrawlRun;

  beforeAll(async () => {
    world = await startWorld({ portals: ['ticker-mv'], slowMs: 1500, oversizedBytes: 300_000 });
    const url = (pathname: string) => world.url('ticker-mv', pathname);
    run = await crawlToOutbox(
      crawlConfig(
        [
          { url: url('/faults/rate-limited') },
          { url: url('/faults/flaky') },
          { url: url('/faults/redirect/start') },
          { url: url('/faults/redirect/loop-a') },
          { url: url('/faults/oversized') },
          { url: url('/faults/binary.html') },
          { url: url('/kalender/2021-10-15.html'), kind: 'topic' },
        ],
        { maxBodyBytes: 100_000, maxPaginationPages: 10, maxHubDepth: 2, timeoutMs: 3000 },
      ),
    );
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  });

  const requests = (pathname: string) => world.accessLog.filter((entry) => entry.path === pathname);

  it('retries a 429 after its Retry-After and finally fetches it', () => {
    const log = requests('/faults/rate-limited');
    expect(log.map((entry) => entry.status)).toEqual([429, 200]);
    expect(log[1]!.at - log[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('retries a page that fails with 500 twice and fetches it the third time', () => {
    expect(requests('/faults/flaky').map((entry) => entry.status)).toEqual([500, 500, 200]);
  });

  it('follows a redirect chain, gives up on a redirect loop', () => {
    const chain = world.accessLog.filter((entry) => /^\/faults\/redirect\/(start|step-)/.test(entry.path));
    expect(chain.map((entry) => entry.status).slice(0, 3)).toEqual([301, 302, 301]);
    expect(run.summary.failures.some((failure) => failure.url.endsWith('/faults/redirect/start'))).toBe(false);
    expect(requests('/faults/redirect/loop-a').length).toBe(1);
    expect(run.summary.failures.some((failure) => /redirect loop/.test(failure.message))).toBe(true);
  });

  it('refuses an oversized body and does not parse binary served as HTML', () => {
    expect(run.summary.failures.some((failure) => /oversized: body larger than 100000 bytes/.test(failure.message))).toBe(true);
    expect(run.summary.failures.some((failure) => /binary\.html: not an HTML page/.test(failure.message))).toBe(true);
  });

  it('leaves the endless calendar after a bounded number of pages', () => {
    const calendar = world.accessLog.filter((entry) => entry.path.startsWith('/kalender/'));
    expect(calendar.length).toBeGreaterThan(1);
    expect(calendar.length).toBeLessThanOrEqual(25);
  });
});

describe('a later crawl pass', () => {
  it('re-checks pages with conditional GET and keeps their documents', async () => {
    const world = await startWorld({ portals: ['kuestenkurier'] });
    try {
      const seed = world.url('kuestenkurier', readManifest().portals.kuestenkurier!.seed);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'chronik-pass-'));
      const first = await crawlToOutbox(crawlConfig([{ url: seed }], {}, dir));
      expect(first.summary).toMatchObject({ pass: 1, resumed: false, pending: 0 });
      const firstCount = world.accessLog.length;
      const second = await crawlToOutbox(crawlConfig([{ url: seed }], {}, dir));
      expect(second.summary).toMatchObject({ pass: 2, resumed: false, onTopic: first.summary.onTopic });
      const later = world.accessLog.slice(firstCount).filter((entry) => entry.path !== '/robots.txt');
      expect(later.length).toBeGreaterThan(10);
      expect(later.every((entry) => entry.ifNoneMatch !== undefined || entry.ifModifiedSince !== undefined)).toBe(true);
      expect(later.every((entry) => entry.status === 304)).toBe(true);
      expect(second.documents.length).toBe(first.documents.length);
    } finally {
      await world.close();
    }
  }, 60_000);
});
