import type { Config } from '../../config/schema.js';
import { openSearchContextIfAvailable } from '../context.js';
import { EXIT, type ExitStatus } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { crawlExitStatus, crawlInto, formatCrawlSummary } from './crawl.js';
import { printTimeline } from './search.js';
import { serveTimeline } from './serve.js';
import { withRunLock } from './update.js';

export interface RunOptions {
  serve: boolean;
  verbose: boolean;
  port?: number | undefined;
  /** Start from an empty index (the demo: its fixture URLs change with every run's ports). */
  freshIndex?: boolean;
}

/** The main job: crawl the sources (under the run lock), archive, index, print the timeline, then serve it. */
export async function runMainJob(config: Config, io: CliIo, options: RunOptions): Promise<ExitStatus> {
  const context = await openSearchContextIfAvailable(config, io);
  try {
    if (options.freshIndex) await context?.index.deleteAllDocuments();
    // Only the crawl holds the run lock: serving afterwards must not block the hourly update.
    const status = await withRunLock(config, io, async () => {
      const summary = await crawlInto(config, context, io, { verbose: options.verbose });
      io.stderr.write(formatCrawlSummary(summary));
      return crawlExitStatus(summary);
    });
    if (status === EXIT.failed || status === EXIT.locked || !context) return status;
    io.stdout.write(`\nTimeline of "${config.topic.name}":\n\n`);
    await printTimeline(context.index, { text: '', group: 'month', limit: 1000 }, io, false);
    if (options.serve) await serveTimeline(context.index, io, config.server.host, options.port ?? config.server.port, { archiveDir: config.archive.dir });
    return status;
  } finally {
    await context?.close();
  }
}
