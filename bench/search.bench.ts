/**
 * `npm run bench:search [-- DOCS]` (or CHRONIK_BENCH_DOCS; default 100000): latency of timeline
 * queries (text + date range + facets + date sort + histogram + highlighted snippets) end to end
 * through Chronik's HTTP API, side by side with Meilisearch's own processingTimeMs for the same
 * requests. Generates deterministic German-ish documents, indexes them into a bundled Meilisearch
 * in a temporary folder, and writes the 'search' section of BENCHMARKS.md.
 */
import { fork } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getFreePort } from '../src/index/free-port.js';
import { germanSearchTerms } from '../src/index/german-terms.js';
import { openArticleIndex } from '../src/index/meili-client.js';
import { connectMeili } from '../src/index/meili-server.js';
import type { IndexDocument } from '../src/pipeline/types.js';
import { berlinBuckets, toBerlinIso } from '../src/scrapers/extract/dates/berlin-time.js';
import { toSearchRequest } from '../src/search/to-search-params.js';
import { createApp, listen } from '../src/server/app.js';
import { queryFromSearchParams } from '../src/server/query-params.js';
import { writeBenchmarkReport } from './lib/report.js';

const DOCS = Number((process.argv[2] !== '--serve' && process.argv[2]) || process.env.CHRONIK_BENCH_DOCS || 100_000);
const BATCH = 10_000;
const WARMUP = 30;
const MEASURED = Number(process.env.CHRONIK_BENCH_QUERIES ?? 400);

/** mulberry32: the same documents and queries on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'der die das und in den von zu mit sich des auf für ist im dem nicht ein eine als auch es an werden aus er hat dass sie nach wird bei ' +
  'einer um am sind noch wie einem über einen so zum war haben nur oder aber vor zur bis mehr durch man sein wurde sei ' +
  'Verwaltung Landkreis Stadt Gemeinde Bürger Bürgermeister Landrat Behörde Amt Rathaus Polizei Feuerwehr Schule Kita Krankenhaus ' +
  'Straße Brücke Hafen Bahn Bus Verkehr Wetter Sturm Regen Hochwasser Ernte Landwirt Betrieb Firma Unternehmen Arbeit Stelle ' +
  'Haushalt Millionen Euro Kosten Förderung Land Bund Minister Ministerium Landtag Fraktion Opposition Antrag Beschluss Sitzung ' +
  'Daten Server Netzwerk Computer Software Systeme Dienstleister Ermittler Staatsanwaltschaft Anzeige Täter Schaden Angriff ' +
  'Sicherheit Experten Untersuchung Bericht Ergebnis Woche Monat Jahr Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag ' +
  'wieder bereits weiterhin zunächst inzwischen künftig dringend deutlich schnell langsam offen geschlossen möglich notwendig ' +
  'Zulassung Kennzeichen Führerschein Ausweis Termin Antrag Formular Bescheid Gebühr Wartezeit Öffnungszeiten Notbetrieb'
).split(/\s+/);
const TOPICS = ['Cyberangriff', 'Hackerangriff', 'Schadsoftware', 'Erpressung', 'Lösegeld', 'Stromausfall', 'Schweinepest', 'Wahl', 'Baustelle', 'Hafenfest'];
const PLACES = ['Schwerin', 'Parchim', 'Ludwigslust', 'Wismar', 'Rostock', 'Hagenow', 'Grevesmühlen', 'Güstrow', 'Neubrandenburg', 'Stralsund'];
const AGENCIES = ['dpa', 'dpa/mv', 'epd', 'AFP', null];
const SITES = ['kuestenkurier.de', 'nordpost.de', 'ticker-mv.de', 'havelblick.de', 'elbe-anzeiger.de', 'ostsee-bote.de', 'mv-aktuell.de', 'seenplatte24.de'];
const START = Date.UTC(2021, 0, 1);
const SPAN_MS = Date.UTC(2025, 0, 1) - START;

function sentence(next: () => number, topic: string, place: string): string {
  const length = 8 + Math.floor(next() * 14);
  const words: string[] = [];
  for (let i = 0; i < length; i++) {
    const roll = next();
    words.push(roll < 0.04 ? topic : roll < 0.06 ? place : WORDS[Math.floor(next() * WORDS.length)]!);
  }
  const text = words.join(' ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

/** Stories of 2–4 copies on different sites, a few hours apart; ~3 KB bodies. */
export function generateDocuments(count: number): IndexDocument[] {
  const next = random(42);
  const documents: IndexDocument[] = [];
  for (let story = 0; documents.length < count; story++) {
    const topic = TOPICS[Math.floor(next() * TOPICS.length)]!;
    const place = PLACES[Math.floor(next() * PLACES.length)]!;
    const agency = AGENCIES[Math.floor(next() * AGENCIES.length)] ?? null;
    const storyAt = START + Math.floor(next() * SPAN_MS);
    const headline = `${topic}: ${sentence(next, topic, place).slice(0, 70)}`;
    const sentences: string[] = [];
    while (sentences.join(' ').length < 2900) sentences.push(sentence(next, topic, place));
    const body = sentences.join(' ');
    const searchTerms = germanSearchTerms([place, headline, body]);
    const copies = Math.min(2 + Math.floor(next() * 3), count - documents.length);
    const firstSite = Math.floor(next() * SITES.length);
    const storyId = `s${story}`;
    for (let copy = 0; copy < copies; copy++) {
      const site = SITES[(firstSite + copy) % SITES.length]!;
      const at = storyAt + copy * Math.floor(next() * 6 * 3_600_000);
      const buckets = berlinBuckets(at);
      const id = `${storyId}c${copy}`;
      const url = `https://${site}/artikel/${id}.html`;
      documents.push({
        id, storyId: copy === 0 ? id : `${storyId}c0`, url, canonicalUrl: url, site, headline, kicker: place, lead: null, body,
        dateline: agency ? `${place} (${agency})` : null, place, agency,
        publishedAt: Math.floor(at / 1000), publishedIso: toBerlinIso(at), publishedSource: 'meta',
        day: buckets.day, week: buckets.week, month: buckets.month, imageCaptions: [], imageCredits: [], searchTerms,
        fetchedAt: '2025-01-01T00:00:00Z', warcFile: null, warcOffset: null, payloadDigest: null,
      });
    }
  }
  return documents;
}

