/**
 * `npm run bench:index [-- --count N]`: N generated articles (about 3 KB of body each) through
 * Chronik's indexer until searchable, side by side with the same final documents posted
 * straight to Meilisearch (same settings, same batch size). Reports time, documents/s and
 * peak memory of both processes (this Node process and the Meilisearch server).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { scaledRecord, type ScaledRecord } from '../fixtures/server/scale-world.js';
import { getFreePort } from '../src/index/free-port.js';
import { DESIRED_SETTINGS } from '../src/index/index-settings.js';
import { openArticleIndex } from '../src/index/meili-client.js';
import { connectMeili } from '../src/index/meili-server.js';
import { deliverPending, IndexOutbox } from '../src/index/outbox.js';
import { withStories } from '../src/index/story-index.js';
import { StoryRegistry } from '../src/index/story-registry.js';
import { toIndexDocument } from '../src/index/to-index-document.js';
import type { ArticleRecord, IndexDocument } from '../src/pipeline/types.js';
import { writeBenchmarkReport } from './lib/report.js';

const count = Number(argument('--count') ?? 100_000);
const batchSize = Number(argument('--batch') ?? 5_000);
const chronikFirst = process.argv.includes('--chronik-first');
/** Documents taken from the outbox per delivery; the client splits them into requests of batchSize. */
const deliveryChunk = Number(argument('--chunk') ?? 5_000);
/** Diagnostic runs: print, but leave BENCHMARKS.md and bench/results alone. */
const writeReport = !process.argv.includes('--no-report');

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** What the crawl's extractor would have produced for a generated page. */
function toArticleRecord(record: ScaledRecord): ArticleRecord {
  return {
    url: record.url,
    canonicalUrl: record.url,
    site: record.site,
    headline: { value: record.headline, source: 'markup' },
    kicker: { value: record.kicker, source: 'markup' },
    lead: record.lead,
    paragraphs: record.body.split(/(?<=\.)\s+(?=[A-ZÄÖÜ])/).reduce<string[]>((paragraphs, sentence, i) => {
      if (i % 4 === 0) paragraphs.push(sentence);
      else paragraphs[paragraphs.length - 1] += ` ${sentence}`;
      return paragraphs;
    }, []),
    published: { value: record.publishedIso, source: 'json-ld' },
    dateline: { place: record.place, agency: record.agency },
    images: [],
    relatedLinks: [],
    fetchedAt: '2024-06-01T08:00:00.000Z',
  };
}

/** Samples peak RSS of this process and of the server while `work` runs, and the CPU time both used. */
async function measure<T>(
  serverPid: number,
  work: () => Promise<T>,
): Promise<{ result: T; seconds: number; nodePeakMb: number; meiliPeakMb: number; nodeCpuSeconds: number; meiliCpuSeconds: number }> {
  let nodePeak = 0;
  let meiliPeak = 0;
  const sample = () => {
    nodePeak = Math.max(nodePeak, process.memoryUsage().rss);
    meiliPeak = Math.max(meiliPeak, rssOf(serverPid));
  };
  const timer = setInterval(sample, 100);
  const started = performance.now();
  const nodeCpu = process.cpuUsage();
  const meiliCpu = cpuSecondsOf(serverPid);
  try {
    const result = await work();
    sample();
    const { user, system } = process.cpuUsage(nodeCpu);
    return {
      result,
      seconds: (performance.now() - started) / 1000,
      nodePeakMb: nodePeak / 2 ** 20,
      meiliPeakMb: meiliPeak / 2 ** 20,
      nodeCpuSeconds: (user + system) / 1e6,
      meiliCpuSeconds: cpuSecondsOf(serverPid) - meiliCpu,
    };
  } finally {
    clearInterval(timer);
  }
}

