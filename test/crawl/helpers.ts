import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { WarcWriter } from '../../src/archive/warc-writer.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import { IndexOutbox, outboxFile } from '../../src/index/outbox.js';
import { runCrawl, type CrawlEvent, type CrawlSummary } from '../../src/pipeline/crawl.js';
import type { IndexDocument } from '../../src/pipeline/types.js';
import type { PageRenderer } from '../../src/pipeline/crawl-page.js';

/** The topic profile of the shipped chronik.yaml: the acceptance runs use what users get. */
export function defaultTopic(): Config['topic'] {
  const yaml = parse(readFileSync(path.join(import.meta.dirname, '..', '..', 'chronik.yaml'), 'utf8')) as { topic: Config['topic'] };
  return yaml.topic;
}

export function crawlConfig(sources: Array<{ url: string; kind?: string; query?: string }>, crawl: Record<string, unknown> = {}, dir = mkdtempSync(path.join(os.tmpdir(), 'chronik-crawl-'))): Config {
  return configSchema.parse({
    sources,
    topic: defaultTopic(),
    crawl: { allowPrivateAddresses: true, minDelayMs: 0, timeoutMs: 5000, maxPages: 2000, concurrency: 8, perHostConcurrency: 2, maxBackoffMs: 2000, ...crawl },
    archive: { dir: path.join(dir, 'archive') },
    state: { dir: path.join(dir, 'state') },
  });
}

export interface CrawlRun {
  summary: CrawlSummary;
  documents: IndexDocument[];
  events: CrawlEvent[];
}

/** Runs the crawl without Meilisearch: the documents are read back from the outbox. */
export async function crawlToOutbox(config: Config, options: { renderer?: PageRenderer; signal?: AbortSignal } = {}): Promise<CrawlRun> {
  const archive = new WarcWriter({ dir: config.archive.dir, maxFileBytes: config.archive.maxFileBytes });
  const outbox = new IndexOutbox(outboxFile(config.state.dir));
  const events: CrawlEvent[] = [];
  try {
    const summary = await runCrawl({ config, archive, outbox, index: undefined, onEvent: (event) => events.push(event), ...options });
    return { summary, documents: outbox.peek(100_000).map((entry) => entry.document), events };
  } finally {
    outbox.close();
    await archive.close();
  }
}
