import PQueue from 'p-queue';

export interface HostLimits {
  concurrency: number;
  /** Minimum pause between the starts of two requests to one host. */
  minDelayMs: number;
}

/**
 * One p-queue per host, so a slow or strict host never holds up the others.
 * The delay can only grow later (a robots.txt Crawl-delay), never shrink below the config.
 */
export class HostLimiter {
  readonly #queues = new Map<string, PQueue>();
  readonly #defaults: HostLimits;

  constructor(defaults: HostLimits) {
    this.#defaults = defaults;
  }

  /** Sets the delay for a host before its first request (e.g. from robots.txt). */
  setMinDelay(host: string, minDelayMs: number): void {
    if (this.#queues.has(host)) return;
    this.#queues.set(host, createQueue(this.#defaults.concurrency, Math.max(minDelayMs, this.#defaults.minDelayMs)));
  }

  run<T>(host: string, task: () => Promise<T>): Promise<T> {
    let queue = this.#queues.get(host);
    if (!queue) {
      queue = createQueue(this.#defaults.concurrency, this.#defaults.minDelayMs);
      this.#queues.set(host, queue);
    }
    return queue.add(task) as Promise<T>;
  }
}

function createQueue(concurrency: number, minDelayMs: number): PQueue {
  // intervalCap 1 per interval spaces request starts by at least minDelayMs.
  return minDelayMs > 0
    ? new PQueue({ concurrency, interval: minDelayMs, intervalCap: 1 })
    : new PQueue({ concurrency });
}
