import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
