import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'cheerio';
import PQueue from 'p-queue';
import { WarcWriter } from '../src/archive/warc-writer.js';
import { benchCrawlConfig } from './lib/bench-config.js';
import { IndexOutbox, outboxFile } from '../src/index/outbox.js';
import { runCrawl } from '../src/pipeline/crawl.js';
import { canonicalKey, resolveHttpUrl } from '../src/scrapers/discover/canonical-url.js';
import { projectRoot } from '../fixtures/server/serve-world.js';
import { renderPage, TEMPLATE_PATH } from './lib/news-site.js';
import { writeBenchmarkReport } from './lib/report.js';

/**
 * `npm run bench:crawl`: pages/s and peak RSS crawling a generated 2,000-page site (≈50 KB
 * pages) on 127.0.0.1 with politeness limits off and concurrency 16. Each run is its own
 * process (so peak RSS is the crawler's alone); crawlers alternate, several runs each:
 *  - chronik: the whole pipeline (SQLite frontier, WARC archive, extraction, relevance, outbox);
 *  - loop: a plain fetch + cheerio (htmlparser2) + p-queue loop, the floor to compare with;
 *  - crawlee: CheerioCrawler on the same site and settings, when crawlee is installed (dev only).
 */
const PAGES = Number(process.env.BENCH_PAGES ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CONCURRENCY = 16;
/** Profiling aids: BENCH_CRAWLERS=chronik runs one side only; BENCH_CPU_PROF=dir writes each worker's CPU profile there. */
const ONLY_CRAWLERS = process.env.BENCH_CRAWLERS?.split(',').filter(Boolean);
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROF;

interface RunResult {
  crawler: string;
  pages: number;
  seconds: number;
  pagesPerSec: number;
  peakRssMB: number;
  /** CPU time (user + system, all threads) per page: less sensitive to a busy machine than pages/s. */
  cpuMsPerPage: number;
}

async function worker(crawler: string, seed: string): Promise<void> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const pages = crawler === 'chronik' ? await crawlChronik(seed) : crawler === 'loop' ? await crawlLoop(seed) : await crawlCrawlee(seed);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const result: RunResult = { crawler, pages, seconds: round(seconds), pagesPerSec: round(pages / seconds), peakRssMB: Math.round(peakRss / 2 ** 20), cpuMsPerPage: round((cpu.user + cpu.system) / 1000 / pages) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function crawlChronik(seed: string): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chronik-bench-crawl-'));
  try {
    const config = benchCrawlConfig([{ url: seed }], dir, PAGES, CONCURRENCY);
    const archive = new WarcWriter({ dir: config.archive.dir, maxFileBytes: config.archive.maxFileBytes });
    const outbox = new IndexOutbox(outboxFile(config.state.dir));
    const summary = await runCrawl({ config, archive, outbox, index: undefined });
    const documents = outbox.pendingCount;
    outbox.close();
    await archive.close();
    if (summary.onTopic !== PAGES) throw new Error(`chronik: ${summary.onTopic} on-topic pages of ${PAGES} (failed ${summary.failed})`);
    // Every page has its own canonical URL, so every page must have become an index document.
    if (documents !== PAGES) throw new Error(`chronik: ${documents} documents queued for the index, expected ${PAGES}`);
    return summary.fetched;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function crawlLoop(seed: string): Promise<number> {
  const seen = new Set<string>([canonicalKey(seed)]);
  const queue = new PQueue({ concurrency: CONCURRENCY });
  let fetched = 0;
  const visit = async (url: string): Promise<void> => {
    const html = await (await fetch(url)).text();
    fetched += 1;
    const $ = load(html, { xml: { xmlMode: false, decodeEntities: true } });
    void $('h1').text();
    $('a[href]').each((_, element) => {
      const next = resolveHttpUrl($(element).attr('href') ?? '', url);
      if (!next || !next.includes('/p/')) return;
      const key = canonicalKey(next);
      if (seen.has(key)) return;
      seen.add(key);
      void queue.add(() => visit(key));
    });
  };
  void queue.add(() => visit(seed));
  await queue.onIdle();
  return fetched;
}

async function crawlCrawlee(seed: string): Promise<number> {
  // crawlee is a benchmark-only dev dependency; the import is dynamic so the project builds without it.
  const crawleeModule = 'crawlee';
  const { CheerioCrawler, Configuration } = (await import(crawleeModule)) as {
    CheerioCrawler: new (options: object, config?: unknown) => { run(urls: string[]): Promise<unknown> };
    Configuration: new (options: object) => unknown;
  };
  let fetched = 0;
  const crawler = new CheerioCrawler(
    {
      maxConcurrency: CONCURRENCY,
      minConcurrency: CONCURRENCY,
      maxRequestsPerCrawl: PAGES + 10,
      requestHandler: async ({ $, enqueueLinks }: { $: (selector: string) => { text(): string }; enqueueLinks: (options: object) => Promise<unknown> }) => {
        fetched += 1;
        void $('h1').text();
        await enqueueLinks({ globs: ['**/p/*.html*'], transformRequestFunction: (request: { url: string }) => ({ ...request, url: canonicalKey(request.url) }) });
      },
    },
    new Configuration({ persistStorage: false }),
  );
  await crawler.run([seed]);
  return fetched;
}

async function crawleeInstalled(): Promise<boolean> {
  try {
    const crawleeModule = 'crawlee';
    await import(crawleeModule);
    return true;
  } catch {
    return false;
  }
}

function runWorker(crawler: string, seed: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const profiling = CPU_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROFILE_DIR] : [];
    const child = spawn(process.execPath, [...profiling, fileURLToPath(import.meta.url), 'worker', crawler, seed], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as RunResult) : reject(new Error(`${crawler} run failed (${code})`))));
  });
}

