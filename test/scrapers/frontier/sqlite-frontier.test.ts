import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteFrontier } from '../../../src/scrapers/frontier/sqlite-frontier.js';
import { entry, frontierContract } from './frontier.contract.js';

function freshFile(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'chronik-frontier-')), 'crawl-state.sqlite');
}

frontierContract('SqliteFrontier', () => new SqliteFrontier(freshFile(), { fingerprint: 'f' }));

describe('SqliteFrontier across processes', () => {
  it('resumes an unfinished pass: done stays done, leases go back to pending, nothing discovered is lost', () => {
    const file = freshFile();
    const first = new SqliteFrontier(file, { fingerprint: 'f' });
    expect(first.pass).toMatchObject({ pass: 1, resumed: false, reason: 'first' });
    first.addMany([entry('http://a/1', 3), entry('http://a/2', 2), entry('http://a/3', 1)]);
    first.complete(first.lease()!.canonicalKey, { status: 200, outcome: 'on-topic' });
    first.lease(); // killed while fetching a/2
    first.close();

    const second = new SqliteFrontier(file, { fingerprint: 'f' });
    expect(second.pass).toMatchObject({ pass: 1, resumed: true, releasedLeases: 1 });
    expect([second.lease()?.canonicalKey, second.lease()?.canonicalKey, second.lease()]).toEqual(['http://a/2', 'http://a/3', undefined]);
    expect(second.add(entry('http://a/1'))).toBe(false);
    second.close();
  });

  it('starts a new pass after a finished one, keeping the validators for conditional GETs', () => {
    const file = freshFile();
    const first = new SqliteFrontier(file, { fingerprint: 'f' });
    first.add(entry('http://a/1'));
    first.lease();
    first.complete('http://a/1', { status: 200, outcome: 'on-topic', validators: { etag: '"v1"' } });
    first.finishPass();
    first.close();

    const second = new SqliteFrontier(file, { fingerprint: 'f' });
    expect(second.pass).toMatchObject({ pass: 2, resumed: false, reason: 'previous-finished' });
    expect(second.add(entry('http://a/1'))).toBe(true);
    expect(second.validators('http://a/1')?.etag).toBe('"v1"');
    second.close();
  });

  it('starts a new pass when the setup changed', () => {
    const file = freshFile();
    const first = new SqliteFrontier(file, { fingerprint: 'f' });
    first.add(entry('http://a/1'));
    first.close();
    const second = new SqliteFrontier(file, { fingerprint: 'g' });
    expect(second.pass).toMatchObject({ pass: 2, resumed: false, reason: 'setup-changed' });
    expect(second.pendingCount).toBe(0);
    second.close();
  });

  it('writes a crawl log entry per completed URL', () => {
    const frontier = new SqliteFrontier(freshFile(), { fingerprint: 'f' });
    frontier.addMany([entry('http://a/1', 2), entry('http://a/2', 1)]);
    frontier.complete(frontier.lease()!.canonicalKey, { status: 200, outcome: 'on-topic' });
    frontier.complete(frontier.lease()!.canonicalKey, { status: 404, outcome: 'failed' });
    expect(frontier.logOfPass()).toEqual([
      { url: 'http://a/1', status: 200, outcome: 'on-topic' },
      { url: 'http://a/2', status: 404, outcome: 'failed' },
    ]);
    frontier.close();
  });
});

