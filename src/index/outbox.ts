import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { IndexDocument } from '../pipeline/types.js';

/**
 * Durable queue of documents waiting for Meilisearch. A document is written here (one SQLite
 * transaction) before delivery and removed only after Meilisearch confirmed it, so a dead
 * server or a killed process loses nothing. Delivery is an upsert by id, so delivering a
 * document twice after a crash still yields one document in the index.
 */
export class IndexOutbox {
  readonly #db: Database.Database;
  readonly #put: Database.Statement<[string, string]>;
  readonly #remove: Database.Statement<[string]>;
  readonly #take: Database.Statement<[number, number], { id: string; seq: number; doc: string }>;
  readonly #acknowledge: Database.Statement<[string, number]>;
  readonly #count: Database.Statement<[], { n: number }>;

  constructor(file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    // seq orders delivery and tells a re-queued newer version apart from the one delivered;
    // as the rowid it is indexed, so queuing stays cheap however long the queue grows.
    this.#db.exec(`CREATE TABLE IF NOT EXISTS outbox (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      doc TEXT NOT NULL
    )`);
    this.#remove = this.#db.prepare('DELETE FROM outbox WHERE id = ?');
    this.#put = this.#db.prepare('INSERT INTO outbox (id, doc) VALUES (?, ?)');
    this.#take = this.#db.prepare('SELECT id, seq, doc FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?');
    this.#acknowledge = this.#db.prepare('DELETE FROM outbox WHERE id = ? AND seq = ?');
    this.#count = this.#db.prepare('SELECT COUNT(*) AS n FROM outbox');
  }

  /** Queues documents; a newer version of a queued id replaces the older one. */
  put(documents: readonly IndexDocument[]): void {
    this.#db.transaction(() => {
      for (const document of documents) {
        this.#remove.run(document.id);
        this.#put.run(document.id, JSON.stringify(document));
      }
    })();
  }

  /** The oldest waiting documents (after `afterSeq`), with the version marks `acknowledge` needs. */
  peek(limit: number, afterSeq = 0): Array<{ document: IndexDocument; seq: number }> {
    return this.#take.all(afterSeq, limit).map((row) => ({ document: JSON.parse(row.doc) as IndexDocument, seq: row.seq }));
  }

  /** Removes delivered versions; a version queued after the peek stays. */
  acknowledge(delivered: ReadonlyArray<{ document: Pick<IndexDocument, 'id'>; seq: number }>): void {
    this.#db.transaction(() => {
      for (const { document, seq } of delivered) this.#acknowledge.run(document.id, seq);
    })();
  }

  get pendingCount(): number {
    return this.#count.get()!.n;
  }

  close(): void {
    this.#db.close();
  }
}

export function outboxFile(stateDir: string): string {
  return path.join(stateDir, 'index-outbox.sqlite');
}

const FIRST_BATCH_SIZE = 1_000;

/**
 * Delivers everything waiting, in batches, until the outbox is empty or delivery fails. Up to
 * `inFlight` batches (40,000 documents by default) are sent before the oldest is waited for: Meilisearch merges queued
 * additions into one indexing batch (much cheaper than one batch each), and the next batch is
 * prepared while it indexes. A batch leaves the outbox only once Meilisearch confirmed it, in
 * order; a failure is thrown after the confirmed batches were acknowledged. `finish` (e.g. the
 * story-id changes the batches caused, see StoryIndex) is sent once after the last batch.
 */
export async function deliverPending(
  outbox: IndexOutbox,
  enqueue: (documents: IndexDocument[]) => Promise<() => Promise<void>>,
  batchSize = 5_000,
  inFlight = 8,
  finish?: () => Promise<() => Promise<void>>,
): Promise<number> {
  let delivered = 0;
  let afterSeq = 0;
  // Only what acknowledging needs is kept for batches in flight, not the documents.
  const sent: Array<{ batch: Array<{ document: Pick<IndexDocument, 'id'>; seq: number }>; wait: () => Promise<void> }> = [];
  const settleOldest = async (): Promise<void> => {
    const oldest = sent.shift();
    if (!oldest) return;
    await oldest.wait();
    outbox.acknowledge(oldest.batch);
    delivered += oldest.batch.length;
  };
  const settleAll = async (): Promise<void> => {
    while (sent.length > 0) await settleOldest();
  };
  for (let first = true; ; first = false) {
    // A small first batch gets Meilisearch indexing while the next batches are prepared.
    const batch = outbox.peek(first ? Math.min(batchSize, FIRST_BATCH_SIZE) : batchSize, afterSeq);
    if (batch.length === 0) {
      const waitForFinish = await finish?.().catch(async (error: unknown) => {
        await settleAll(); // what was sent before the failure still counts
        throw error;
      });
      await settleAll();
      await waitForFinish?.();
      return delivered;
    }
    let wait: () => Promise<void>;
    try {
      wait = await enqueue(batch.map((entry) => entry.document));
    } catch (error) {
      await settleAll(); // what was sent before the failure still counts
      throw error;
    }
    afterSeq = batch[batch.length - 1]!.seq;
    sent.push({ batch: batch.map(({ document, seq }) => ({ document: { id: document.id }, seq })), wait });
    if (sent.length >= inFlight) await settleOldest();
  }
}
