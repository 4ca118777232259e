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
/** Band lists shorter than this are read again when needed rather than kept between batches. */
const MIN_CACHED_LIST = 8;
/** Bounds on what is kept between batches (about 100 MB at most). */
const MAX_CACHED_MEMBERS = 4_000_000;
const MAX_CACHED_PRINTS = 200_000;

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
  /**
   * What earlier batches read and wrote, kept between transactions: boilerplate makes the same
   * long band lists and the same candidate fingerprints come up in every batch. Valid while no
   * other connection has written to the file (PRAGMA data_version tells); dropped otherwise.
   */
  #bands = new BandLookup((keys) => this.#bandRows(keys));
  #prints = new Map<string, TextFingerprint>();
  #dataVersion = -1;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    // As the outbox: a crash cannot corrupt the file, and a commit per batch skips its fsync.
    this.#db.pragma('synchronous = NORMAL');
    // Grouping reads bands and members at random: with SQLite's default 2 MB page cache almost
    // every lookup at 100,000 documents is a read from the file.
    this.#db.pragma('cache_size = -262144');
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS members (
        doc_id TEXT PRIMARY KEY,
        story_id TEXT NOT NULL,
        published_at INTEGER,
        shingle_count INTEGER NOT NULL,
        signature BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS members_by_story ON members (story_id);
      CREATE TABLE IF NOT EXISTS bands (key TEXT NOT NULL, doc_id TEXT NOT NULL, PRIMARY KEY (key, doc_id)) WITHOUT ROWID;
      -- A copy's old bands follow from its stored signature, so no index by document is kept
      -- (it cost a third of every band insert); registries made before drop it once.
      DROP INDEX IF EXISTS bands_by_doc;
      CREATE TABLE IF NOT EXISTS story_updates (doc_id TEXT PRIMARY KEY, story_id TEXT NOT NULL);
    `);
  }

  /**
   * Registers a batch (one transaction) and returns it with final story ids. Members outside
   * the batch whose story id changed are queued as story updates.
   */
  assign(documents: readonly IndexDocument[]): IndexDocument[] {
    const batchIds = new Set(documents.map((document) => document.id));
    try {
      return this.#assignInTransaction(documents, batchIds);
    } catch (error) {
      this.#forgetCaches(); // they may hold what the rolled-back transaction wrote
      throw error;
    }
  }

  #assignInTransaction(documents: readonly IndexDocument[], batchIds: ReadonlySet<string>): IndexDocument[] {
    return this.#db.transaction(() => {
      const { bands, prints } = this.#caches();
      for (const document of documents) this.#register(document, batchIds, bands, prints);
      bands.forgetShortLists(MIN_CACHED_LIST);
      if (prints.size > MAX_CACHED_PRINTS) prints.clear();
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
  #caches(): { bands: BandLookup; prints: Map<string, TextFingerprint> } {
    const version = this.#db.pragma('data_version', { simple: true }) as number;
    if (version !== this.#dataVersion || this.#bands.size > MAX_CACHED_MEMBERS) this.#forgetCaches();
    this.#dataVersion = version;
    return { bands: this.#bands, prints: this.#prints };
  }

  #forgetCaches(): void {
    this.#bands = new BandLookup((keys) => this.#bandRows(keys));
    this.#prints = new Map();
  }

  clear(): void {
    this.#forgetCaches();
    this.#db.exec('DELETE FROM members; DELETE FROM bands; DELETE FROM story_updates;');
  }

  close(): void {
    this.#db.close();
  }

  /** `bands` and `prints` are what this transaction has read or written so far. */
  #register(document: IndexDocument, batchIds: ReadonlySet<string>, bands: BandLookup, prints: Map<string, TextFingerprint>): void {
    const print = fingerprint(document.body);
    const keys = bandKeys(print.signature);
    const previous = this.#sql('SELECT story_id, signature FROM members WHERE doc_id = ?').get(document.id) as
      | { story_id: string; signature: Buffer }
      | undefined;
    const previousStory = previous?.story_id;
    if (previous) {
      const oldKeys = bandKeys(toSignature(previous.signature));
      bands.remove(document.id, oldKeys);
      const deleteBand = this.#sql('DELETE FROM bands WHERE key = ? AND doc_id = ?');
      for (const key of oldKeys) deleteBand.run(key, document.id);
    }
    this.#sql(`INSERT INTO members (doc_id, story_id, published_at, shingle_count, signature) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(doc_id) DO UPDATE SET published_at = excluded.published_at, shingle_count = excluded.shingle_count, signature = excluded.signature`)
      .run(document.id, previousStory ?? document.id, document.publishedAt, print.shingleCount, Buffer.from(print.signature.buffer));

    const stories = new Set<string>([previousStory ?? document.id]);
    for (const candidate of this.#fingerprints(bands.mostShared(keys, document.id, MAX_CANDIDATES), prints)) {
      // Only a match needs the candidate's story; its current id is read then (merges change it).
      if (isSameStory(print, candidate.fingerprint)) stories.add(this.storyOf(candidate.docId)!);
    }
    // One statement for all bands of the document: a statement call costs about as much as the insert.
    this.#sql(`INSERT OR IGNORE INTO bands (key, doc_id) VALUES ${keys.map(() => '(?, ?)').join(', ')}`).run(keys.flatMap((key) => [key, document.id]));
    bands.add(document.id, keys);
    prints.set(document.id, print);
    this.#mergeStories([...stories], batchIds);
  }

  /** Every (key, doc_id) row of the given band keys. */
  #bandRows(keys: readonly string[]): Array<[string, string]> {
    const placeholders = keys.map(() => '?').join(', ');
    // Sorted by id within each key (ids are ASCII, so SQLite's and JavaScript's orders agree).
    return this.#sql(`SELECT key, doc_id FROM bands WHERE key IN (${placeholders}) ORDER BY key, doc_id`).raw().all(...keys) as Array<[string, string]>;
  }

  /**
   * Fingerprints of candidate members. Boilerplate makes the same few members candidates of
   * many documents, so fingerprints read in this transaction are kept (they change only when
   * the member itself is registered again, which replaces the entry).
   */
  #fingerprints(docIds: readonly string[], prints: Map<string, TextFingerprint>): Array<{ docId: string; fingerprint: TextFingerprint }> {
    const missing = docIds.filter((docId) => !prints.has(docId));
    if (missing.length > 0) {
      const placeholders = missing.map(() => '?').join(', ');
      const rows = this.#sql(`SELECT doc_id, shingle_count, signature FROM members WHERE doc_id IN (${placeholders})`).raw().all(...missing) as Array<
        [string, number, Buffer]
      >;
      for (const [docId, shingleCount, signature] of rows) prints.set(docId, { shingleCount, signature: toSignature(signature) });
    }
    return docIds.flatMap((docId) => {
      const fingerprint = prints.get(docId);
      return fingerprint ? [{ docId, fingerprint }] : [];
    });
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

/**
 * The band index as far as one `assign` has read it, kept in memory for the length of its
 * transaction (so no other writer can change it meanwhile). Boilerplate makes some band keys
 * common to thousands of documents; counting shared bands here instead of in a GROUP BY per
 * document makes grouping a batch several times faster. Candidates are the same (most shared
 * bands first), except that ties now go to the smaller id instead of SQLite's sort order.
 */
class BandLookup {
  readonly #members = new Map<string, number[]>();
  /** Documents as small numbers, so counting needs no string hashing. */
  readonly #docIds: string[] = [];
  readonly #docNumbers = new Map<string, number>();
  #shared = new Uint8Array(1024);
  #held = 0;

  constructor(private readonly readRows: (keys: readonly string[]) => Array<[string, string]>) {}

  /**
   * Up to `limit` documents (other than `ownId`) sharing the most of `keys`; ties go to the
   * smaller id, so the choice does not depend on the order documents arrived in.
   */
  mostShared(keys: readonly string[], ownId: string, limit: number): string[] {
    this.#load(keys);
    const own = this.#docNumbers.get(ownId);
    const lists = keys.map((key) => this.#members.get(key) ?? []);
    const touched: number[] = [];
    for (const list of lists) {
      for (const doc of list) {
        if (doc === own) continue;
        if (this.#shared[doc] === 0) touched.push(doc);
        this.#shared[doc] = this.#shared[doc]! + 1;
      }
    }
    // Documents sharing two or more bands are few (copies, and some boilerplate): sorted in full.
    const byShared: number[][] = Array.from({ length: keys.length + 1 }, () => []);
    for (const doc of touched) if (this.#shared[doc]! > 1) byShared[this.#shared[doc]!]!.push(doc);
    const chosen: string[] = [];
    for (let shared = keys.length; shared > 1 && chosen.length < limit; shared--) {
      chosen.push(...smallest(byShared[shared]!.map((doc) => this.#docIds[doc]!), limit - chosen.length));
    }
    // Those sharing one band can be thousands: the lists are sorted by id, so the smallest of
    // them are found by merging the lists' heads.
    if (chosen.length < limit) chosen.push(...this.#smallestSharingOne(lists, own, limit - chosen.length));
    for (const doc of touched) this.#shared[doc] = 0;
    return chosen;
  }

  #smallestSharingOne(lists: ReadonlyArray<readonly number[]>, own: number | undefined, count: number): string[] {
    const heads = lists.map(() => 0);
    const chosen: string[] = [];
    while (chosen.length < count) {
      let best = -1;
      for (let list = 0; list < lists.length; list++) {
        const members = lists[list]!;
        let head = heads[list]!;
        while (head < members.length && (members[head] === own || this.#shared[members[head]!] !== 1)) head++;
        heads[list] = head;
        if (head < members.length && (best < 0 || this.#docIds[members[head]!]! < this.#docIds[lists[best]![heads[best]!]!]!)) best = list;
      }
      if (best < 0) break;
      chosen.push(this.#docIds[lists[best]![heads[best]!]!]!);
      heads[best] = heads[best]! + 1;
    }
    return chosen;
  }

  /** Document references held in lists. */
  get size(): number {
    return this.#held;
  }

  /** Drops the short lists (most keys have one or two members; reading them again is cheap). */
  forgetShortLists(minLength: number): void {
    for (const [key, members] of this.#members) {
      if (members.length < minLength) {
        this.#members.delete(key);
        this.#held -= members.length;
      }
    }
  }

  add(docId: string, keys: readonly string[]): void {
    const doc = this.#number(docId);
    for (const key of keys) {
      const members = this.#members.get(key);
      if (!members) continue; // not read yet: reading it later finds this document in SQLite
      members.splice(this.#sortedPosition(members, docId), 0, doc);
      this.#held += 1;
    }
  }

  remove(docId: string, keys: readonly string[]): void {
    const doc = this.#docNumbers.get(docId);
    if (doc === undefined) return;
    for (const key of keys) {
      const members = this.#members.get(key);
      if (!members) continue;
      const kept = members.filter((member) => member !== doc);
      this.#held -= members.length - kept.length;
      this.#members.set(key, kept);
    }
  }

  /** Lists stay sorted by id (as SQLite returns them), which `#smallestSharingOne` relies on. */
  #sortedPosition(members: readonly number[], docId: string): number {
    let low = 0;
    let high = members.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#docIds[members[middle]!]! < docId) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  #load(keys: readonly string[]): void {
    const missing = keys.filter((key) => !this.#members.has(key));
    if (missing.length === 0) return;
    for (const key of missing) this.#members.set(key, []);
    for (const [key, docId] of this.readRows(missing)) {
      this.#members.get(key)!.push(this.#number(docId));
      this.#held += 1;
    }
  }

  #number(docId: string): number {
    let doc = this.#docNumbers.get(docId);
    if (doc === undefined) {
      doc = this.#docIds.push(docId) - 1;
      this.#docNumbers.set(docId, doc);
      if (doc >= this.#shared.length) {
        const grown = new Uint8Array(this.#shared.length * 2);
        grown.set(this.#shared);
        this.#shared = grown;
      }
    }
    return doc;
  }
}

function toSignature(stored: Buffer): Uint32Array {
  return new Uint32Array(stored.buffer.slice(stored.byteOffset, stored.byteOffset + stored.byteLength));
}

/** The `count` smallest strings, in order, without sorting them all (the list can be long). */
function smallest(values: readonly string[], count: number): string[] {
  if (values.length <= count) return [...values].sort();
  const kept: string[] = [];
  for (const value of values) {
    if (kept.length === count && value >= kept[count - 1]!) continue;
    let at = kept.length;
    while (at > 0 && kept[at - 1]! > value) at--;
    kept.splice(at, 0, value);
    if (kept.length > count) kept.pop();
  }
  return kept;
}

/** One registry per index: story ids only mean something together with the documents. */
export function storyRegistryFile(stateDir: string, indexName: string): string {
  return path.join(stateDir, `stories-${indexName}.sqlite`);
}
