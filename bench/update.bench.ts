import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WarcWriter } from '../src/archive/warc-writer.js';
import type { Config } from '../src/config/schema.js';
import { benchCrawlConfig } from './lib/bench-config.js';
import { IndexOutbox, outboxFile } from '../src/index/outbox.js';
import { runCrawl, type CrawlSummary } from '../src/pipeline/crawl.js';
import { startNewsSite, type NewsSite } from './lib/news-site.js';
import { writeBenchmarkReport } from './lib/report.js';

/**
 * `npm run bench:update`: what `chronik update` costs on an unchanged 2,000-page site compared
 * with the full crawl that built the state (target: at most 5 % of its time, 0 documents
 * re-indexed). For context, also a second `chronik crawl` pass over the same state (every
 * known page re-checked with a conditional GET, the behaviour before update mode).
 * Documents re-indexed are counted in the outbox (emptied after the full crawl): every
 * document a run would send to Meilisearch passes through it.
 */
const PAGES = Number(process.env.BENCH_PAGES ?? 2000);
const UPDATES = Number(process.env.BENCH_RUNS ?? 3);
const CONCURRENCY = 16;

type Row = {
  run: string;
  seconds: number;
  requests: number;
  'bodies (200)': number;
  '304s': number;
  'documents re-indexed': number;
  'vs full crawl': string;
};

function benchConfig(site: NewsSite, dir: string): Config {
  return benchCrawlConfig([{ url: site.sitemap, kind: 'sitemap' }, { url: site.seed }], dir, PAGES, CONCURRENCY);
}

async function timedRun(config: Config, site: NewsSite, mode: 'crawl' | 'update'): Promise<{ summary: CrawlSummary; seconds: number; requests: NewsSite['requests']; reindexed: number }> {
  const archive = new WarcWriter({ dir: config.archive.dir, maxFileBytes: config.archive.maxFileBytes });
  const outbox = new IndexOutbox(outboxFile(config.state.dir));
  const before = { ...site.requests };
  const started = performance.now();
  try {
    const summary = await runCrawl({ config, archive, outbox, index: undefined, mode });
    const seconds = (performance.now() - started) / 1000;
    const requests = { total: site.requests.total - before.total, bodies: site.requests.bodies - before.bodies, notModified: site.requests.notModified - before.notModified };
    const reindexed = outbox.pendingCount;
    // Empty the outbox (as a delivery would), so the next run's documents are counted alone.
    for (let batch = outbox.peek(5000); batch.length > 0; batch = outbox.peek(5000)) outbox.acknowledge(batch);
    return { summary, seconds, requests, reindexed };
  } finally {
    outbox.close();
    await archive.close();
  }
}

async function main(): Promise<void> {
  const loadAtStart = os.loadavg()[0]!;
  const site = await startNewsSite(PAGES, 50_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chronik-bench-update-'));
  const rows: Row[] = [];
  try {
    const config = benchConfig(site, dir);
    const full = await timedRun(config, site, 'crawl');
    if (full.summary.onTopic !== PAGES) throw new Error(`full crawl: ${full.summary.onTopic} on-topic pages of ${PAGES} (failed ${full.summary.failed})`);
    const row = (run: string, result: Awaited<ReturnType<typeof timedRun>>): Row => ({
      run,
      seconds: Math.round(result.seconds * 1000) / 1000,
      requests: result.requests.total,
      'bodies (200)': result.requests.bodies,
      '304s': result.requests.notModified,
      'documents re-indexed': result.reindexed,
      'vs full crawl': `${((result.seconds / full.seconds) * 100).toFixed(2)} %`,
    });
    rows.push(row('full crawl (pass 1)', full));
    console.log(`full crawl: ${full.seconds.toFixed(1)} s, ${full.requests.total} requests, ${full.reindexed} documents`);
    for (let run = 1; run <= UPDATES; run++) {
      const update = await timedRun(config, site, 'update');
      if (update.summary.mode !== 'update') throw new Error(`run ${run} was not an update pass (${update.summary.mode})`);
      rows.push(row(`update ${run}, nothing changed`, update));
      console.log(`update ${run}: ${update.seconds.toFixed(3)} s, ${update.requests.total} requests, ${update.reindexed} re-indexed`);
    }
    const recrawl = await timedRun(config, site, 'crawl');
    rows.push(row('crawl again (pass with conditional GETs)', recrawl));
    console.log(`crawl again: ${recrawl.seconds.toFixed(1)} s, ${recrawl.requests.total} requests, ${recrawl.reindexed} re-indexed`);
  } finally {
    await site.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const updates = rows.filter((row) => row.run.startsWith('update'));
  const worstRatio = Math.max(...updates.map((row) => Number.parseFloat(row['vs full crawl'])));
  const reindexed = Math.max(...updates.map((row) => row['documents re-indexed']));
  writeBenchmarkReport({
    name: 'update',
    title: 'Update over an unchanged site',
    command: 'npm run bench:update',
    rows,
    notes: [
      `Target: an update costs at most 5 % of the full crawl's time and re-indexes 0 documents. This run: worst update ${worstRatio.toFixed(2)} % of the full crawl, ${reindexed} documents re-indexed.`,
      `Generated site: ${PAGES} article pages of about 50 KB on 127.0.0.1 (the bench:crawl generator) plus a sitemap with lastmod; ETag + Last-Modified on every answer, 304 to If-None-Match. Sources: the sitemap and /p/0.html. Politeness limits off, concurrency ${CONCURRENCY}.`,
      'All runs in one process on one state folder (SQLite frontier, WARC archive, outbox), Meilisearch not involved: documents re-indexed = what the run put into the outbox (emptied after each run).',
      'The update re-checks the two sources with conditional GETs (304) and nothing else: no known page is listed as changed, none is recent (published 2021).',
      '"crawl again" = `chronik crawl` after a finished pass: every known page re-checked with a conditional GET and its archived copy re-interpreted (the behaviour update mode avoids).',
      `Wall-clock figures on a shared machine are noisy; the ratio of update to full crawl is the figure to compare. Load average (1 min) at the start of this run: ${loadAtStart.toFixed(1)} on ${os.cpus().length} cores.`,
    ],
  });
}

await main();
