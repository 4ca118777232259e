import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { IndexDocument } from '../pipeline/types.js';
import { bandKeys, fingerprint, isSameStory, type TextFingerprint } from './near-duplicates.js';

/**
 * Candidates compared per new copy, those sharing the most bands first: bounds the work when
 * many texts share boilerplate, while a real copy shares nearly all bands and ranks first.
 */
const MAX_CANDIDATES = 32;

export interface StoryUpdate {
  id: string;
  storyId: string;
}

/**
 * Which document belongs to which story, kept in SQLite next to the crawl state.
 *
 * Copies join a story when `isSameStory` holds for any member (single link), and stories that
 * a new copy connects are merged. A story's id is the id of its earliest-published member (ties:
 * the smaller id), so the grouping and its ids do not depend on the order copies arrive in: a
 * crawl and a reindex of the same archive agree. When a story's id changes, members already
 * in the index get a pending partial update, delivered after the batch that caused it.
 */
export class StoryRegistry {
  readonly #db: Database.Database;
  /** Compiling a statement costs more than running it: each SQL text is prepared once. */
  readonly #statements = new Map<string, Database.Statement>();

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS members (
        doc_id TEXT PRIMARY KEY,
        story_id TEXT NOT NULL,
        published_at INTEGER,
        shingle_count INTEGER NOT NULL,
        signature BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS members_by_story ON members (story_id);
      CREATE TABLE IF NOT EXISTS bands (key TEXT NOT NULL, doc_id TEXT NOT NULL, PRIMARY KEY (key, doc_id));
      CREATE INDEX IF NOT EXISTS bands_by_doc ON bands (doc_id);
      CREATE TABLE IF NOT EXISTS story_updates (doc_id TEXT PRIMARY KEY, story_id TEXT NOT NULL);
    `);
  }

  /**
   * Registers a batch (one transaction) and returns it with final story ids. Members outside
   * the batch whose story id changed are queued as story updates.
   */
  assign(documents: readonly IndexDocument[]): IndexDocument[] {
    const batchIds = new Set(documents.map((document) => document.id));
    return this.#db.transaction(() => {
      for (const document of documents) this.#register(document, batchIds);
      const deleteUpdate = this.#sql('DELETE FROM story_updates WHERE doc_id = ?');
      for (const id of batchIds) deleteUpdate.run(id); // the batch carries its own story ids
      return documents.map((document) => ({ ...document, storyId: this.storyOf(document.id) ?? document.id }));
    })();
  }

  #sql(text: string): Database.Statement {
    let statement = this.#statements.get(text);
    if (!statement) {
      statement = this.#db.prepare(text);
      this.#statements.set(text, statement);
    }
    return statement;
  }

  storyOf(docId: string): string | undefined {
    return (this.#sql('SELECT story_id FROM members WHERE doc_id = ?').get(docId) as { story_id: string } | undefined)?.story_id;
  }

  pendingUpdates(limit = 1000): StoryUpdate[] {
    return (this.#sql('SELECT doc_id, story_id FROM story_updates LIMIT ?').all(limit) as Array<{ doc_id: string; story_id: string }>).map(
      (row) => ({ id: row.doc_id, storyId: row.story_id }),
    );
  }

  /** Removes delivered updates, unless the story changed again meanwhile. */
  acknowledgeUpdates(updates: readonly StoryUpdate[]): void {
    const remove = this.#sql('DELETE FROM story_updates WHERE doc_id = ? AND story_id = ?');
    this.#db.transaction(() => {
      for (const update of updates) remove.run(update.id, update.storyId);
    })();
  }

  /** Forgets everything (the index was emptied, e.g. before a reindex). */
  clear(): void {
    this.#db.exec('DELETE FROM members; DELETE FROM bands; DELETE FROM story_updates;');
  }

  close(): void {
    this.#db.close();
  }

  #register(document: IndexDocument, batchIds: ReadonlySet<string>): void {
    const print = fingerprint(document.body);
    const keys = bandKeys(print.signature);
    const previousStory = this.storyOf(document.id);
    this.#sql('DELETE FROM bands WHERE doc_id = ?').run(document.id);
    this.#sql(`INSERT INTO members (doc_id, story_id, published_at, shingle_count, signature) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(doc_id) DO UPDATE SET published_at = excluded.published_at, shingle_count = excluded.shingle_count, signature = excluded.signature`)
      .run(document.id, previousStory ?? document.id, document.publishedAt, print.shingleCount, Buffer.from(print.signature.buffer));

    const stories = new Set<string>([previousStory ?? document.id]);
    for (const candidate of this.#candidates(keys, document.id)) {
      if (isSameStory(print, candidate.fingerprint)) stories.add(candidate.storyId);
    }
    const insertBand = this.#sql('INSERT OR IGNORE INTO bands (key, doc_id) VALUES (?, ?)');
    for (const key of keys) insertBand.run(key, document.id);
    this.#mergeStories([...stories], batchIds);
  }

  #candidates(keys: string[], ownId: string): Array<{ storyId: string; fingerprint: TextFingerprint }> {
    const placeholders = keys.map(() => '?').join(', ');
    const rows = this.#sql(`SELECT m.doc_id, m.story_id, m.shingle_count, m.signature FROM members m JOIN (
          SELECT doc_id, COUNT(*) AS shared FROM bands WHERE key IN (${placeholders}) AND doc_id <> ? GROUP BY doc_id ORDER BY shared DESC LIMIT ${MAX_CANDIDATES}
        ) c ON c.doc_id = m.doc_id`)
      .all(...keys, ownId) as Array<{ doc_id: string; story_id: string; shingle_count: number; signature: Buffer }>;
    return rows.map((row) => ({
      storyId: row.story_id,
      fingerprint: {
        shingleCount: row.shingle_count,
        signature: new Uint32Array(row.signature.buffer.slice(row.signature.byteOffset, row.signature.byteOffset + row.signature.byteLength)),
      },
    }));
  }

  /** All members of the given stories become one story named after its earliest member. */
  #mergeStories(storyIds: string[], batchIds: ReadonlySet<string>): void {
    const placeholders = storyIds.map(() => '?').join(', ');
    const members = this.#sql(`SELECT doc_id, story_id, published_at FROM members WHERE story_id IN (${placeholders})`)
      .all(...storyIds) as Array<{ doc_id: string; story_id: string; published_at: number | null }>;
    const earliest = [...members].sort(
      (a, b) => (a.published_at ?? Number.MAX_SAFE_INTEGER) - (b.published_at ?? Number.MAX_SAFE_INTEGER) || (a.doc_id < b.doc_id ? -1 : 1),
    )[0];
    if (!earliest) return;
    const setStory = this.#sql('UPDATE members SET story_id = ? WHERE doc_id = ?');
    const queueUpdate = this.#sql('INSERT INTO story_updates (doc_id, story_id) VALUES (?, ?) ON CONFLICT(doc_id) DO UPDATE SET story_id = excluded.story_id');
    for (const member of members) {
      if (member.story_id === earliest.doc_id) continue;
      setStory.run(earliest.doc_id, member.doc_id);
      if (!batchIds.has(member.doc_id)) queueUpdate.run(member.doc_id, earliest.doc_id);
    }
  }
}

/** One registry per index: story ids only mean something together with the documents. */
export function storyRegistryFile(stateDir: string, indexName: string): string {
  return path.join(stateDir, `stories-${indexName}.sqlite`);
}
