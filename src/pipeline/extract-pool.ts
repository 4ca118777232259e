import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { hubLinks, type HubLinks } from '../scrapers/discover/hub-links.js';
import { extractArticle, parsePage } from '../scrapers/extract/extract-article.js';
import { profilesWith } from '../scrapers/extract/profiles/registry.js';
import type { SiteProfile } from '../scrapers/extract/profiles/schema.js';
import { toIndexDocument } from '../index/to-index-document.js';
import { needsRender } from '../scrapers/render/needs-render.js';
import { documentFingerprint } from './crawl-update.js';
import type { ExtractOutcome, IndexDocument } from './types.js';

/**
 * Reading a fetched HTML page is the crawl's CPU: decoding, parsing, extraction, link discovery.
 * `analysePage` does it with one parse; `ExtractPool` runs it on worker threads so a crawl uses
 * every core while the main thread fetches, archives and keeps the frontier.
 */
export interface PageToAnalyse {
  body: Uint8Array;
  /** The URL the bytes came from (after redirects). */
  url: string;
  headers: Record<string, string>;
  fetchedAt: string;
  /** Whether a page that is not an article should be checked for text that needs JavaScript. */
  checkRender: boolean;
  /** A folder of the researcher's own site profiles (config extract.profilesDir), ahead of the shipped ones. */
  profilesDir?: string | undefined;
  /**
   * The caller is done with `body`: a worker may take its buffer instead of a copy (the bytes
   * then leave this thread). Saves a 50 KB copy per page, and memory that one thread allocates
   * and another frees, which made a crawl's peak RSS swing by 150 MB from run to run.
   */
  handOverBody?: boolean | undefined;
}

export interface PageAnalysis {
  outcome: ExtractOutcome;
  /** The page's own links (content area, no navigation): a hub's listing, an article's links beyond its related ones. */
  links?: HubLinks | undefined;
  /** Not an article, but scripts and hardly any text: worth rendering. */
  needsRender: boolean;
  /**
   * An article's index document, without its place in the archive (the caller knows that), and
   * its content fingerprint: building it (search terms, calendar buckets) is CPU the workers take.
   */
  document?: { document: IndexDocument; fingerprint: string } | undefined;
}

export interface PageAnalyser {
  analyse(page: PageToAnalyse): Promise<PageAnalysis>;
  close(): Promise<void>;
}

/** Pure: one decode and one parse serve extraction, the index document, link discovery and the render check. */
export function analysePage(page: PageToAnalyse): PageAnalysis {
  const parsed = parsePage(page);
  const outcome = extractArticle({ ...page, profiles: crawlProfiles(page.profilesDir) }, parsed);
  const isArticle = outcome.kind === 'article';
  const document = isArticle ? toIndexDocument(outcome.record) : undefined;
  return {
    outcome,
    links: hubLinks(parsed.$, page.url),
    needsRender: !isArticle && page.checkRender && needsRender(parsed.text),
    document: document && { document, fingerprint: documentFingerprint(document) },
  };
}

/** A crawl's own profiles folder is read once per thread, not once per page (runCrawl checks it first). */
const profilesByDir = new Map<string, SiteProfile[]>();

function crawlProfiles(dir: string | undefined): SiteProfile[] {
  if (!dir) return profilesWith(undefined);
  let profiles = profilesByDir.get(dir);
  if (!profiles) profilesByDir.set(dir, (profiles = profilesWith(dir)));
  return profiles;
}

/** In the calling thread: for tests, one-off pages, and machines with one core. */
export const inlineAnalyser: PageAnalyser = {
  analyse: async (page) => analysePage(page),
  close: () => Promise.resolve(),
};

const WORKER_ROLE = 'chronik-extract';

interface Job {
  id: number;
  page: PageToAnalyse;
}

type Reply = { id: number; analysis: PageAnalysis } | { id: number; error: string };

interface PooledWorker {
  worker: Worker;
  jobs: Map<number, { resolve: (analysis: PageAnalysis) => void; reject: (error: Error) => void }>;
  answered: boolean;
}

/** Workers that die before their first answer (cannot load, say) are not restarted forever. */
const MAX_STARTUP_FAILURES = 3;

/**
 * Worker threads running `analysePage`. Each page goes to the worker with the fewest jobs, except
 * every `inlineEvery`-th, which the calling thread analyses itself (a fixed share: deciding by
 * how busy the workers look feeds on itself, since a thread that extracts cannot read their
 * answers, so they look busier still and it ends up doing most of the work). A worker
 * holds the process open only while it has jobs, so a forgotten pool never blocks exit. A worker
 * that dies fails its jobs (the pages count as failed) and is replaced; when workers keep dying
 * before their first answer, the pool analyses in the calling thread instead.
 */