interface BenchQuery {
  path: string;
  text: string;
  params: Record<string, unknown>;
}

function queries(count: number): BenchQuery[] {
  const next = random(7);
  const texts = ['Cyberangriff', 'Hackerangriff Verwaltung', 'Führerschein Termin', 'Landrat Schwerin', 'Schadsoftware Server', 'Hochwasser', 'Zulassung Notbetrieb', 'Polizei Ermittler', 'Haushalt Millionen', 'Schweinepest'];
  const list: BenchQuery[] = [];
  for (let i = 0; i < count; i++) {
    const text = texts[Math.floor(next() * texts.length)]!;
    const fromMs = START + Math.floor(next() * SPAN_MS * 0.8);
    const days = 30 + Math.floor(next() * 700);
    const from = new Date(fromMs).toISOString().slice(0, 10);
    const to = new Date(Math.min(fromMs + days * 86_400_000, START + SPAN_MS - 86_400_000)).toISOString().slice(0, 10);
    const group = days > 400 ? 'month' : next() < 0.5 ? 'week' : 'month';
    const search = new URLSearchParams({ q: text, from, to, group, sort: 'date-asc' });
    list.push({ path: `/api/search?${search}`, text, params: { from, to, group } });
  }
  return list;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (value: number) => Math.round(value * 10) / 10;

interface MeiliDirect {
  url: string;
  apiKey: string;
}

/**
 * The measuring client: node:http on a kept-alive connection, the answer read and parsed as JSON.
 * Node's fetch costs the client about a millisecond more per request, which is neither Chronik's
 * nor Meilisearch's time; both sides (Chronik and Meilisearch direct) use this same client.
 */
const clientAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });

interface ClientAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  json: unknown;
}

