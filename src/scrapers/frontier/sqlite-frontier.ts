import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FrontierEntry } from '../../pipeline/types.js';
import type { Completion, Frontier, FrontierCounts, KnownUrl, UrlValidators } from './frontier.js';

const PENDING = 0;
const LEASED = 1;
const DONE = 2;
/** Known key that is never fetched under it (the canonical URL of a page fetched under another). */
const SEEN = 3;

export interface OpenFrontierOptions {
  /** Identifies the crawl's setup (sources, topic); an unfinished pass is only resumed when it matches. */
  fingerprint: string;
  /**
   * Kind of pass to start when none is resumed (default crawl). An update pass carries over the
   * known feeds and sitemaps; a resumed pass keeps the kind it was started with.
   */
  mode?: PassMode;
  /** ISO 8601: a new update pass also re-checks known articles published since then. */
  recheckPublishedSince?: string | undefined;
}

/** crawl: every page found is fetched (known ones with conditional GET); update: only what is new or changed. */
export type PassMode = 'crawl' | 'update';

/** Passes in a row that retry a failed URL before it is given up. */
export const MAX_RETRY_PASSES = 5;

/** Outcomes of pages that list other pages; an update re-checks them with conditional GET. */
const LISTING_OUTCOMES = ['listing'];
/** Outcomes of article pages (crawl-update.ts ARTICLE_OUTCOMES). */
const ARTICLE_OUTCOMES = ['on-topic', 'off-topic', 'duplicate'];

export interface PassInfo {
  pass: number;
  /** True when an unfinished pass was picked up; false when a new pass started. */
  resumed: boolean;
  /** Entries that were leased when the last process stopped, now pending again. */
  releasedLeases: number;
  /** Why a new pass started instead of resuming. */
  reason: 'first' | 'previous-finished' | 'setup-changed' | 'resumed';
  mode: PassMode;
  /** Entries a new pass took over: failed URLs of earlier passes (and, in an update, known feeds and sitemaps). */
  carriedOver: number;
}

/**
 * Persistent frontier and crawl log in SQLite (WAL). Every change (add, lease, complete,
 * release) is its own transaction, so a process killed at any point, even by SIGKILL, leaves a
 * consistent state: on open, leases of the dead process go back to pending; completed URLs are
 * never leased again in the pass. ETag/Last-Modified (and where the body was archived) outlive
 * passes, so a later pass re-checks with conditional GET.
 *
 * Across passes the frontier also remembers every URL it fetched (`known`: outcome, when,
 * publication date) and the URLs whose fetch failed (`retry`): a new pass starts with the
 * failed ones again, so a page that was dropped, stalled or truncated is retried by the next
 * run even when the listing that named it answers 304.
 */