describe('SqliteFrontier memory across passes (for updates)', () => {
  it('remembers what each URL was and when, keeps it through a 304, and carries failed URLs into the next pass', () => {
    const file = freshFile();
    const first = new SqliteFrontier(file, { fingerprint: 'f' });
    expect(first.pass.mode).toBe('crawl');
    first.addMany([entry('http://a/article', 3), entry('http://a/feed', 2), entry('http://a/dropped', 1)]);
    first.complete(first.lease()!.canonicalKey, { status: 200, outcome: 'on-topic', publishedAt: '2021-10-20T08:00:00.000Z', validators: { lastModified: 'Tue, 19 Oct 2021 10:00:00 GMT' } });
    first.complete(first.lease()!.canonicalKey, { status: 200, outcome: 'listing' });
    first.complete(first.lease()!.canonicalKey, { status: 0, outcome: 'failed' });
    expect(first.known('http://a/article')).toMatchObject({ outcome: 'on-topic', publishedAt: '2021-10-20T08:00:00.000Z', lastModified: 'Tue, 19 Oct 2021 10:00:00 GMT' });
    expect(first.known('http://a/dropped')).toMatchObject({ outcome: 'failed' });
    expect(first.known('http://a/never')).toBeUndefined();
    expect(first.retryCount).toBe(1);
    first.finishPass();
    first.close();

    const second = new SqliteFrontier(file, { fingerprint: 'f', mode: 'update' });
    expect(second.pass).toMatchObject({ pass: 2, mode: 'update', carriedOver: 2 });
    // The failed URL and the known listing are queued again; the known article is not.
    const leased = [second.lease(), second.lease(), second.lease()].map((e) => e?.canonicalKey);
    expect(leased.slice(0, 2).sort()).toEqual(['http://a/dropped', 'http://a/feed']);
    expect(leased[2]).toBeUndefined();
    const before = second.known('http://a/feed')!.fetchedAt;
    second.complete('http://a/feed', { status: 304, outcome: 'not-modified' });
    expect(second.known('http://a/feed')).toMatchObject({ outcome: 'listing' });
    expect(second.known('http://a/feed')!.fetchedAt >= before).toBe(true);
    second.complete('http://a/dropped', { status: 200, outcome: 'off-topic' });
    expect(second.retryCount).toBe(0);
    second.close();

    // Killed mid-pass, an update pass is resumed as an update.
    const third = new SqliteFrontier(file, { fingerprint: 'f', mode: 'crawl' });
    expect(third.pass).toMatchObject({ pass: 2, resumed: true, mode: 'update' });
    third.close();
  });

  it('makes the first update of a state that knows nothing a full crawl', () => {
    const frontier = new SqliteFrontier(freshFile(), { fingerprint: 'f', mode: 'update' });
    expect(frontier.pass).toMatchObject({ pass: 1, mode: 'crawl', reason: 'first' });
    frontier.close();
  });
});

describe('SqliteFrontier on a state file from before updates', () => {
  it('learns what it knows from the crawl log, so the first update is not a full crawl', () => {
    const file = freshFile();
    const old = new Database(file);
    old.exec(`
      CREATE TABLE pass (id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT);
      CREATE TABLE urls (key TEXT PRIMARY KEY, seq INTEGER NOT NULL, state INTEGER NOT NULL, score REAL NOT NULL, depth INTEGER NOT NULL, entry TEXT);
      CREATE TABLE log (seq INTEGER PRIMARY KEY AUTOINCREMENT, pass INTEGER NOT NULL, key TEXT NOT NULL, url TEXT NOT NULL, status INTEGER NOT NULL, outcome TEXT NOT NULL, at TEXT NOT NULL);
      INSERT INTO pass VALUES (1, 'f', '2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z');
      INSERT INTO urls VALUES ('http://a/feed', 1, 2, 50, 0, '${JSON.stringify(entry('http://a/feed', 50, 0))}');
      INSERT INTO log (pass, key, url, status, outcome, at) VALUES (1, 'http://a/feed', 'http://a/feed', 200, 'listing', '2026-01-01T00:10:00Z');
      INSERT INTO log (pass, key, url, status, outcome, at) VALUES (1, 'http://a/1', 'http://a/1', 200, 'on-topic', '2026-01-01T00:20:00Z');
    `);
    old.close();
    const frontier = new SqliteFrontier(file, { fingerprint: 'f', mode: 'update' });
    expect(frontier.pass).toMatchObject({ pass: 2, mode: 'update', carriedOver: 1 });
    expect(frontier.known('http://a/1')).toMatchObject({ outcome: 'on-topic', fetchedAt: '2026-01-01T00:20:00Z' });
    expect(frontier.lease()?.canonicalKey).toBe('http://a/feed');
    frontier.close();
  });
});
