/**
 * `npm run eval:real [-- DIR]`: scores Chronik's generic extractor on a folder of real pages laid out
 * as manifest.json + pages/ (default ../shared/realpages from the project root), with the scoring
 * its README defines (the peers' own metrics). Prints the figures and writes the 'eval-real'
 * section of BENCHMARKS.md. The pages are read at evaluation time only; nothing is copied.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { extractRecord } from '../src/scrapers/extract/extract-article.js';
import type { ArticleRecord } from '../src/pipeline/types.js';

export interface RealPage {
  id: string;
  file: string;
  url: string;
  site: string;
  lang: string;
  expected: {
    date?: string;
    title?: string;
    with?: string[];
    without?: string[];
    articleBody?: string;
  };
}

/** What the scoring reads from one extraction; absent when nothing was extracted. */
export interface Prediction {
  date?: string | undefined;
  title?: string | undefined;
  body?: string | undefined;
}

export interface EvalFigures {
  pages: number;
  date: { pages: number; tp: number; fp: number; fn: number; accuracy: number; precision: number; recall: number; f1: number };
  title: { pages: number; exact: number; containment: number };
  germanBody: { pages: number; tp: number; fp: number; fn: number; tn: number; precision: number; recall: number; f1: number; passRate: number };
  englishBody: { pages: number; precision: number; recall: number; f1: number };
}

