import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FrontierEntry } from '../../pipeline/types.js';
import type { Completion, Frontier, FrontierCounts, UrlValidators } from './frontier.js';

const PENDING = 0;
const LEASED = 1;
const DONE = 2;
/** Known key that is never fetched under it (the canonical URL of a page fetched under another). */
const SEEN = 3;

export interface OpenFrontierOptions {
  /** Identifies the crawl's setup (sources, topic); an unfinished pass is only resumed when it matches. */
  fingerprint: string;
}

export interface PassInfo {
  pass: number;
  /** True when an unfinished pass was picked up; false when a new pass started. */
  resumed: boolean;
  /** Entries that were leased when the last process stopped, now pending again. */
  releasedLeases: number;
  /** Why a new pass started instead of resuming. */
  reason: 'first' | 'previous-finished' | 'setup-changed' | 'resumed';
}

/**
 * Persistent frontier and crawl log in SQLite (WAL). Every change (add, lease, complete,
 * release) is its own transaction, so a process killed at any point, even by SIGKILL, leaves a
 * consistent state: on open, leases of the dead process go back to pending; completed URLs are
 * never leased again in the pass. ETag/Last-Modified (and where the body was archived) outlive
 * passes, so a later pass re-checks with conditional GET.
 */
export class SqliteFrontier implements Frontier {
  readonly #db: Database.Database;
  readonly pass: PassInfo;
  readonly #statements;
  #seq: number;
  /** Kept in memory: progress asks after every page, and COUNT(*) grows with the frontier. */
  #pending: number;

