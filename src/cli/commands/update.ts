import type { Config } from '../../config/schema.js';
import type { CrawlSummary } from '../../pipeline/crawl.js';
import { acquireRunLock } from '../../state/run-lock.js';
import { openSearchContextIfAvailable } from '../context.js';
import { EXIT, type ExitStatus } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { crawlExitStatus, crawlInto } from './crawl.js';

/**
 * `chronik update`, made for cron: the crawl in update mode over the same state as `chronik
 * crawl` (only new, changed, failed and recent pages are fetched; an unfinished pass is resumed;
 * a state that knows nothing yet gets a full crawl). One summary line on stdout (or JSON),
 * failures on stderr, and an exit status a scheduler can act on.
 */
export async function updateCommand(config: Config, io: CliIo, options: { json: boolean; verbose: boolean }): Promise<ExitStatus> {
  return withRunLock(config, io, async () => {
    const context = await openSearchContextIfAvailable(config, io);
    try {
      const summary = await crawlInto(config, context, io, { verbose: options.verbose, mode: 'update' });
      for (const failure of summary.failures) io.stderr.write(`failed: ${failure.message}\n`);
      if (summary.waitingForIndex > 0) {
        io.stderr.write(`${summary.waitingForIndex} documents wait in the outbox (${summary.indexProblem ?? 'Meilisearch unavailable'}); the next run delivers them.\n`);
      }
      io.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatUpdateLine(summary)}\n`);
      return crawlExitStatus(summary);
    } finally {
      await context?.close();
    }
  });
}

/**
 * Runs fn holding the state folder's run lock, so crawls and updates never overlap (no
 * `flock` needed in a crontab). Held by a live process: one line and EXIT.locked, and nothing
 * in the state is touched. Left by a dead one: taken over, with a line saying so.
 */
export async function withRunLock(config: Config, io: CliIo, fn: () => Promise<ExitStatus>): Promise<ExitStatus> {
  const lock = acquireRunLock(config.state.dir);
  if (!lock.acquired) {
    const who = lock.holder ? `process ${lock.holder.pid}` : 'another process';
    io.stderr.write(`chronik: another crawl or update (${who}) holds ${lock.lockFile}; not starting a second one.\n`);
    return EXIT.locked;
  }
  if (lock.tookOverFrom) io.stderr.write(`Took over the run lock left by process ${lock.tookOverFrom.pid}, which is no longer running.\n`);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

/** Pure: the one summary line, e.g. "update: 3 new, 1 changed, 0 failed, 12 not modified, 4 indexed, 0 waiting (2.1 s)". */
export function formatUpdateLine(summary: CrawlSummary): string {
  const what = summary.mode === 'update' ? 'update' : `update (full crawl${summary.resumed ? ', resumed' : ''})`;
  const extra = [
    summary.stopped ? `stopped with ${summary.pending} queued` : '',
    summary.toRetry > 0 ? `${summary.toRetry} to retry next run` : '',
  ].filter(Boolean);
  return (
    `${what}: ${summary.newArticles} new, ${summary.changedArticles} changed, ${summary.failed} failed, ` +
    `${summary.notModified} not modified, ${summary.indexed} indexed, ${summary.waitingForIndex} waiting` +
    `${extra.length > 0 ? `, ${extra.join(', ')}` : ''} (${(summary.durationMs / 1000).toFixed(1)} s)`
  );
}
