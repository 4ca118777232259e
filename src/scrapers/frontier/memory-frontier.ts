import type { FrontierEntry } from '../../pipeline/types.js';

/**
 * In-memory frontier: each canonical key is admitted once per crawl, and the best-scored,
 * shallowest entry is leased first. (A persistent SQLite frontier with the same shape
 * replaces it when crawls must survive being killed.)
 */
export class MemoryFrontier {
  readonly #seen = new Set<string>();
  readonly #pending: FrontierEntry[] = [];

  /** False when the canonical key was seen before in this crawl. */
  add(entry: FrontierEntry): boolean {
    if (this.#seen.has(entry.canonicalKey)) return false;
    this.#seen.add(entry.canonicalKey);
    this.#pending.push(entry);
    return true;
  }

  /** Marks a key as known without queuing it (e.g. the canonical URL of a fetched page). */
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
    return this.#pending.splice(bestIndex, 1)[0];
  }

  get pendingCount(): number {
    return this.#pending.length;
  }
}

function isBetter(a: FrontierEntry, b: FrontierEntry): boolean {
  return a.linkScore !== b.linkScore ? a.linkScore > b.linkScore : a.depth < b.depth;
}