function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<ClientAnswer> {
  return new Promise((resolve, reject) => {
    const sent = http.request(url, { method: options.method ?? 'GET', agent: clientAgent, headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        try {
          resolve({ status: response.statusCode ?? 0, headers: response.headers, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch (error) {
          reject(error as Error);
        }
      });
      response.on('error', reject);
    });
    sent.on('error', reject);
    sent.end(options.body);
  });
}

/** The same search straight to Meilisearch's HTTP API (no Chronik): its own end-to-end time. */
async function direct(meili: MeiliDirect, query: BenchQuery, suffix: string): Promise<{ ms: number; processingTimeMs: number }> {
  const search = toSearchRequest(queryFromSearchParams(new URLSearchParams(`${query.path.split('?')[1]}${suffix}`)));
  const body = JSON.stringify({ q: search.text, ...search.params });
  const started = performance.now();
  const answer = await request(`${meili.url}/indexes/bench/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${meili.apiKey}`, 'content-length': String(Buffer.byteLength(body)) },
    body,
  });
  return { ms: performance.now() - started, processingTimeMs: (answer.json as { processingTimeMs: number }).processingTimeMs };
}

/** The HTTP round trip alone, client to Chronik's process and back (GET /api/health): the floor under every API figure. */
async function roundTripFloor(base: string, count: number): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + count; i++) {
    const started = performance.now();
    await request(`${base}api/health`);
    if (i >= WARMUP) times.push(performance.now() - started);
  }
  return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)) };
}

async function measure(base: string, meiliDirect: MeiliDirect, list: BenchQuery[], suffix: string) {
  const endToEnd: number[] = [];
  const meili: number[] = [];
  const overhead: number[] = [];
  const raw: number[] = [];
  const overheadDirect: number[] = [];
  /** Meilisearch's own answer time beyond the processingTimeMs it reports, asked directly (no Chronik). */
  const directBeyond: number[] = [];
  /** From Chronik's Server-Timing header: its own work, and its Meilisearch requests as it waited for them. */
  const app: number[] = [];
  const meiliFromChronik: number[] = [];
  let hits = 0;
  for (const [i, query] of list.entries()) {
    const directAnswer = await direct(meiliDirect, query, suffix);
    const rawMs = directAnswer.ms;
    const started = performance.now();
    const response = await request(`${base}${query.path.slice(1)}${suffix}`);
    const body = response.json as { processingTimeMs: number; hits: unknown[]; error?: string };
    const elapsed = performance.now() - started;
    if (response.status !== 200) throw new Error(`${query.path}: ${body.error}`);
    if (i < WARMUP) continue;
    endToEnd.push(elapsed);
    raw.push(rawMs);
    meili.push(body.processingTimeMs);
    overhead.push(elapsed - body.processingTimeMs);
    overheadDirect.push(elapsed - rawMs);
    directBeyond.push(rawMs - directAnswer.processingTimeMs);
    const timing = serverTiming(String(response.headers['server-timing'] ?? ''));
    app.push(timing.app ?? Number.NaN);
    meiliFromChronik.push(timing.meili ?? Number.NaN);
    hits += body.hits.length;
  }
  return { endToEnd, meili, overhead, raw, overheadDirect, directBeyond, app, meiliFromChronik, hits };
}

/** "meili;dur=12.3, app;dur=0.8" → { meili: 12.3, app: 0.8 } */
function serverTiming(header: string | null): Record<string, number> {
  const timings: Record<string, number> = {};
  for (const part of (header ?? '').split(',')) {
    const match = /^\s*([\w-]+);dur=([\d.]+)/.exec(part);
    if (match) timings[match[1]!] = Number(match[2]);
  }
  return timings;
}

