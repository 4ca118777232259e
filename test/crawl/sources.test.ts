import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { crawlFingerprint, isSourceEntry, sourceEntry, sourceUrl } from '../../src/pipeline/crawl-sources.js';

const topic = { name: 't', anyOfEach: [['a']], exclude: [] as string[] };

describe('crawl sources', () => {
  it('fills the query into a site-search URL and requires both', () => {
    expect(sourceUrl({ url: 'http://127.0.0.1:9/suche?q={query}', kind: 'search', query: 'Cyberangriff Schwerin' })).toBe('http://127.0.0.1:9/suche?q=Cyberangriff%20Schwerin');
    expect(configSchema.safeParse({ sources: [{ url: 'http://127.0.0.1:9/suche', kind: 'search', query: 'x' }], topic }).success).toBe(false);
    expect(configSchema.safeParse({ sources: [{ url: 'http://127.0.0.1:9/suche?q={query}', kind: 'search' }], topic }).success).toBe(false);
  });

  it('turns each kind of source into a first-in-line frontier entry', () => {
    const entry = sourceEntry({ url: 'http://127.0.0.1:9/Feed.rss#x', kind: 'feed' });
    expect(entry).toMatchObject({ reason: 'feed', depth: 0, hubDepth: 0, canonicalKey: 'http://127.0.0.1:9/Feed.rss' });
    expect(isSourceEntry(entry)).toBe(true);
    expect(isSourceEntry({ ...entry, via: 'http://127.0.0.1:9/', reason: 'hub-link' })).toBe(false);
  });

  it('fingerprints a crawl by its sources and topic, not by their order', () => {
    const a = { url: 'http://127.0.0.1:9/a', kind: 'seed' as const };
    const b = { url: 'http://127.0.0.1:9/b', kind: 'topic' as const };
    expect(crawlFingerprint({ sources: [a, b], topic })).toBe(crawlFingerprint({ sources: [b, a], topic }));
    expect(crawlFingerprint({ sources: [a], topic })).not.toBe(crawlFingerprint({ sources: [a, b], topic }));
    expect(crawlFingerprint({ sources: [a], topic: { ...topic, from: '2021-10-01' } })).not.toBe(crawlFingerprint({ sources: [a], topic }));
  });
});
