import { WarcWriter } from '../../archive/warc-writer.js';
import { IndexOutbox, outboxFile } from '../../index/outbox.js';
import type { Config } from '../../config/schema.js';
import { runCrawl, type CrawlEvent, type CrawlSummary } from '../../pipeline/crawl.js';
import { EXIT, type ExitStatus } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { SearchContext } from '../context.js';

/**
 * Runs the crawl and reports progress as plain lines on stderr. Without a search context
 * (Meilisearch unavailable) the crawl still runs; its documents wait in the outbox.
 */
export async function crawlInto(config: Config, context: SearchContext | undefined, io: CliIo, options: { verbose: boolean }): Promise<CrawlSummary> {
  const archive = new WarcWriter({ dir: config.archive.dir, maxFileBytes: config.archive.maxFileBytes });
  const outbox = new IndexOutbox(outboxFile(config.state.dir));
  try {
    return await runCrawl({ config, archive, outbox, index: context?.index, onEvent: (event) => reportEvent(io, event, options.verbose) });
  } finally {
    outbox.close();
    await archive.close();
  }
}

export function crawlExitStatus(summary: CrawlSummary): ExitStatus {
  if (summary.sources.every((source) => !source.ok)) return EXIT.failed;
  const incomplete = summary.failed > 0 || summary.waitingForIndex > 0 || summary.sources.some((source) => !source.ok);
  return incomplete ? EXIT.partial : EXIT.ok;
}

/** One line per unreachable source, then the totals. */
export function formatCrawlSummary(summary: CrawlSummary): string {
  const lines = summary.sources.filter((source) => !source.ok).map((source) => `source failed: ${source.message ?? source.url}`);
  if (summary.sources.every((source) => !source.ok)) {
    lines.push(`No source could be fetched (${summary.sources.length} configured); nothing was crawled.`);
  }
  lines.push(
    `Crawled ${summary.fetched} page${summary.fetched === 1 ? '' : 's'} in ${(summary.durationMs / 1000).toFixed(1)} s: ` +
      `${summary.onTopic} on topic, ${summary.offTopic} off topic, ${summary.notArticles} not articles, ` +
      `${summary.failed} failed; ${summary.indexed} indexed.`,
  );
  if (summary.waitingForIndex > 0) {
    lines.push(
      `${summary.waitingForIndex} document${summary.waitingForIndex === 1 ? '' : 's'} wait in the outbox (${summary.indexProblem ?? 'Meilisearch unavailable'}); ` +
        'they are delivered by the next run or by `chronik index --pending`.',
    );
  }
  return `${lines.join('\n')}\n`;
}

function reportEvent(io: CliIo, event: CrawlEvent, verbose: boolean): void {
  switch (event.type) {
    case 'article':
      io.stderr.write(`${event.isOnTopic ? 'on topic ' : 'off topic'}  ${event.headline}  ${event.url}\n`);
      if (verbose && !event.isOnTopic) io.stderr.write(`           ${event.reasons.join('; ')}\n`);
      return;
    case 'failed':
      io.stderr.write(`failed     ${event.message}\n`);
      return;
    case 'skipped':
      if (verbose) io.stderr.write(`skipped    ${event.url}: ${event.reason}\n`);
      return;
    case 'fetched':
      if (verbose) io.stderr.write(`fetched    ${event.status} ${event.url}\n`);
      return;
    case 'indexed':
      if (verbose) io.stderr.write(`indexed    ${event.count} documents\n`);
      return;
  }
}
