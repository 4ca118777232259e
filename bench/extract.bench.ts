/**
 * `npm run bench:extract [-- DIR]`: pages per second and body F1 of Chronik's extractor and of
 * @mozilla/readability on jsdom, side by side on the same real pages (../shared/realpages by
 * default), in alternating rounds so both see the same machine state. Writes the 'extract'
 * section of BENCHMARKS.md.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';
import { decodeHtml } from '../src/scrapers/extract/encoding.js';
import { extractRecord } from '../src/scrapers/extract/extract-article.js';
import { defaultRealPagesDir, predictionFromRecord, readPageBytes, readRealPages, scorePages, type Prediction, type RealPage } from './eval-extraction.js';
import { writeBenchmarkReport } from './lib/report.js';

const ROUNDS = 3;
const FETCHED_AT = '2030-01-01T00:00:00Z';

function chronik(page: RealPage, bytes: Uint8Array): Prediction {
  return predictionFromRecord(extractRecord({ body: bytes, url: page.url, headers: {}, fetchedAt: FETCHED_AT }));
}

const quiet = new VirtualConsole();

function readability(page: RealPage, bytes: Uint8Array): Prediction {
  const { text } = decodeHtml(bytes, undefined);
  try {
    // jsdom defaults: no scripts run, no subresources loaded, so nothing leaves the process.
    const dom = new JSDOM(text, { url: page.url, virtualConsole: quiet });
    const article = new Readability(dom.window.document).parse();
    dom.window.close();
    return { title: article?.title ?? undefined, body: article?.textContent ?? undefined };
  } catch {
    return {};
  }
}

function timed(pages: RealPage[], inputs: Uint8Array[], tool: (page: RealPage, bytes: Uint8Array) => Prediction) {
  const started = process.hrtime.bigint();
  const predictions = pages.map((page, i) => tool(page, inputs[i]!));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { predictions, pagesPerSecond: pages.length / seconds };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function main(): void {
  const dir = path.resolve(process.argv[2] ?? defaultRealPagesDir());
  if (!existsSync(path.join(dir, 'manifest.json'))) {
    console.error(`extract.bench: no manifest.json in ${dir}`);
    process.exitCode = 2;
    return;
  }
  const pages = readRealPages(dir);
  const inputs = pages.map((page) => readPageBytes(dir, page));
  const speeds = { chronik: [] as number[], readability: [] as number[] };
  let chronikPredictions: Prediction[] = [];
  let readabilityPredictions: Prediction[] = [];
  timed(pages.slice(0, 10), inputs, chronik); // warm-up
  timed(pages.slice(0, 10), inputs, readability);
  for (let round = 0; round < ROUNDS; round++) {
    const a = timed(pages, inputs, chronik);
    const b = timed(pages, inputs, readability);
    speeds.chronik.push(a.pagesPerSecond);
    speeds.readability.push(b.pagesPerSecond);
    chronikPredictions = a.predictions;
    readabilityPredictions = b.predictions;
    console.log(`round ${round + 1}: Chronik ${a.pagesPerSecond.toFixed(1)} pages/s, Readability ${b.pagesPerSecond.toFixed(1)} pages/s`);
  }
  const ours = scorePages(pages, chronikPredictions);
  const theirs = scorePages(pages, readabilityPredictions);
  const rows = [
    { tool: 'Chronik (cheerio/htmlparser2)', 'pages/s (median)': median(speeds.chronik).toFixed(1), 'German body F1': ours.germanBody.f1.toFixed(3), 'German pass rate': ours.germanBody.passRate.toFixed(3), 'English body F1': ours.englishBody.f1.toFixed(3) },
    { tool: '@mozilla/readability 0.6 on jsdom', 'pages/s (median)': median(speeds.readability).toFixed(1), 'German body F1': theirs.germanBody.f1.toFixed(3), 'German pass rate': theirs.germanBody.passRate.toFixed(3), 'English body F1': theirs.englishBody.f1.toFixed(3) },
  ];
  const ratio = median(speeds.chronik) / median(speeds.readability);
  for (const row of rows) console.log(Object.values(row).join('  |  '));
  console.log(`Speed ratio: Chronik ${ratio.toFixed(2)}× Readability`);
  writeBenchmarkReport({
    name: 'extract',
    title: 'Extraction speed and body quality: Chronik vs Readability',
    command: 'npm run bench:extract',
    rows,
    notes: [
      `${pages.length} real pages from ${path.basename(dir)}, ${ROUNDS} alternating rounds after a warm-up; median pages/s, single thread.`,
      `Chronik: full record (decode, parse, dates, headline, body, images, links). Readability: jsdom parse + Readability.parse(), body = textContent; both get the same decoded text.`,
      `Speed ratio: Chronik ${ratio.toFixed(2)}× Readability. Body F1 scored as in eval:real.`,
    ],
  });
}

main();