export class SqliteFrontier implements Frontier {
  readonly #db: Database.Database;
  readonly pass: PassInfo;
  readonly #statements;
  #seq = 0;
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
      CREATE TABLE IF NOT EXISTS retry (key TEXT PRIMARY KEY, entry TEXT NOT NULL, at TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 1);
    `);
    this.#migrate();
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
      putKnown: this.#db.prepare<[string, string, string, string | null, string | null, string | null]>(
        'INSERT OR REPLACE INTO known (key, outcome, fetched_at, published_at, entry, doc_hash) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      keepKnown: this.#db.prepare<[string, string]>('UPDATE known SET fetched_at = ? WHERE key = ?'),
      addFailedKnown: this.#db.prepare<[string, string, string | null]>(
        "INSERT OR IGNORE INTO known (key, outcome, fetched_at, published_at, entry) VALUES (?, 'failed', ?, NULL, ?)",
      ),
      getKnown: this.#db.prepare<[string], { outcome: string; fetched_at: string; published_at: string | null; doc_hash: string | null; last_modified: string | null }>(
        'SELECT k.outcome, k.fetched_at, k.published_at, k.doc_hash, v.last_modified FROM known k LEFT JOIN validators v ON v.key = k.key WHERE k.key = ?',
      ),
      putRetry: this.#db.prepare<[string, string, string]>(
        'INSERT INTO retry (key, entry, at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET attempts = attempts + 1, at = excluded.at',
      ),
      dropRetry: this.#db.prepare<[string]>('DELETE FROM retry WHERE key = ?'),
    };
    this.pass = this.#openPass(options.fingerprint, options.mode ?? 'crawl', options.recheckPublishedSince);
    this.#seq = (this.#db.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM urls').get() as { n: number }).n;
    this.#pending = this.#statements.count.get(PENDING)!.n;
  }

  /** Tables and columns added after the first release; an older state file gains them in place. */
  #migrate(): void {
    const passColumns = this.#db.prepare('PRAGMA table_info(pass)').all() as Array<{ name: string }>;
    if (!passColumns.some((column) => column.name === 'mode')) this.#db.exec('ALTER TABLE pass ADD COLUMN mode TEXT');
    const hasKnown = this.#db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'known'").get() !== undefined;
    if (hasKnown) return;
    this.#db.exec(`
      CREATE TABLE known (key TEXT PRIMARY KEY, outcome TEXT NOT NULL, fetched_at TEXT NOT NULL, published_at TEXT, entry TEXT, doc_hash TEXT);
      -- A state file from before: what its crawl log says is the best we know (latest answer per URL).
      INSERT OR IGNORE INTO known (key, outcome, fetched_at, entry)
        SELECT l.key, l.outcome, l.at, u.entry FROM log l LEFT JOIN urls u ON u.key = l.key
        WHERE l.outcome NOT IN ('not-modified', 'failed') ORDER BY l.seq DESC;
    `);
  }

  #openPass(fingerprint: string, requested: PassMode, recheckPublishedSince: string | undefined): PassInfo {
    return this.#db.transaction((): PassInfo => {
      const last = this.#db.prepare('SELECT id, fingerprint, finished_at, mode FROM pass ORDER BY id DESC LIMIT 1').get() as
        | { id: number; fingerprint: string; finished_at: string | null; mode: PassMode | null }
        | undefined;
      if (last && !last.finished_at && last.fingerprint === fingerprint) {
        const released = this.#db.prepare(`UPDATE urls SET state = ${PENDING} WHERE state = ${LEASED}`).run().changes;
        return { pass: last.id, resumed: true, releasedLeases: released, reason: 'resumed', mode: last.mode ?? 'crawl', carriedOver: 0 };
      }
      this.#db.exec('DELETE FROM urls');
      // An update needs something to compare with: with nothing known yet, it is a full crawl.
      const knowsPages = this.#db.prepare('SELECT 1 FROM known LIMIT 1').get() !== undefined;
      const mode: PassMode = requested === 'update' && knowsPages ? 'update' : 'crawl';
      const id = Number(
        this.#db.prepare('INSERT INTO pass (fingerprint, started_at, mode) VALUES (?, ?, ?)').run(fingerprint, new Date().toISOString(), mode).lastInsertRowid,
      );
      this.#seq = (this.#db.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM urls').get() as { n: number }).n;
      // In the same transaction as the new pass: a kill cannot lose what is carried over.
      let carriedOver = 0;
      // A URL that failed in MAX_RETRY_PASSES passes in a row is given up (until a page links it again).
      this.#db.prepare('DELETE FROM retry WHERE attempts >= ?').run(MAX_RETRY_PASSES);
      for (const row of this.#db.prepare('SELECT entry FROM retry ORDER BY at').all() as Array<{ entry: string }>) {
        if (this.add(JSON.parse(row.entry) as FrontierEntry)) carriedOver += 1;
      }
      if (mode === 'update') {
        const listings = this.#db
          .prepare(`SELECT entry FROM known WHERE entry IS NOT NULL AND outcome IN (${LISTING_OUTCOMES.map(() => '?').join(', ')})`)
          .all(...LISTING_OUTCOMES) as Array<{ entry: string }>;
        for (const row of listings) if (this.add(JSON.parse(row.entry) as FrontierEntry)) carriedOver += 1;
        if (recheckPublishedSince) {
          // Recent articles may still change (corrections, updates) without any listing saying so.
          const recent = this.#db
            .prepare(`SELECT entry FROM known WHERE entry IS NOT NULL AND published_at >= ? AND outcome IN (${ARTICLE_OUTCOMES.map(() => '?').join(', ')})`)
            .all(recheckPublishedSince, ...ARTICLE_OUTCOMES) as Array<{ entry: string }>;
          for (const row of recent) if (this.add(JSON.parse(row.entry) as FrontierEntry)) carriedOver += 1;
        }
      }
      const reason = !last ? 'first' : last.finished_at ? 'previous-finished' : 'setup-changed';
      return { pass: id, resumed: false, releasedLeases: 0, reason, mode, carriedOver };
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
      for (const entry of completion.discovered ?? []) this.add(entry);
      if (this.#statements.setState.run(DONE, canonicalKey, LEASED).changes === 0) return;
      const entryJson = this.#statements.entryOf.get(canonicalKey)?.entry ?? null;
      const entry = JSON.parse(entryJson ?? '{}') as Partial<FrontierEntry>;
      const at = new Date().toISOString();
      this.#statements.log.run(this.pass.pass, canonicalKey, entry.url ?? canonicalKey, completion.status, completion.outcome, at);
      if (completion.outcome === 'failed') {
        // Retried by the next pass; what an earlier fetch learnt about the URL stays.
        if (entryJson) this.#statements.putRetry.run(canonicalKey, entryJson, at);
        this.#statements.addFailedKnown.run(canonicalKey, at, entryJson);
      } else {
        this.#statements.dropRetry.run(canonicalKey);
        if (completion.outcome === 'not-modified') this.#statements.keepKnown.run(at, canonicalKey);
        else this.#statements.putKnown.run(canonicalKey, completion.outcome, at, completion.publishedAt ?? null, entryJson, completion.documentHash ?? null);
      }
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

  known(canonicalKey: string): KnownUrl | undefined {
    const row = this.#statements.getKnown.get(canonicalKey);
    if (!row) return undefined;
    return {
      outcome: row.outcome,
      fetchedAt: row.fetched_at,
      publishedAt: row.published_at ?? undefined,
      lastModified: row.last_modified ?? undefined,
      documentHash: row.doc_hash ?? undefined,
    };
  }

  /** URLs whose last fetch failed; the next pass retries them. */
  get retryCount(): number {
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM retry').get() as { n: number }).n;
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
