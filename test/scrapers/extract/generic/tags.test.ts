import { describe, expect, it } from 'vitest';
import { extractRecord } from '../../../../src/scrapers/extract/extract-article.js';
import { MAX_TAG_CHARS, MAX_TAGS, normaliseTags } from '../../../../src/scrapers/extract/generic/tags.js';

const TEXT = '<p>Schwerin (dpa/mv) - Nach dem Angriff auf die kommunale IT sind die ersten Bürgerbüros wieder geöffnet, teilte die Stadt am Dienstag mit.</p><p>Termine müssen weiterhin vorab telefonisch vereinbart werden, hieß es. Die Wartezeiten seien noch lang.</p>';
const record = (head: string) =>
  extractRecord({ body: new TextEncoder().encode(`<html><head>${head}</head><body><h1>Bürgerbüros öffnen wieder</h1>${TEXT}</body></html>`), url: 'http://127.0.0.1:4000/a.html', headers: {}, fetchedAt: '2021-11-01T10:00:00Z', profiles: [] })!;

describe('tags', () => {
  it('come from JSON-LD keywords and every keyword meta tag, de-duplicated case-insensitively', () => {
    const head = [
      '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Bürgerbüros öffnen wieder","keywords":["Cyberangriff","Schwerin"]}</script>',
      '<meta name="news_keywords" content="schwerin, Bürgerbüro">',
      '<meta property="article:tag" content="Verwaltung">',
      '<meta property="article:tag" content="cyberangriff">',
      '<meta name="keywords" content="Nachrichten; MV">',
    ].join('');
    expect(record(head).tags).toEqual(['Cyberangriff', 'Schwerin', 'Bürgerbüro', 'Verwaltung', 'Nachrichten', 'MV']);
  });

  it('are absent when the page declares none', () => {
    expect(record('<meta name="keywords" content=" , ;">').tags).toBeUndefined();
  });

  it('are trimmed and cleaned; URLs, bare numbers and over-long entries are dropped; at most MAX_TAGS', () => {
    expect(normaliseTags(['  Kfz-Zulassung\n', '#Schwerin', '„Landtag“', 'https://example.org/x', '2021', 'x'.repeat(MAX_TAG_CHARS + 1), 'KFZ-ZULASSUNG'])).toEqual(['Kfz-Zulassung', 'Schwerin', 'Landtag']);
    expect(normaliseTags(Array.from({ length: 100 }, (_, i) => `Tag ${i}`))).toHaveLength(MAX_TAGS);
  });
});