  constructor(file: string, options: OpenFrontierOptions) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode survives a process crash (only power loss can lose the last commits).
    this.#db.pragma('synchronous = NORMAL');
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS pass (id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT);
      CREATE TABLE IF NOT EXISTS urls (
        key TEXT PRIMARY KEY, seq INTEGER NOT NULL, state INTEGER NOT NULL,
        score REAL NOT NULL, depth INTEGER NOT NULL, entry TEXT);
      CREATE INDEX IF NOT EXISTS urls_next ON urls (state, score DESC, depth, seq);
      CREATE TABLE IF NOT EXISTS validators (key TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, archive TEXT);
      CREATE TABLE IF NOT EXISTS log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, pass INTEGER NOT NULL, key TEXT NOT NULL, url TEXT NOT NULL,
        status INTEGER NOT NULL, outcome TEXT NOT NULL, at TEXT NOT NULL);
    `);
    this.#statements = {
      // seq (first come, first served among equals) is counted here: MAX(seq) per insert would scan the table.
      insert: this.#db.prepare<[string, number, number, number, number, string | null]>(
        'INSERT OR IGNORE INTO urls (key, seq, state, score, depth, entry) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      next: this.#db.prepare<[], { key: string; entry: string }>(
        `SELECT key, entry FROM urls WHERE state = ${PENDING} ORDER BY score DESC, depth, seq LIMIT 1`,
      ),
      setState: this.#db.prepare<[number, string, number]>('UPDATE urls SET state = ? WHERE key = ? AND state = ?'),
      stateOf: this.#db.prepare<[string], { state: number }>('SELECT state FROM urls WHERE key = ?'),
      entryOf: this.#db.prepare<[string], { entry: string | null }>('SELECT entry FROM urls WHERE key = ?'),
      log: this.#db.prepare<[number, string, string, number, string, string]>(
        'INSERT INTO log (pass, key, url, status, outcome, at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      putValidators: this.#db.prepare<[string, string | null, string | null, string | null]>(
        'INSERT OR REPLACE INTO validators (key, etag, last_modified, archive) VALUES (?, ?, ?, ?)',
      ),
      getValidators: this.#db.prepare<[string], { etag: string | null; last_modified: string | null; archive: string | null }>(
        'SELECT etag, last_modified, archive FROM validators WHERE key = ?',
      ),
      count: this.#db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM urls WHERE state = ?'),
    };
    this.pass = this.#openPass(options.fingerprint);
    this.#seq = (this.#db.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM urls').get() as { n: number }).n;
    this.#pending = this.#statements.count.get(PENDING)!.n;
  }

  #openPass(fingerprint: string): PassInfo {
    return this.#db.transaction((): PassInfo => {
      const last = this.#db.prepare('SELECT id, fingerprint, finished_at FROM pass ORDER BY id DESC LIMIT 1').get() as
        | { id: number; fingerprint: string; finished_at: string | null }
        | undefined;
      if (last && !last.finished_at && last.fingerprint === fingerprint) {
        const released = this.#db.prepare(`UPDATE urls SET state = ${PENDING} WHERE state = ${LEASED}`).run().changes;
        return { pass: last.id, resumed: true, releasedLeases: released, reason: 'resumed' };
      }
      this.#db.exec('DELETE FROM urls');
      const id = Number(
        this.#db.prepare('INSERT INTO pass (fingerprint, started_at) VALUES (?, ?)').run(fingerprint, new Date().toISOString()).lastInsertRowid,
      );
      const reason = !last ? 'first' : last.finished_at ? 'previous-finished' : 'setup-changed';
      return { pass: id, resumed: false, releasedLeases: 0, reason };
    })();
  }

  add(entry: FrontierEntry): boolean {
    const added = this.#statements.insert.run(entry.canonicalKey, ++this.#seq, PENDING, entry.linkScore, entry.depth, JSON.stringify(entry)).changes > 0;
    if (added) this.#pending += 1;
    return added;
  }

  addMany(entries: readonly FrontierEntry[]): number {
    return this.#db.transaction(() => entries.reduce((added, entry) => added + (this.add(entry) ? 1 : 0), 0))();
  }

  markSeen(canonicalKey: string): boolean {
    return this.#statements.insert.run(canonicalKey, ++this.#seq, SEEN, 0, 0, null).changes > 0;
  }

  lease(): FrontierEntry | undefined {
    return this.#db.transaction(() => {
      const row = this.#statements.next.get();
      if (!row) return undefined;
      this.#statements.setState.run(LEASED, row.key, PENDING);
      this.#pending -= 1;
      return JSON.parse(row.entry) as FrontierEntry;
    })();
  }

  complete(canonicalKey: string, completion: Completion): void {
    this.#db.transaction(() => {
      if (this.#statements.setState.run(DONE, canonicalKey, LEASED).changes === 0) return;
      const entry = JSON.parse(this.#statements.entryOf.get(canonicalKey)?.entry ?? '{}') as Partial<FrontierEntry>;
      this.#statements.log.run(this.pass.pass, canonicalKey, entry.url ?? canonicalKey, completion.status, completion.outcome, new Date().toISOString());
      const validators = completion.validators;
      if (validators && (validators.etag || validators.lastModified)) {
        this.#statements.putValidators.run(
          canonicalKey,
          validators.etag ?? null,
          validators.lastModified ?? null,
          validators.archive ? JSON.stringify(validators.archive) : null,
        );
      }
    })();
  }

  release(canonicalKey: string): void {
    this.#pending += this.#statements.setState.run(PENDING, canonicalKey, LEASED).changes;
  }

  validators(canonicalKey: string): UrlValidators | undefined {
    const row = this.#statements.getValidators.get(canonicalKey);
    if (!row) return undefined;
    return {
      etag: row.etag ?? undefined,
      lastModified: row.last_modified ?? undefined,
      archive: row.archive ? (JSON.parse(row.archive) as UrlValidators['archive']) : undefined,
    };
  }

  wasCompleted(canonicalKey: string): boolean {
    return this.#statements.stateOf.get(canonicalKey)?.state === DONE;
  }

  counts(): FrontierCounts {
    return {
      pending: this.#statements.count.get(PENDING)!.n,
      leased: this.#statements.count.get(LEASED)!.n,
      done: this.#statements.count.get(DONE)!.n,
    };
  }

  get pendingCount(): number {
    return this.#pending;
  }

  /** Marks the pass finished: the next open starts a new pass (with conditional GETs). */
  finishPass(): void {
    this.#db.prepare('UPDATE pass SET finished_at = ? WHERE id = ?').run(new Date().toISOString(), this.pass.pass);
  }

  /** The crawl log of this pass, oldest first. */
  logOfPass(): Array<{ url: string; status: number; outcome: string }> {
    return this.#db.prepare('SELECT url, status, outcome FROM log WHERE pass = ? ORDER BY seq').all(this.pass.pass) as Array<{
      url: string;
      status: number;
      outcome: string;
    }>;
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

export function frontierFile(stateDir: string): string {
  return path.join(stateDir, 'crawl-state.sqlite');
}
