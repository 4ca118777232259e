import { describe, expect, it } from 'vitest';
import type { FrontierEntry } from '../../../src/pipeline/types.js';
import type { Frontier } from '../../../src/scrapers/frontier/frontier.js';

export function entry(key: string, linkScore = 1, depth = 1): FrontierEntry {
  return { url: key, canonicalKey: key, depth, reason: 'related-link', linkScore };
}

/** The behaviour every frontier promises; run for MemoryFrontier and SqliteFrontier. */
export function frontierContract(name: string, create: () => Frontier): void {
  describe(`${name} (frontier contract)`, () => {
    it('admits each canonical key once', () => {
      const frontier = create();
      expect(frontier.add(entry('http://a/1'))).toBe(true);
      expect(frontier.add(entry('http://a/1', 5))).toBe(false);
      expect(frontier.addMany([entry('http://a/1'), entry('http://a/2'), entry('http://a/2')])).toBe(1);
      expect(frontier.pendingCount).toBe(2);
      frontier.close();
    });

    it('leases the best-scored, then shallowest, then earliest entry', () => {
      const frontier = create();
      frontier.addMany([entry('http://a/low', 0, 1), entry('http://a/deep', 2, 3), entry('http://a/shallow', 2, 1), entry('http://a/shallow2', 2, 1)]);
      expect([frontier.lease(), frontier.lease(), frontier.lease(), frontier.lease()].map((e) => e?.canonicalKey)).toEqual([
        'http://a/shallow',
        'http://a/shallow2',
        'http://a/deep',
        'http://a/low',
      ]);
      expect(frontier.lease()).toBeUndefined();
      frontier.close();
    });

    it('keeps every field of an entry', () => {
      const frontier = create();
      const full: FrontierEntry = { url: 'http://a/x?b=1', canonicalKey: 'http://a/x?b=1', depth: 2, via: 'http://a/', reason: 'hub-link', linkScore: 1.5, hubDepth: 1 };
      frontier.add(full);
      expect(frontier.lease()).toEqual(full);
      frontier.close();
    });

    it('never leases a completed entry again, even when re-added', () => {
      const frontier = create();
      frontier.add(entry('http://a/1'));
      const leased = frontier.lease()!;
      frontier.complete(leased.canonicalKey, { status: 200, outcome: 'on-topic' });
      expect(frontier.add(entry('http://a/1'))).toBe(false);
      expect(frontier.lease()).toBeUndefined();
      expect(frontier.counts()).toEqual({ pending: 0, leased: 0, done: 1 });
      frontier.close();
    });

    it('puts a released entry back in line', () => {
      const frontier = create();
      frontier.add(entry('http://a/1'));
      const leased = frontier.lease()!;
      expect(frontier.counts()).toEqual({ pending: 0, leased: 1, done: 0 });
      frontier.release(leased.canonicalKey);
      expect(frontier.lease()?.canonicalKey).toBe('http://a/1');
      frontier.close();
    });

    it('treats a key marked seen as known without queuing it', () => {
      const frontier = create();
      expect(frontier.markSeen('http://a/canonical')).toBe(true);
      expect(frontier.markSeen('http://a/canonical')).toBe(false);
      expect(frontier.add(entry('http://a/canonical'))).toBe(false);
      expect(frontier.lease()).toBeUndefined();
      frontier.close();
    });

    it('keeps ETag and Last-Modified of a completed fetch', () => {
      const frontier = create();
      frontier.add(entry('http://a/1'));
      frontier.lease();
      const archive = { warcFile: 'w.warc.gz', offset: 10, length: 20, recordId: '<urn:uuid:1>', payloadDigest: 'sha256:x' };
      frontier.complete('http://a/1', { status: 200, outcome: 'on-topic', validators: { etag: '"v1"', lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT', archive } });
      expect(frontier.validators('http://a/1')).toEqual({ etag: '"v1"', lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT', archive });
      expect(frontier.validators('http://a/2')).toBeUndefined();
      frontier.close();
    });
  });
}
