import PQueue from 'p-queue';

export interface HostLimits {
  concurrency: number;
  /** Minimum pause between the starts of two requests to one host. */
  minDelayMs: number;
}

interface HostState {
  queue: PQueue;
  minDelayMs: number;
  /** Start of the latest request; the next one starts minDelayMs later (a raised delay counts at once). */
  lastStartMs: number;
  /** The host asked us to stay away (429/503) until then. */
  pausedUntilMs: number;
}

/**
 * One p-queue per host, so a slow or strict host never holds up the others. Request starts
 * are spaced by the host's minimum delay; the delay can grow later (robots.txt Crawl-delay
 * learnt from the first request) but never shrinks below the config. A 429/503 pauses the
 * whole host, not only the URL that got it.
 */
export class HostLimiter {
  readonly #hosts = new Map<string, HostState>();
  readonly #defaults: HostLimits;
  readonly #now: () => number;

  constructor(defaults: HostLimits, now: () => number = Date.now) {
    this.#defaults = defaults;
    this.#now = now;
  }

  /** Raises the host's delay between requests (e.g. robots.txt Crawl-delay); never lowers it below the config. */
  setMinDelay(host: string, minDelayMs: number): void {
    const state = this.#state(host);
    state.minDelayMs = Math.max(minDelayMs, this.#defaults.minDelayMs);
  }

  minDelayMs(host: string): number {
    return this.#state(host).minDelayMs;
  }

  /** No request to the host starts before `ms` from now (a later pause wins). */
  pause(host: string, ms: number): void {
    const state = this.#state(host);
    state.pausedUntilMs = Math.max(state.pausedUntilMs, this.#now() + ms);
  }

  run<T>(host: string, task: () => Promise<T>): Promise<T> {
    const state = this.#state(host);
    return state.queue.add(async () => {
      await this.#waitTurn(state);
      return task();
    }) as Promise<T>;
  }

  async #waitTurn(state: HostState): Promise<void> {
    for (;;) {
      const now = this.#now();
      const at = Math.max(state.lastStartMs + state.minDelayMs, state.pausedUntilMs);
      if (at <= now) {
        state.lastStartMs = now;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, at - now));
    }
  }

  #state(host: string): HostState {
    let state = this.#hosts.get(host);
    if (!state) {
      state = { queue: new PQueue({ concurrency: this.#defaults.concurrency }), minDelayMs: this.#defaults.minDelayMs, lastStartMs: Number.NEGATIVE_INFINITY, pausedUntilMs: 0 };
      this.#hosts.set(host, state);
    }
    return state;
  }
}
