import type { FrontierEntry } from '../../pipeline/types.js';
import { isBetter, type Completion, type Frontier, type FrontierCounts, type KnownUrl, type UrlValidators } from './frontier.js';

/**
 * In-memory frontier for one process: same contract as SqliteFrontier, nothing survives the
 * process. Used by tests and benchmarks that need no resume.
 */
export class MemoryFrontier implements Frontier {
  readonly #seen = new Set<string>();
  readonly #pending: FrontierEntry[] = [];
  readonly #leased = new Map<string, FrontierEntry>();
  readonly #validators = new Map<string, UrlValidators>();
  readonly #done = new Set<string>();
  readonly #known = new Map<string, KnownUrl>();

  add(entry: FrontierEntry): boolean {
    if (this.#seen.has(entry.canonicalKey)) return false;
    this.#seen.add(entry.canonicalKey);
    this.#pending.push(entry);
    return true;
  }

  addMany(entries: readonly FrontierEntry[]): number {
    let added = 0;
    for (const entry of entries) if (this.add(entry)) added += 1;
    return added;
  }

  markSeen(canonicalKey: string): boolean {
    const isNew = !this.#seen.has(canonicalKey);
    this.#seen.add(canonicalKey);
    return isNew;
  }

  lease(): FrontierEntry | undefined {
    if (this.#pending.length === 0) return undefined;
    let bestIndex = 0;
    for (let i = 1; i < this.#pending.length; i++) {
      if (isBetter(this.#pending[i]!, this.#pending[bestIndex]!)) bestIndex = i;
    }
    const [entry] = this.#pending.splice(bestIndex, 1);
    this.#leased.set(entry!.canonicalKey, entry!);
    return entry;
  }

  complete(canonicalKey: string, completion: Completion): void {
    if (completion.discovered) this.addMany(completion.discovered);
    if (!this.#leased.delete(canonicalKey)) return;
    this.#done.add(canonicalKey);
    if (completion.validators) this.#validators.set(canonicalKey, completion.validators);
    const previous = this.#known.get(canonicalKey);
    const fetchedAt = new Date().toISOString();
    if (completion.outcome === 'not-modified') {
      if (previous) this.#known.set(canonicalKey, { ...previous, fetchedAt });
    } else if (completion.outcome !== 'failed' || !previous) {
      this.#known.set(canonicalKey, {
        outcome: completion.outcome, fetchedAt, publishedAt: completion.publishedAt, lastModified: completion.validators?.lastModified, documentHash: completion.documentHash,
      });
    }
  }

  known(canonicalKey: string): KnownUrl | undefined {
    return this.#known.get(canonicalKey);
  }

  release(canonicalKey: string): void {
    const entry = this.#leased.get(canonicalKey);
    if (!entry) return;
    this.#leased.delete(canonicalKey);
    this.#pending.push(entry);
  }

  validators(canonicalKey: string): UrlValidators | undefined {
    return this.#validators.get(canonicalKey);
  }

  wasCompleted(canonicalKey: string): boolean {
    return this.#done.has(canonicalKey);
  }

  counts(): FrontierCounts {
    return { pending: this.#pending.length, leased: this.#leased.size, done: this.#done.size };
  }

  get pendingCount(): number {
    return this.#pending.length;
  }

  close(): void {}
}
