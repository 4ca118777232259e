import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { hubEntries, listingEntries, relatedEntries, type DiscoveryContext } from '../../src/pipeline/crawl-discovery.js';
import type { FrontierEntry } from '../../src/pipeline/types.js';
import { parseHtml } from '../../src/scrapers/extract/html.js';

const context: DiscoveryContext = {
  config: configSchema.parse({
    sources: [{ url: 'http://127.0.0.1:9/' }],
    topic: { name: 't', anyOfEach: [['Schwerin'], ['Cyberangriff']], from: '2021-10-01' },
    crawl: { maxHubDepth: 2, maxPaginationPages: 3, minLinkScore: 1 },
  }),
  isAllowedHost: (url) => new URL(url).hostname === '127.0.0.1',
};
const hub = parseHtml(`<ul><li><a href="/a.html">Cyberangriff in Schwerin</a></li><li><a href="/b.html">Volleyball</a></li>
<li><a href="http://example.invalid/c.html">Cyberangriff anderswo</a></li></ul><nav class="pagination"><a href="/seite-2/">Seite 2</a></nav>`);
const at = (hubDepth: number, paginationIndex = 0): FrontierEntry => ({ url: 'http://127.0.0.1:9/thema/', canonicalKey: 'http://127.0.0.1:9/thema/', depth: 1, reason: 'hub-link', linkScore: 1, hubDepth, paginationIndex });

describe('discovery decisions', () => {
  it('follows a hub page\'s links that reach the minimum score, on allowed hosts, and its next page', () => {
    const entries = hubEntries(context, at(0), hub, 'http://127.0.0.1:9/thema/');
    expect(entries.map((entry) => [entry.url, entry.hubDepth, entry.paginationIndex])).toEqual([
      ['http://127.0.0.1:9/seite-2/', 0, 1],
      ['http://127.0.0.1:9/a.html', 1, undefined],
    ]);
  });

  it('stops expanding hubs past maxHubDepth and listings past maxPaginationPages', () => {
    expect(hubEntries(context, at(2), hub, 'http://127.0.0.1:9/thema/')).toEqual([]);
    expect(hubEntries(context, at(1, 2), hub, 'http://127.0.0.1:9/thema/').map((entry) => entry.url)).toEqual(['http://127.0.0.1:9/a.html']);
  });

  it('resets the hub depth after an on-topic article', () => {
    const [entry] = relatedEntries(context, { ...at(2), depth: 1 }, [{ url: 'http://127.0.0.1:9/x.html', title: 'Volleyball' }]);
    expect(entry).toMatchObject({ hubDepth: 0, depth: 2, reason: 'related-link' });
  });

  it('leaves out feed items dated before the topic window', () => {
    const entries = listingEntries(context, at(0), {
      kind: 'rss',
      urls: [
        { url: 'http://127.0.0.1:9/alt.html', title: 'Cyberangriff in Schwerin', date: '2021-07-09T10:00:00+02:00' },
        { url: 'http://127.0.0.1:9/neu.html', title: 'Cyberangriff in Schwerin', date: '2021-10-15T10:00:00+02:00' },
      ],
    });
    expect(entries.map((entry) => entry.url)).toEqual(['http://127.0.0.1:9/neu.html']);
  });
});