async function main(): Promise<void> {
  // CHRONIK_BENCH_DIR keeps the Meilisearch data between runs (indexing 100k documents takes minutes).
  const keep = process.env.CHRONIK_BENCH_DIR;
  if (keep) await mkdir(keep, { recursive: true });
  const dataDir = keep ?? (await mkdtemp(path.join(os.tmpdir(), 'chronik-bench-search-')));
  const meili = await connectMeili({ dataDir, port: await getFreePort(), maxIndexingMemory: '2GiB', log: (message) => console.log(message) });
  try {
    const index = openArticleIndex({ url: meili.url, apiKey: meili.apiKey }, 'bench');
    await index.prepare();
    let indexingSeconds: number | undefined;
    if ((await index.documentCount()) !== DOCS) {
      await index.deleteAllDocuments();
      const generated = performance.now();
      const documents = generateDocuments(DOCS);
      console.log(`Generated ${documents.length} documents in ${Math.round(performance.now() - generated)} ms`);
      const indexing = performance.now();
      for (let offset = 0; offset < documents.length; offset += BATCH) {
        await index.upsert(documents.slice(offset, offset + BATCH));
        console.log(`  indexed ${Math.min(offset + BATCH, documents.length)} (${Math.round((performance.now() - indexing) / 1000)} s)`);
      }
      indexingSeconds = Math.round((performance.now() - indexing) / 1000);
    }
    // The API runs in its own process, as under `chronik serve`: the measuring client does not share its event loop.
    const server = fork(fileURLToPath(import.meta.url), ['--serve'], {
      env: { ...process.env, CHRONIK_BENCH_MEILI_URL: meili.url, CHRONIK_BENCH_MEILI_KEY: meili.apiKey },
    });
    const base = await new Promise<string>((resolve, reject) => {
      server.once('message', (message) => resolve(String(message)));
      server.once('exit', (code) => reject(new Error(`API process exited (${code})`)));
    });
    try {
      const list = queries(WARMUP + MEASURED);
      const load = os.loadavg()[0]!.toFixed(1);
      const rows = [];
      for (const [view, suffix] of [
        ['copies, 25 hits (the page)', '&limit=25'],
        ['copies, 50 hits', '&limit=50'],
        ['stories, 25 hits (distinct + siblings: 2 requests)', '&limit=25&view=stories'],
      ] as const) {
        rows.push({ view, ...figures(await measure(base, meili, list, suffix)) });
      }
      const floor = await roundTripFloor(base, MEASURED);
      const loadAfter = os.loadavg()[0]!.toFixed(1);
      console.table(rows);
      writeBenchmarkReport({
        name: 'search',
        title: `Timeline search latency at ${DOCS.toLocaleString('en')} documents`,
        command: `npm run bench:search${DOCS === 100_000 ? '' : ` -- ${DOCS}`}`,
        rows,
        notes: [
          `${DOCS} generated documents (~3 KB German-ish bodies, 2021–2024, ${SITES.length} sites, stories of 2–4 copies), bundled Meilisearch 1.21, index settings from src/index/index-settings.ts${indexingSeconds === undefined ? ' (index reused from CHRONIK_BENCH_DIR)' : `; indexing took ${indexingSeconds} s`}.`,
          `${MEASURED} timeline queries after ${WARMUP} warm-up queries, one at a time, each: text + date range (30–730 days) + site/place/agency facets + histogram facet (week or month) + date sort + 25 or 50 hits with highlighted snippets cropped from ~3 KB bodies.`,
          'End to end = HTTP GET /api/search on 127.0.0.1 (createApp in a child process, as `chronik serve`) until the JSON is parsed by the client (node:http on a kept-alive connection; Node\'s fetch would add about 1 ms of client time per request to both sides); Meilisearch = the processingTimeMs it reports for the same request(s); overhead = end to end − Meilisearch, per query; overhead vs direct = end to end − Meilisearch direct, per query.',
          'Meilisearch direct = the same search POSTed straight to Meilisearch from the bench process (its HTTP + JSON cost without Chronik), measured just before each Chronik request.',
          "Chronik own work = the API handler's time minus its wait for Meilisearch (query parsing, reshaping hits/facets/histogram, JSON), from its Server-Timing header; Meilisearch as Chronik waits = the same header's wait for Meilisearch's HTTP answer. Chronik adds = end to end − that wait, per query: Chronik's own work plus the client↔Chronik HTTP hop, i.e. everything that is not Meilisearch answering; Meilisearch beyond its processingTimeMs = that wait − processingTimeMs, per query (Meilisearch's HTTP, JSON and the formatting it does not count).",
          `HTTP round trip floor (GET /api/health from the same client to the same process, a 16-byte answer): p50 ${floor.p50} ms, p95 ${floor.p95} ms. Every API answer pays it; it is part of "Chronik adds".`,
          `Load average (1 min) ${load} before and ${loadAfter} after the queries on this ${os.cpus().length}-core machine; other work running at the same time inflates every figure.`,
          'Meilisearch 1.21 leaves part of its highlighting/cropping out of processingTimeMs: with cropped bodies its own HTTP answer takes clearly longer than the time it reports, so "overhead vs direct" is the fairer measure of what Chronik adds.',
          'Targets (issue 7): end to end p95 ≤ 50 ms; Chronik overhead p95 ≤ 5 ms.',
          'Reading "overhead": the part of end to end minus processingTimeMs that is Meilisearch\'s own is in "Meilisearch beyond its processingTimeMs", and Meilisearch shows the same when asked directly without Chronik ("Meilisearch direct beyond its processingTimeMs"): its HTTP answer and JSON, and processingTimeMs is whole milliseconds, cut down. What Chronik adds to the time Meilisearch takes to answer it, for the same request, is "Chronik adds" (its own work plus the client↔Chronik round trip).',
        ],
      });
    } finally {
      server.kill();
    }
  } finally {
    await meili.release();
    if (!keep) await rm(dataDir, { recursive: true, force: true });
  }
}

