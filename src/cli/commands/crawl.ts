import path from 'node:path';
import pino from 'pino';
import { WarcWriter } from '../../archive/warc-writer.js';
import { IndexOutbox, outboxFile } from '../../index/outbox.js';
import type { Config } from '../../config/schema.js';
import { runCrawl, type CrawlEvent, type CrawlSummary } from '../../pipeline/crawl.js';
import { ChromiumRenderer } from '../../scrapers/render/browser.js';
import { EXIT, type ExitStatus } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { SearchContext } from '../context.js';
import { CrawlProgress } from '../progress.js';

/**
 * Runs the crawl with progress on stderr and a structured log (JSON lines) in the state folder.
 * Without a search context (Meilisearch unavailable) the crawl still runs; its documents wait in
 * the outbox. SIGINT/SIGTERM stop it gracefully; the next `chronik crawl` resumes.
 */
export async function crawlInto(
  config: Config,
  context: SearchContext | undefined,
  io: CliIo,
  options: { verbose: boolean; mode?: 'crawl' | 'update' },
): Promise<CrawlSummary> {
  const archive = new WarcWriter({ dir: config.archive.dir, maxFileBytes: config.archive.maxFileBytes });
  const outbox = new IndexOutbox(outboxFile(config.state.dir));
  const logFile = path.resolve(config.state.dir, config.crawl.logFile ?? 'crawl.log');
  const log = pino({ base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: logFile, mkdir: true, sync: false }));
  const progress = new CrawlProgress(io, { verbose: options.verbose });
  const stop = new AbortController();
  let signals = 0;
  const onSignal = (name: NodeJS.Signals) => () => {
    signals += 1;
    log.warn({ signal: name }, 'stop requested');
    // A second signal means "now": the state on disk is consistent at any point, so exiting is safe.
    if (signals > 1) process.exit(name === 'SIGINT' ? 130 : 143);
    stop.abort();
  };
  const onSigint = onSignal('SIGINT');
  const onSigterm = onSignal('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  const renderer = new ChromiumRenderer(config.crawl.render);
  try {
    const summary = await runCrawl({
      config,
      archive,
      outbox,
      index: context?.index,
      signal: stop.signal,
      renderer,
      mode: options.mode,
      onEvent: (event) => {
        logEvent(log, event);
        // An update pass says what it is; the progress line's wording is about full crawl passes.
        if (event.type === 'pass' && event.mode === 'update') io.stderr.write(`${describeUpdatePass(event)}\n`);
        else progress.onEvent(event);
      },
    });
    log.info({ summary: { ...summary, failures: summary.failures.length } }, options.mode === 'update' ? 'update finished' : 'crawl finished');
    return summary;
  } finally {
    progress.finish();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    await renderer.close();
    outbox.close();
    await archive.close();
    log.flush();
  }
}

function describeUpdatePass(event: Extract<CrawlEvent, { type: 'pass' }>): string {
  if (event.resumed) {
    return `Resuming update pass ${event.pass} from ${event.stateFile}${event.releasedLeases > 0 ? ` (${event.releasedLeases} interrupted fetches re-queued)` : ''}.`;
  }
  return `Starting update pass ${event.pass}: sources and known feeds re-checked with conditional GET${event.carriedOver > 0 ? `, ${event.carriedOver} URLs carried over (failed before, or known listings)` : ''}.`;
}

export function crawlExitStatus(summary: CrawlSummary): ExitStatus {
  if (summary.stopped) return EXIT.stopped;
  if (summary.sources.every((source) => !source.ok)) return EXIT.failed;
  const incomplete = summary.failed > 0 || summary.waitingForIndex > 0 || summary.sources.some((source) => !source.ok);
  return incomplete ? EXIT.partial : EXIT.ok;
}

/** One line per unreachable source, then the totals, then how to continue if anything is left. */
export function formatCrawlSummary(summary: CrawlSummary): string {
  const lines = summary.sources.filter((source) => !source.ok).map((source) => `source failed: ${source.message ?? source.url}`);
  if (!summary.stopped && summary.sources.every((source) => !source.ok)) {
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
  if (summary.pending > 0) {
    lines.push(
      `${summary.stopped ? 'Stopped' : 'Page budget (crawl.maxPages) spent'} with ${summary.pending} URL${summary.pending === 1 ? '' : 's'} still queued` +
        `${summary.stateFile ? ` in ${summary.stateFile}` : ''}. Run \`chronik crawl\` again to resume where it stopped.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function logEvent(log: pino.Logger, event: CrawlEvent): void {
  if (event.type === 'progress') return;
  if (event.type === 'failed') log.warn(event, event.type);
  else log.info(event, event.type);
}