/** The project root: the nearest folder above this script holding package.json. */
export function findProjectRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${from}`);
    dir = parent;
  }
  return dir;
}

export function defaultRealPagesDir(): string {
  return path.resolve(findProjectRoot(), '..', 'shared', 'realpages');
}

export function readRealPages(dir: string): RealPage[] {
  return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as RealPage[];
}

export function readPageBytes(dir: string, page: RealPage): Uint8Array {
  return readFileSync(path.join(dir, page.file));
}

/** Chronik's record → what the scoring compares: publication day, headline, body (lead included). */
export function predictionFromRecord(record: ArticleRecord | undefined): Prediction {
  if (!record) return {};
  return {
    date: record.published?.value.slice(0, 10),
    title: record.headline.value,
    // The scoring counts a standfirst as body text.
    body: [record.teaser, ...record.paragraphs].filter(Boolean).join('\n'),
  };
}

export function chronikPredict(page: RealPage, bytes: Uint8Array): Prediction {
  // The article gate (minimum body length) is crawler policy, not extraction: score the record.
  return predictionFromRecord(extractRecord({ body: bytes, url: page.url, headers: {}, fetchedAt: '2030-01-01T00:00:00Z' }));
}

// ---- scoring, exactly as the README defines it ----

const QUOTES: Array<[RegExp, string]> = [
  [/[\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u301d\u301e\uff02]/g, '"'],
  [/[\u2018\u2019\u201a\u201b\u2039\u203a\u2032\u00b4\u0060]/g, "'"],
  [/[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d]/g, '-'],
];

/** NFKC, casefold, quotes and dashes to ASCII, whitespace removed. */
export function normaliseTitle(title: string): string {
  let text = title.normalize('NFKC').toLowerCase().replace(/ß|ẞ/g, 'ss').replace(/ς/g, 'σ');
  for (const [pattern, replacement] of QUOTES) text = text.replace(pattern, replacement);
  return text.replace(/\s+/gu, '');
}

function collapse(text: string): string {
  return text.replace(/\s+/gu, ' ').normalize('NFC');
}

const WORD = /[\p{L}\p{N}\p{M}\p{Pc}]+/gu;

function shingles(text: string): Map<string, number> {
  const tokens = text.match(WORD) ?? [];
  const counts = new Map<string, number>();
  if (tokens.length === 0) return counts;
  const width = Math.min(4, tokens.length);
  for (let i = 0; i + width <= tokens.length; i++) {
    const key = tokens.slice(i, i + width).join('\u0001');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Per-page shingle precision/recall (precision undefined when there is no output). */
export function shingleScore(predicted: string, expected: string): { precision?: number; recall: number } {
  const pred = shingles(predicted);
  const truth = shingles(expected);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [key, count] of pred) {
    const t = truth.get(key) ?? 0;
    tp += Math.min(count, t);
    fp += Math.max(count - t, 0);
  }
  for (const [key, count] of truth) fn += Math.max(count - (pred.get(key) ?? 0), 0);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  return pred.size === 0 ? { recall } : { precision: tp + fp === 0 ? 0 : tp / (tp + fp), recall };
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

export function scorePages(pages: RealPage[], predictions: Prediction[]): EvalFigures {
  const date = { pages: 0, tp: 0, fp: 0, fn: 0 };
  const title = { pages: 0, exact: 0, contained: 0 };
  const german = { pages: 0, tp: 0, fp: 0, fn: 0, tn: 0, passed: 0 };
  const englishPrecisions: number[] = [];
  const englishRecalls: number[] = [];
  pages.forEach((page, i) => {
    const prediction = predictions[i] ?? {};
    const expected = page.expected;
    if (expected.date) {
      date.pages++;
      if (!prediction.date) date.fn++;
      else if (prediction.date === expected.date) date.tp++;
      else date.fp++;
    }
    if (expected.title) {
      title.pages++;
      const want = normaliseTitle(expected.title);
      const got = normaliseTitle(prediction.title ?? '');
      if (got === want) title.exact++;
      if (got && (got.includes(want) || want.includes(got))) title.contained++;
    }
    if (expected.with || expected.without) {
      german.pages++;
      const body = collapse(prediction.body ?? '');
      let pass = true;
      for (const snippet of expected.with ?? []) {
        if (body.includes(collapse(snippet))) german.tp++;
        else {
          german.fn++;
          pass = false;
        }
      }
      for (const snippet of expected.without ?? []) {
        if (body.includes(collapse(snippet))) {
          german.fp++;
          pass = false;
        } else german.tn++;
      }
      if (pass) german.passed++;
    }
    if (expected.articleBody !== undefined) {
      const score = shingleScore(prediction.body ?? '', expected.articleBody);
      if (score.precision !== undefined) englishPrecisions.push(score.precision);
      englishRecalls.push(score.recall);
    }
  });
  const mean = (values: number[]) => ratio(values.reduce((a, b) => a + b, 0), values.length);
  const datePrecision = ratio(date.tp, date.tp + date.fp);
  const dateRecall = ratio(date.tp, date.tp + date.fn);
  const gPrecision = ratio(german.tp, german.tp + german.fp);
  const gRecall = ratio(german.tp, german.tp + german.fn);
  const ePrecision = mean(englishPrecisions);
  const eRecall = mean(englishRecalls);
  return {
    pages: pages.length,
    date: {
      ...date,
      accuracy: ratio(date.tp, date.pages),
      precision: datePrecision,
      recall: dateRecall,
      f1: ratio(2 * datePrecision * dateRecall, datePrecision + dateRecall),
    },
    title: { pages: title.pages, exact: ratio(title.exact, title.pages), containment: ratio(title.contained, title.pages) },
    germanBody: {
      pages: german.pages, tp: german.tp, fp: german.fp, fn: german.fn, tn: german.tn,
      precision: gPrecision, recall: gRecall, f1: ratio(2 * german.tp, 2 * german.tp + german.fp + german.fn),
      passRate: ratio(german.passed, german.pages),
    },
    englishBody: { pages: englishRecalls.length, precision: ePrecision, recall: eRecall, f1: ratio(2 * ePrecision * eRecall, ePrecision + eRecall) },
  };
}

/** Runs Chronik over every page of `dir` and scores it. */
export function evaluateDir(dir: string): { figures: EvalFigures; seconds: number } {
  const pages = readRealPages(dir);
  const inputs = pages.map((page) => readPageBytes(dir, page));
  const started = process.hrtime.bigint();
  const predictions = pages.map((page, i) => chronikPredict(page, inputs[i]!));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { figures: scorePages(pages, predictions), seconds };
}

/** The figures floors.json pins, rounded as printed. */
export function headlineFigures(figures: EvalFigures): Record<string, number> {
  const r = (value: number) => Math.round(value * 1000) / 1000;
  return {
    dateAccuracy: r(figures.date.accuracy),
    titleExact: r(figures.title.exact),
    germanBodyF1: r(figures.germanBody.f1),
    germanPassRate: r(figures.germanBody.passRate),
    englishBodyF1: r(figures.englishBody.f1),
  };
}

const f3 = (value: number) => value.toFixed(3);

export function formatFigures(figures: EvalFigures): string[] {
  const { date, title, germanBody: g, englishBody: e } = figures;
  return [
    `Date: accuracy ${f3(date.accuracy)} (${date.tp}/${date.pages}), precision ${f3(date.precision)}, recall ${f3(date.recall)}, F1 ${f3(date.f1)} [TP ${date.tp}, FP ${date.fp}, FN ${date.fn}]`,
    `Title: exact-match ${f3(title.exact)}, containment ${f3(title.containment)} (${title.pages} pages)`,
    `German body: precision ${f3(g.precision)}, recall ${f3(g.recall)}, F1 ${f3(g.f1)}, pass rate ${f3(g.passRate)} (${g.pages} pages; TP ${g.tp}, FP ${g.fp}, FN ${g.fn}, TN ${g.tn})`,
    `English body: precision ${f3(e.precision)}, recall ${f3(e.recall)}, F1 ${f3(e.f1)} (${e.pages} pages)`,
  ];
}

async function runCli(): Promise<void> {
  const dir = path.resolve(process.argv[2] ?? defaultRealPagesDir());
  if (!existsSync(path.join(dir, 'manifest.json'))) {
    console.error(`eval-extraction: no manifest.json in ${dir} (pass a folder laid out as manifest.json + pages/)`);
    process.exitCode = 2;
    return;
  }
  const { figures, seconds } = evaluateDir(dir);
  const lines = formatFigures(figures);
  console.log(`Real pages: ${figures.pages} from ${dir}, extracted in ${seconds.toFixed(2)} s (${(figures.pages / seconds).toFixed(1)} pages/s)`);
  for (const line of lines) console.log(line);
  const { writeBenchmarkReport } = await import('./lib/report.js');
  const targets: Record<string, string> = { dateAccuracy: '≥ 0.92', titleExact: '', germanBodyF1: '≥ 0.93', germanPassRate: '', englishBodyF1: '≥ 0.96' };
  writeBenchmarkReport({
    name: 'eval-real',
    title: 'Extraction quality on real pages',
    command: process.argv[2] ? `npm run eval:real -- ${process.argv[2]}` : 'npm run eval:real',
    rows: Object.entries(headlineFigures(figures)).map(([figure, value]) => ({ figure, value: f3(value), target: targets[figure] ?? '' })),
    notes: [
      `${figures.pages} real pages (${path.basename(dir)}); scoring as its README defines it.`,
      ...lines,
      'Peers (their own corpora): date accuracy htmldate 0.903; body F1 trafilatura 0.924 (German set), Readability.js 0.947 and trafilatura 0.958 (English set).',
    ],
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCli();
}