function figures(result: Awaited<ReturnType<typeof measure>>) {
  return {
    'end to end p50 (ms)': round(percentile(result.endToEnd, 50)),
    'end to end p95 (ms)': round(percentile(result.endToEnd, 95)),
    'Meilisearch p50 (ms)': round(percentile(result.meili, 50)),
    'Meilisearch p95 (ms)': round(percentile(result.meili, 95)),
    'Meilisearch direct p50 (ms)': round(percentile(result.raw, 50)),
    'Meilisearch direct p95 (ms)': round(percentile(result.raw, 95)),
    'overhead p50 (ms)': round(percentile(result.overhead, 50)),
    'overhead p95 (ms)': round(percentile(result.overhead, 95)),
    'Meilisearch direct beyond its processingTimeMs p50 (ms)': round(percentile(result.directBeyond, 50)),
    'Meilisearch direct beyond its processingTimeMs p95 (ms)': round(percentile(result.directBeyond, 95)),
    'overhead vs direct p50 (ms)': round(percentile(result.overheadDirect, 50)),
    'overhead vs direct p95 (ms)': round(percentile(result.overheadDirect, 95)),
    'Chronik own work p50 (ms)': round(percentile(result.app, 50)),
    'Chronik own work p95 (ms)': round(percentile(result.app, 95)),
    'Meilisearch as Chronik waits p95 (ms)': round(percentile(result.meiliFromChronik, 95)),
    'Meilisearch beyond its processingTimeMs p50 (ms)': round(percentile(result.meiliFromChronik.map((wait, i) => wait - result.meili[i]!), 50)),
    'Meilisearch beyond its processingTimeMs p95 (ms)': round(percentile(result.meiliFromChronik.map((wait, i) => wait - result.meili[i]!), 95)),
    'Chronik adds p50 (ms)': round(percentile(result.endToEnd.map((elapsed, i) => elapsed - result.meiliFromChronik[i]!), 50)),
    'Chronik adds p95 (ms)': round(percentile(result.endToEnd.map((elapsed, i) => elapsed - result.meiliFromChronik[i]!), 95)),
    'mean hits': Math.round(result.hits / result.endToEnd.length),
  };
}

/** Child process: the HTTP API alone, on a free port it reports to the parent. */
async function serveOnly(): Promise<void> {
  const index = openArticleIndex({ url: process.env.CHRONIK_BENCH_MEILI_URL!, apiKey: process.env.CHRONIK_BENCH_MEILI_KEY! }, 'bench');
  const { url } = await listen(createApp({ index, webDir: path.join(os.tmpdir(), 'no-web') }), '127.0.0.1', await getFreePort());
  process.send!(url);
  process.on('disconnect', () => process.exit(0));
}

if (process.argv[2] === '--serve') await serveOnly();
else await main();