async function mainProcess(): Promise<void> {
  const site = await startGeneratedSite(PAGES, 50_000);
  const crawlers = ['chronik', 'loop', ...((await crawleeInstalled()) ? ['crawlee'] : [])].filter((crawler) => !ONLY_CRAWLERS || ONLY_CRAWLERS.includes(crawler));
  const results: RunResult[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const crawler of crawlers) {
        const result = await runWorker(crawler, site.seed);
        console.log(`run ${run + 1} ${crawler.padEnd(8)} ${result.pages} pages  ${result.pagesPerSec} pages/s  peak RSS ${result.peakRssMB} MB  CPU ${result.cpuMsPerPage} ms/page`);
        results.push(result);
      }
    }
  } finally {
    await site.close();
  }
  const rows = crawlers.map((crawler) => {
    const mine = results.filter((result) => result.crawler === crawler);
    return {
      crawler,
      runs: mine.length,
      pages: mine[0]?.pages ?? 0,
      'median pages/s': median(mine.map((result) => result.pagesPerSec)),
      'median peak RSS (MB)': median(mine.map((result) => result.peakRssMB)),
      'median CPU ms/page': median(mine.map((result) => result.cpuMsPerPage)),
    };
  });
  // A partial run (one crawler, or profiling) is for looking at, not for BENCHMARKS.md.
  if (ONLY_CRAWLERS || CPU_PROFILE_DIR) return;
  writeBenchmarkReport({
    name: 'crawl',
    title: 'Crawl throughput',
    command: 'npm run bench:crawl',
    rows,
    notes: [
      `Generated site: ${PAGES} article pages of about 50 KB on 127.0.0.1 (one origin), 8 links each, each page its own canonical URL (so each becomes an index document, built and queued in the outbox); politeness limits off, concurrency ${CONCURRENCY}.`,
      'chronik = the whole pipeline: node:http fetch, SQLite frontier (one transaction per lease and per completed page with its links), WARC archive (gzip level 1 per record), extraction and index document building, relevance, SQLite outbox; Meilisearch delivery not included. Pages are parsed and extracted once, on cores − 1 worker threads (src/pipeline/extract-pool.ts; CHRONIK_EXTRACT_WORKERS overrides).',
      'loop = fetch + cheerio (htmlparser2) + p-queue, no archive, no state: the floor.',
      crawlers.includes('crawlee') ? 'crawlee = CheerioCrawler, same site and settings, storage in memory.' : 'crawlee is not installed (benchmark-only dev dependency); its column is missing.',
      ...ratioNote(rows),
      'Each run is a separate process; crawlers alternate; medians shown. CPU ms/page = user + system CPU of the run (all threads) per page: steadier than pages/s on a shared machine.',
    ],
  });
}

/** The target, from the medians: at least 2× crawlee's pages/s with no more memory. */
function ratioNote(rows: Array<{ crawler: string; 'median pages/s': number; 'median peak RSS (MB)': number }>): string[] {
  const chronik = rows.find((row) => row.crawler === 'chronik');
  const crawlee = rows.find((row) => row.crawler === 'crawlee');
  if (!chronik || !crawlee || crawlee['median pages/s'] === 0) return [];
  const ratio = chronik['median pages/s'] / crawlee['median pages/s'];
  return [`Chronik ÷ crawlee: ${ratio.toFixed(2)}× the pages/s (target ≥ 2×), peak RSS ${chronik['median peak RSS (MB)']} vs ${crawlee['median peak RSS (MB)']} MB (target: no more).`];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * A generated news site for the crawl benchmark: `pageCount` article pages of about
 * `pageBytes` each, built from a real fixture article (same layout the extractor knows), each
 * linking to eight others so that every page is reachable from /p/0.html.
 */
interface GeneratedSite {
  origin: string;
  seed: string;
  close(): Promise<void>;
}

async function startGeneratedSite(pageCount = 2000, pageBytes = 50_000): Promise<GeneratedSite> {
  const template = readFileSync(path.join(projectRoot(), TEMPLATE_PATH), 'utf8');
  const pages = Array.from({ length: pageCount }, (_, index) => Buffer.from(renderPage(template, index, pageCount, pageBytes)));
  const server: Server = createServer((request, response) => {
    const match = /^\/p\/(\d+)\.html/.exec(request.url ?? '');
    const page = match ? pages[Number(match[1])] : undefined;
    if (!page) return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': page.byteLength }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    seed: `${origin}/p/0.html`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

if (process.argv[2] === 'worker') await worker(process.argv[3]!, process.argv[4]!);
else await mainProcess();
