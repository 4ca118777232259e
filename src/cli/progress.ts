import type { CrawlEvent } from '../pipeline/crawl.js';
import type { CliIo } from './io.js';

export interface ProgressCounts {
  fetched: number;
  queued: number;
  onTopic: number;
  errors: number;
}

/** Pure: one status line, e.g. "fetched 120  queued 40  on topic 31  errors 2  3.4 pages/s". */
export function formatProgress(counts: ProgressCounts, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (counts.fetched * 1000) / elapsedMs : 0;
  return `fetched ${counts.fetched}  queued ${counts.queued}  on topic ${counts.onTopic}  errors ${counts.errors}  ${rate.toFixed(1)} pages/s`;
}

/**
 * Crawl progress for people. On a terminal: one status line redrawn at most 10 times a second,
 * with on-topic finds and failures printed above it. Otherwise: plain lines, one per event
 * worth telling (every fetch and skip too with --verbose).
 */
export class CrawlProgress {
  readonly #io: CliIo;
  readonly #verbose: boolean;
  readonly #tty: boolean;
  readonly #startedAt = Date.now();
  #counts: ProgressCounts = { fetched: 0, queued: 0, onTopic: 0, errors: 0 };
  #lastDrawMs = 0;
  #lineShown = false;

  constructor(io: CliIo, options: { verbose: boolean; tty?: boolean }) {
    this.#io = io;
    this.#verbose = options.verbose;
    this.#tty = options.tty ?? io.isTTY;
  }

  onEvent(event: CrawlEvent): void {
    switch (event.type) {
      case 'pass':
        this.#line(
          event.resumed
            ? `Resuming crawl pass ${event.pass} from ${event.stateFile}${event.releasedLeases > 0 ? ` (${event.releasedLeases} interrupted fetches re-queued)` : ''}.`
            : `Starting crawl pass ${event.pass}${event.reason === 'previous-finished' ? ' (the previous pass finished; pages are re-checked with conditional GET)' : event.reason === 'setup-changed' ? ' (sources or topic changed since the unfinished pass)' : ''}.`,
        );
        return;
      case 'article':
        if (event.isOnTopic || this.#verbose) this.#line(`${event.isOnTopic ? 'on topic ' : 'off topic'}  ${event.headline}  ${event.url}`);
        if (this.#verbose && !event.isOnTopic) this.#line(`           ${event.reasons.join('; ')}`);
        return;
      case 'failed':
        this.#line(`failed     ${event.message}`);
        return;
      case 'retry':
        if (this.#verbose) this.#line(`retry      ${event.url} (${event.why}) in ${(event.waitMs / 1000).toFixed(1)} s`);
        return;
      case 'skipped':
        if (this.#verbose) this.#line(`skipped    ${event.url}: ${event.reason}`);
        return;
      case 'fetched':
        if (this.#verbose) this.#line(`fetched    ${event.status} ${event.url}`);
        return;
      case 'indexed':
        if (this.#verbose) this.#line(`indexed    ${event.count} documents`);
        return;
      case 'stopping':
        this.#line('Stopping: no new fetches; fetches under way finish or go back to the queue …');
        return;
      case 'progress':
        this.#counts = event;
        this.#draw(false);
        return;
    }
  }

  /** Clears the status line before the summary is printed. */
  finish(): void {
    if (this.#tty && this.#lineShown) this.#io.stderr.write('\r\x1b[2K');
    this.#lineShown = false;
  }

  #line(text: string): void {
    if (this.#tty && this.#lineShown) this.#io.stderr.write('\r\x1b[2K');
    this.#io.stderr.write(`${text}\n`);
    this.#lineShown = false;
    this.#draw(true);
  }

  #draw(force: boolean): void {
    if (!this.#tty) return;
    const now = Date.now();
    if (!force && now - this.#lastDrawMs < 100) return;
    this.#lastDrawMs = now;
    this.#io.stderr.write(`\r\x1b[2K${formatProgress(this.#counts, now - this.#startedAt)}`);
    this.#lineShown = true;
  }
}