/** User + system CPU seconds of a process so far (/proc/PID/stat, in clock ticks of 1/100 s). */
function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function postRaw(url: string, apiKey: string, indexName: string, documents: IndexDocument[]): Promise<void> {
  const headers = { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json', 'Accept-Encoding': 'identity' };
  await fetch(`${url}/indexes`, { method: 'POST', headers, body: JSON.stringify({ uid: indexName, primaryKey: 'id' }) });
  let last = await (await fetch(`${url}/indexes/${indexName}/settings`, { method: 'PATCH', headers, body: JSON.stringify(DESIRED_SETTINGS) })).json() as { taskUid: number };
  for (let start = 0; start < documents.length; start += batchSize) {
    const response = await fetch(`${url}/indexes/${indexName}/documents?primaryKey=id`, { method: 'POST', headers, body: JSON.stringify(documents.slice(start, start + batchSize)) });
    last = (await response.json()) as { taskUid: number };
  }
  for (;;) {
    const task = (await (await fetch(`${url}/tasks/${last.taskUid}`, { headers })).json()) as { status: string; error?: { message: string } };
    if (task.status === 'succeeded') return;
    if (task.status === 'failed' || task.status === 'canceled') throw new Error(`raw load failed: ${task.error?.message}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface ServerBatches {
  batches: number;
  tasks: number;
  /** Sum of Meilisearch's own batch durations: what the server spent indexing. */
  seconds: number;
  taskTypes: Record<string, number>;
  /** One line per batch, oldest first, for --batches. */
  lines: string[];
}

/** What Meilisearch itself reports for an index: how many indexing batches, tasks and seconds. */
async function serverBatches(url: string, apiKey: string, indexName: string): Promise<ServerBatches> {
  const headers = { Authorization: `Bearer ${apiKey}` };
  const summary: ServerBatches = { batches: 0, tasks: 0, seconds: 0, taskTypes: {}, lines: [] };
  for (let from: number | null | undefined; ; ) {
    const page = (await (await fetch(`${url}/batches?limit=1000&indexUids=${indexName}${from == null ? '' : `&from=${from}`}`, { headers })).json()) as {
      results: Array<{ duration: string | null; details: Record<string, unknown>; stats: { totalNbTasks: number; types: Record<string, number> } }>;
      next: number | null;
    };
    for (const batch of page.results) {
      summary.batches += 1;
      summary.tasks += batch.stats.totalNbTasks;
      summary.seconds += isoSeconds(batch.duration);
      for (const [type, n] of Object.entries(batch.stats.types)) summary.taskTypes[type] = (summary.taskTypes[type] ?? 0) + n;
      summary.lines.unshift(`${isoSeconds(batch.duration).toFixed(2)} s  ${batch.stats.totalNbTasks} tasks  ${JSON.stringify(batch.details)}`);
    }
    if (page.next == null) return summary;
    from = page.next;
  }
}

/** ISO 8601 durations as Meilisearch writes them ("PT1M2.5S"). */
function isoSeconds(duration: string | null): number {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(duration ?? '');
  return match ? Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0) : 0;
}

function describeBatches(label: string, batches: ServerBatches): string {
  const types = Object.entries(batches.taskTypes).map(([type, n]) => `${n} ${type}`).join(', ');
  return `${label}: ${batches.batches} indexing batches for ${batches.tasks} tasks (${types}), ${batches.seconds.toFixed(1)} s of Meilisearch batch time`;
}

async function main(): Promise<void> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'chronik-bench-index-'));
  const meili = await connectMeili({ dataDir: path.join(workDir, 'meili'), port: await getFreePort(), maxIndexingMemory: '2GiB' });
  const serverPid = (JSON.parse(readFileSync(path.join(workDir, 'meili', 'server.json'), 'utf8')) as { pid: number }).pid;
  try {
    const loadBefore = os.loadavg()[0]!.toFixed(1);
    console.log(`Generating ${count} records …`);
    // Records are generated afresh where needed (they are deterministic) and dropped after use,
    // so neither side runs with the other side's 100,000 documents on its heap.
    const generate = () => Array.from({ length: count }, (_, i) => scaledRecord({ count, bytes: 3000 }, i));

    const runRaw = async () => {
      // The raw side gets Chronik's final documents, prepared outside the clock.
      const prepared = withStoryIds(generate().map((record) => toIndexDocument(toArticleRecord(record))));
      console.log('Raw load …');
      const run = await measure(serverPid, () => postRaw(meili.url, meili.apiKey, 'bench-raw', prepared));
      console.log(`  ${run.seconds.toFixed(1)} s`);
      return run;
    };
    // The second index loads next to the first; --chronik-first swaps the order to show that effect.
    let raw = chronikFirst ? undefined : await runRaw();

    console.log("Chronik's indexer …");
    const outbox = new IndexOutbox(path.join(workDir, 'outbox.sqlite'));
    // What the crawl does per article before indexing: build the document (German terms,
    // buckets, id) and queue it durably. Timed on its own, since a crawl spreads it over fetches.
    const records = generate();
    const building = await measure(serverPid, async () => {
      for (let start = 0; start < records.length; start += batchSize) {
        outbox.put(records.slice(start, start + batchSize).map((record) => toIndexDocument(toArticleRecord(record))));
      }
      return records.length;
    });
    console.log(`  documents built and queued: ${building.seconds.toFixed(1)} s`);
    records.length = 0;
    // The Node side of delivery alone: the same outbox reads, story grouping (a registry of its
    // own) and request bodies, without Meilisearch. Tells Chronik's own cost from the server's.
    const nodeSide = await measure(serverPid, async () => {
      const registry = new StoryRegistry(path.join(workDir, 'stories-node-side.sqlite'));
      let bytes = 0;
      for (let afterSeq = 0; ; ) {
        const batch = outbox.peek(deliveryChunk, afterSeq);
        if (batch.length === 0) break;
        bytes += JSON.stringify(registry.assign(batch.map((entry) => entry.document))).length;
        afterSeq = batch[batch.length - 1]!.seq;
      }
      registry.close();
      return bytes;
    });
    console.log(`  node side alone (outbox → stories → JSON): ${nodeSide.seconds.toFixed(1)} s, ${(nodeSide.result / 2 ** 20).toFixed(0)} MiB of JSON`);
    const chronik = await measure(serverPid, async () => {
      const index = withStories(openArticleIndex(meili, 'bench-chronik'), new StoryRegistry(path.join(workDir, 'stories.sqlite')));
      await index.prepare();
      // A bulk delivery of a backlog: story-id changes between batches go once at the end
      // instead of after every batch.
      return deliverPending(outbox, (documents) => index.enqueueDocuments(documents), deliveryChunk, 8, () => index.enqueuePendingStoryIds());
    });
    outbox.close();
    console.log(`  outbox → stories → searchable: ${chronik.seconds.toFixed(1)} s`);
    raw ??= await runRaw();

    const searchable = await openArticleIndex(meili, 'bench-chronik').search('Verwaltung', { limit: 1 });
    const row = (label: string, run: Awaited<ReturnType<typeof measure>>, documents: number) => ({
      path: label,
      documents,
      seconds: run.seconds.toFixed(1),
      'documents/s': Math.round(documents / run.seconds),
      'node peak MB': Math.round(run.nodePeakMb),
      'meilisearch peak MB': Math.round(run.meiliPeakMb),
      'node CPU s': run.nodeCpuSeconds.toFixed(1),
      'meilisearch CPU s': run.meiliCpuSeconds.toFixed(1),
    });
    const rows = [
      row('raw POST (same documents and settings)', raw, count),
      row("Chronik's indexer: outbox → story grouping → searchable", chronik, chronik.result),
      row('(crawl side) building documents + durable queueing', building, building.result),
      row('(Node side of delivery alone) outbox → story grouping → JSON, no Meilisearch', nodeSide, count),
    ];
    console.table(rows);
    const rawBatches = describeBatches('raw', await serverBatches(meili.url, meili.apiKey, 'bench-raw'));
    const chronikBatches = describeBatches('Chronik', await serverBatches(meili.url, meili.apiKey, 'bench-chronik'));
    console.log(`${rawBatches}\n${chronikBatches}`);
    if (process.argv.includes('--batches')) {
      for (const indexName of ['bench-raw', 'bench-chronik']) console.log(indexName, (await serverBatches(meili.url, meili.apiKey, indexName)).lines);
    }
    if (!writeReport) return;
    writeBenchmarkReport({
      name: 'index',
      title: `Indexing ${count.toLocaleString('en')} articles (bench:index)`,
      command: `npm run bench:index -- --count ${count}${chronikFirst ? ' --chronik-first' : ''}`,
      rows,
      notes: [
        `Chronik's indexer vs raw: ${((chronik.seconds / raw.seconds - 1) * 100).toFixed(1)} % time (target: within 10 %); with document building included: ${(((chronik.seconds + building.seconds) / raw.seconds - 1) * 100).toFixed(1)} %. Target for 100,000 documents: searchable in ≤ 300 s.`,
        'Document building (German search terms, calendar buckets, ids) happens in the crawl as each page is extracted; it is timed separately because a crawl spreads it over its fetches.',
        `Bundled Meilisearch 1.21 with --max-indexing-memory 2GiB, requests of ${batchSize} documents (Chronik takes ${deliveryChunk} at a time from its outbox); the raw side posts Chronik's final documents prepared outside the clock; the Chronik indexer is timed from documents waiting in the durable outbox to searchable, including story grouping (MinHash, SQLite registry) and the pipelined delivery.`,
        `After the load a search for "Verwaltung" found ${searchable.estimatedTotalHits ?? 0} documents.`,
        `Chronik's indexer: ${chronik.nodeCpuSeconds.toFixed(1)} s of Node CPU next to ${chronik.meiliCpuSeconds.toFixed(1)} s of Meilisearch CPU (raw load: ${raw.meiliCpuSeconds.toFixed(1)} s of Meilisearch CPU). On a 2-core machine every second of Node CPU is taken from Meilisearch's indexing threads, so the Node side alone (its own row, without Meilisearch) is what Chronik adds; load average (1 min) before/after: ${loadBefore} / ${os.loadavg()[0]!.toFixed(1)}.`,
        'Delivery of a backlog (deliverPending with StoryIndex.enqueueDocuments, finishing with enqueuePendingStoryIds): a first batch of 1,000 documents, then batches of the chunk size, up to 8 in flight so Meilisearch merges queued ones into one indexing batch; story ids are assigned before each document is sent (each document is sent once); story-id changes that a later batch causes for documents already sent go as one partial update after the last batch.',
        "The generated records are made for each phase and dropped after it (they are deterministic), so no phase runs with another phase's 100,000 documents on this process's heap.",
        'Peak memory: sampled RSS every 100 ms (this Node process; the Meilisearch server process). CPU: process.cpuUsage() for Node, /proc/PID/stat for Meilisearch.',
        `What Meilisearch received (its GET /batches): ${rawBatches}; ${chronikBatches}.`,
        `Order: ${chronikFirst ? "Chronik's indexer first, then the raw load" : "raw load first, then Chronik's indexer"}, both into one server (the second index loads next to the first).`,
      ],
    });
  } finally {
    await meili.release();
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Story ids as the registry would give them, so both sides index identical documents. */
function withStoryIds(documents: IndexDocument[]): IndexDocument[] {
  const registry = new StoryRegistry(':memory:');
  for (let start = 0; start < documents.length; start += batchSize) registry.assign(documents.slice(start, start + batchSize));
  const result = documents.map((document) => ({ ...document, storyId: registry.storyOf(document.id) ?? document.id }));
  registry.close();
  return result;
}

await main();
