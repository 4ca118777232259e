import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { describeError, isChronikError } from '../errors.js';
import { openSearchContext, openSearchContextIfAvailable, readConfig } from './context.js';
import { deliverOutbox } from './commands/index-pending.js';
import { cdxCommand, reindexCommand, verifyCommand } from './commands/archive.js';
import { EXIT, type ExitStatus } from './exit-codes.js';
import type { CliIo } from './io.js';
import { crawlExitStatus, crawlInto, formatCrawlSummary } from './commands/crawl.js';
import { runDemo } from './commands/demo.js';
import { runExtract, type ExtractFlags } from './commands/extract.js';
import { runMainJob } from './commands/run.js';
import { updateCommand, withRunLock } from './commands/update.js';
import { printTimeline, searchFromFlags, type SearchFlags } from './commands/search.js';
import { serveTimeline } from './commands/serve.js';

/**
 * The whole CLI as a function: arguments and I/O in, exit status out. Expected failures print
 * one line; a stack trace only with --debug.
 */
export async function main(argv: string[], io: CliIo): Promise<ExitStatus> {
  let status: ExitStatus = EXIT.ok;
  const program = new Command('chronik')
    .description('Crawl, archive and search the news history of an incident as a timeline.')
    .option('-c, --config <file>', 'config file', 'chronik.yaml')
    .option('--debug', 'print stack traces of failures')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError('(chronik --help lists the commands)');

  const globals = () => program.opts<{ config: string; debug?: boolean }>();

  program
    .command('run')
    .description('the main job: crawl the configured sources, archive, index, print the timeline and serve it')
    .option('--no-serve', 'print the timeline and exit instead of serving the web page')
    .option('-p, --port <port>', 'port of the web page', parsePort)
    .option('-v, --verbose', 'log every fetch and skip')
    .action(async (options: { serve: boolean; port?: number; verbose?: boolean }) => {
      const config = await readConfig(io, globals().config);
      status = await runMainJob(config, io, { serve: options.serve, port: options.port, verbose: Boolean(options.verbose) });
    });

  program
    .command('demo')
    .description('the main job offline, against the bundled fixture portals on 127.0.0.1')
    .option('--no-serve', 'print the timeline and exit instead of serving the web page')
    .option('-p, --port <port>', 'port of the web page', parsePort)
    .option('-v, --verbose', 'log every fetch and skip')
    .action(async (options: { serve: boolean; port?: number; verbose?: boolean }) => {
      const config = await readConfig(io, globals().config);
      status = await runDemo(config, io, { serve: options.serve, port: options.port, verbose: Boolean(options.verbose) });
    });

  program
    .command('crawl')
    .description('crawl the configured sources into the archive and the index')
    .option('--json', 'print the summary as JSON on stdout')
    .option('-v, --verbose', 'log every fetch and skip')
    .action(async (options: { json?: boolean; verbose?: boolean }) => {
      const config = await readConfig(io, globals().config);
      status = await withRunLock(config, io, async () => {
        const context = await openSearchContextIfAvailable(config, io);
        try {
          const summary = await crawlInto(config, context, io, { verbose: Boolean(options.verbose) });
          if (options.json) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
          else io.stderr.write(formatCrawlSummary(summary));
          return crawlExitStatus(summary);
        } finally {
          await context?.close();
        }
      });
    });

  program
    .command('update')
    .description('for cron: fetch only what is new or changed since the last crawl or update, index it, print one summary line')
    .option('--json', 'print the full summary as JSON on stdout')
    .option('-v, --verbose', 'log every fetch and skip')
    .action(async (options: { json?: boolean; verbose?: boolean }) => {
      const config = await readConfig(io, globals().config);
      status = await updateCommand(config, io, { json: Boolean(options.json), verbose: Boolean(options.verbose) });
    });

  program
    .command('index')
    .description('deliver documents waiting in the outbox (left by runs while Meilisearch was down)')
    .requiredOption('--pending', 'deliver the outbox (the only mode for now)')
    .action(async () => {
      const config = await readConfig(io, globals().config);
      status = await deliverOutbox(config, io);
    });

  program
    .command('reindex')
    .description('rebuild the index from the WARC archive alone, without the network')
    .action(async () => {
      status = await reindexCommand(await readConfig(io, globals().config), io);
    });

  const archive = program.command('archive').description('work with the WARC archive');
  archive
    .command('verify')
    .description("check every record's payload digest; report corrupt or truncated files and go on")
    .option('--json', 'print the verdicts as JSON')
    .action(async (options: { json?: boolean }) => {
      status = await verifyCommand(await readConfig(io, globals().config), io, Boolean(options.json));
    });
  archive
    .command('cdx')
    .description('write a CDXJ index of the collection for replay tools')
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .action(async (options: { out?: string }) => {
      status = await cdxCommand(await readConfig(io, globals().config), io, options.out);
    });

  program
    .command('search')
    .description('print the timeline of articles matching a query, in date order')
    .argument('[query]', 'words to search for (empty: everything)', '')
    .option('--from <date>', 'first day, YYYY-MM-DD (Europe/Berlin, inclusive)')
    .option('--to <date>', 'last day, YYYY-MM-DD (inclusive)')
    .option('--site <site>', 'only this site (repeatable)', collect, [])
    .option('--place <place>', 'only articles with this dateline place (repeatable)', collect, [])
    .option('--agency <agency>', 'only articles from this agency, e.g. dpa/mv (repeatable)', collect, [])
    .option('--story <storyId>', 'only copies of this story (repeatable)', collect, [])
    .option('--tag <tag>', 'only articles with this tag, any case (repeatable: any of them)', collect, [])
    .addOption(new Option('--group <unit>', 'group by').choices(['day', 'week', 'month']))
    .addOption(new Option('--sort <order>', 'order').choices(['date-asc', 'date-desc', 'relevance']))
    .option('--stories', 'story view: one entry per story (earliest copy) with the sources that also published it')
    .addOption(new Option('--format <format>', 'output: a table, or an export').choices(['table', 'json', 'csv', 'md']))
    .option('--limit <n>', 'hits to print (table default 50; exports default all, up to 100000)')
    .option('--json', 'same as --format json')
    .action(async (text: string, flags: SearchFlags) => {
      const { query, format, max } = searchFromFlags(text, flags);
      const config = await readConfig(io, globals().config);
      const context = await openSearchContext(config, io);
      try {
        await printTimeline(context.index, query, io, format, max);
      } finally {
        await context.close();
      }
    });

  program
    .command('extract')
    .description('print the record the extractor makes of one saved page or URL (for debugging a new site)')
    .argument('<file-or-url>', 'an HTML file or an http(s) URL')
    .option('--url <url>', 'the address the file was served from')
    .option('--json', 'print the record as JSON')
    .option('--profiles <dir>', 'a folder of your own site profiles (as extract.profilesDir in the config), tried before the shipped ones')
    .action(async (target: string, flags: ExtractFlags) => {
      status = await runExtract(target, flags, io);
    });

  program
    .command('serve')
    .description('serve the timeline web page and its JSON API')
    .option('-p, --port <port>', 'port', parsePort)
    .option('--host <host>', 'address to listen on')
    .action(async (options: { port?: number; host?: string }) => {
      const config = await readConfig(io, globals().config);
      const context = await openSearchContext(config, io);
      try {
        await serveTimeline(context.index, io, options.host ?? config.server.host, options.port ?? config.server.port, { archiveDir: config.archive.dir });
      } finally {
        await context.close();
      }
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return status;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    io.stderr.write(`chronik: ${describeError(error)}\n`);
    if (globals().debug && error instanceof Error) io.stderr.write(`${error.stack ?? ''}\n`);
    else if (!isChronikError(error)) io.stderr.write('(run with --debug for details)\n');
    return isChronikError(error) && error.code === 'USAGE' ? EXIT.usage : EXIT.failed;
  }
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError(`not a port number: ${value}`);
  return port;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