export class ExtractPool implements PageAnalyser {
  readonly #workerUrl: URL;
  readonly #workers: PooledWorker[] = [];
  #nextId = 0;
  #closed = false;
  #startupFailures = 0;
  readonly #inlineEvery: number;
  #pages = 0;

  constructor(size: number, options: { workerUrl?: URL; inlineEvery?: number } = {}) {
    this.#workerUrl = options.workerUrl ?? new URL(import.meta.url);
    this.#inlineEvery = options.inlineEvery ?? 0;
    for (let i = 0; i < size; i++) this.#workers.push(this.#start());
  }

  get size(): number {
    return this.#workers.length;
  }

  analyse(page: PageToAnalyse): Promise<PageAnalysis> {
    if (this.#closed) return Promise.reject(new Error('extract pool is closed'));
    if (this.#workers.length === 0) return inlineAnalyser.analyse(page);
    if (this.#inlineEvery > 0 && this.#pages++ % this.#inlineEvery === this.#inlineEvery - 1) return inlineAnalyser.analyse(page);
    const pooled = this.#workers.reduce((best, candidate) => (candidate.jobs.size < best.jobs.size ? candidate : best));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (pooled.jobs.size === 0) pooled.worker.ref();
      pooled.jobs.set(id, { resolve, reject });
      pooled.worker.postMessage({ id, page } satisfies Job, page.handOverBody && isWholeBuffer(page.body) ? [page.body.buffer as ArrayBuffer] : []);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#workers.map((pooled) => pooled.worker.terminate()));
  }

  #start(): PooledWorker {
    const worker = new Worker(this.#workerUrl, { workerData: { role: WORKER_ROLE } });
    const pooled: PooledWorker = { worker, jobs: new Map(), answered: false };
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const job = pooled.jobs.get(reply.id);
      if (!job) return;
      pooled.answered = true;
      pooled.jobs.delete(reply.id);
      if (pooled.jobs.size === 0) worker.unref();
      if ('error' in reply) job.reject(new Error(reply.error));
      else job.resolve(reply.analysis);
    });
    const fail = (error: Error): void => {
      for (const job of pooled.jobs.values()) job.reject(error);
      pooled.jobs.clear();
      const index = this.#workers.indexOf(pooled);
      if (index < 0 || this.#closed) return;
      if (!pooled.answered) this.#startupFailures += 1;
      if (this.#startupFailures >= MAX_STARTUP_FAILURES) this.#workers.splice(index, 1);
      else this.#workers[index] = this.#start();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!this.#closed) fail(new Error(`extract worker stopped (exit code ${code})`));
    });
    return pooled;
  }
}

/** Only a view of a whole buffer can be handed over: a slice of a larger (shared, pooled) buffer is copied. */
function isWholeBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
}

/**
 * The analyser a crawl uses: a pool of workers when there are several cores and this module runs
 * as JavaScript (a worker cannot load the TypeScript sources tests run from), otherwise the
 * calling thread.
 */
export function createPageAnalyser(workers = defaultWorkerCount()): PageAnalyser {
  if (workers < 1 || import.meta.url.endsWith('.ts')) return inlineAnalyser;
  // One worker (two cores): the main thread has time to spare and takes every fifth page itself.
  return new ExtractPool(workers, { inlineEvery: Number(process.env.CHRONIK_INLINE_EVERY ?? (workers === 1 ? 5 : 0)) });
}

/**
 * cores - 1 workers, at most 3: the main thread (fetching, archiving, the frontier) keeps a core,
 * and each worker is a V8 heap of its own (~40–90 MB). CHRONIK_EXTRACT_WORKERS overrides it
 * (0: extract on the main thread).
 */
function defaultWorkerCount(): number {
  const asked = process.env.CHRONIK_EXTRACT_WORKERS;
  if (asked !== undefined && /^\d+$/.test(asked)) return Number(asked);
  return Math.max(0, Math.min(availableParallelism() - 1, 3));
}

/** Inside a pool worker: analyse what the main thread sends. */
if (!isMainThread && (workerData as { role?: string } | undefined)?.role === WORKER_ROLE) {
  parentPort!.on('message', ({ id, page }: Job) => {
    let reply: Reply;
    try {
      reply = { id, analysis: analysePage(page) };
    } catch (error) {
      reply = { id, error: error instanceof Error ? error.message : String(error) };
    }
    parentPort!.postMessage(reply);
  });
}
