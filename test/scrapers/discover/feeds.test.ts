import { describe, expect, it } from 'vitest';
import { isBeforeWindow, parseXmlListing } from '../../../src/scrapers/discover/feeds.js';

const base = 'http://127.0.0.1:8080/';

describe('parseXmlListing', () => {
  it('reads a sitemap index with lastmod', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<!-- generated -->
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>${base}sitemaps/a.xml</loc><lastmod>2021-10-20</lastmod></sitemap>
  <sitemap><loc>/sitemaps/b.xml</loc></sitemap>
</sitemapindex>`;
    expect(parseXmlListing(xml, base)).toEqual({
      kind: 'sitemap-index',
      sitemaps: [
        { url: `${base}sitemaps/a.xml`, date: '2021-10-20' },
        { url: `${base}sitemaps/b.xml`, date: undefined },
      ],
    });
  });

  it('reads a Google-News sitemap: title and publication date', () => {
    const xml = `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:n="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>${base}a.html</loc><n:news><n:publication><n:name>X</n:name></n:publication><n:publication_date>2021-10-15T11:42:00+02:00</n:publication_date><n:title>Hackerangriff legt Verwaltungen lahm</n:title></n:news></url>
<url><loc>${base}b.html</loc><lastmod>2022-01-01</lastmod></url></urlset>`;
    expect(parseXmlListing(xml, base)).toEqual({
      kind: 'urlset',
      urls: [
        { url: `${base}a.html`, title: 'Hackerangriff legt Verwaltungen lahm', date: '2021-10-15T11:42:00+02:00' },
        { url: `${base}b.html`, title: undefined, date: '2022-01-01', modified: '2022-01-01' },
      ],
    });
  });

  it('reads RSS items (link, else a permalink guid) and Atom entries (alternate link)', () => {
    const rss = `<rss version="2.0"><channel><item><title>A</title><link>${base}a.html?utm_source=rss&amp;x=1</link><pubDate>Tue, 15 Oct 2024 07:58:00 +0200</pubDate></item>
<item><title>B</title><guid>${base}b.html</guid></item><item><title>C</title><guid isPermaLink="false">id-3</guid></item></channel></rss>`;
    expect(parseXmlListing(rss, base)).toEqual({
      kind: 'rss',
      urls: [
        { url: `${base}a.html?utm_source=rss&x=1`, title: 'A', date: 'Tue, 15 Oct 2024 07:58:00 +0200' },
        { url: `${base}b.html`, title: 'B', date: undefined },
      ],
    });
    const atom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><title>T</title>
<link rel="enclosure" href="/img.jpg"/><link href="/meldung/t.html"/><published>2021-10-15T11:00:00+02:00</published></entry></feed>`;
    expect(parseXmlListing(atom, base)).toEqual({ kind: 'atom', urls: [{ url: `${base}meldung/t.html`, title: 'T', date: '2021-10-15T11:00:00+02:00' }] });
  });

  it('keeps the modification date apart from the publication date (an article updated in place)', () => {
    const sitemap = `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>${base}a.html</loc><lastmod>2021-10-16T09:00:00+02:00</lastmod><news:news><news:publication_date>2021-10-15T11:42:00+02:00</news:publication_date></news:news></url></urlset>`;
    expect(parseXmlListing(sitemap, base)).toEqual({
      kind: 'urlset',
      urls: [{ url: `${base}a.html`, title: undefined, date: '2021-10-15T11:42:00+02:00', modified: '2021-10-16T09:00:00+02:00' }],
    });
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>T</title><link href="/t.html"/>
<published>2021-10-15T11:00:00+02:00</published><updated>2021-10-18T08:30:00+02:00</updated></entry></feed>`;
    expect(parseXmlListing(atom, base)).toEqual({
      kind: 'atom',
      urls: [{ url: `${base}t.html`, title: 'T', date: '2021-10-15T11:00:00+02:00', modified: '2021-10-18T08:30:00+02:00' }],
    });
  });

  it('says unknown for XML that lists nothing', () => {
    expect(parseXmlListing('<?xml version="1.0"?><html/>', base).kind).toBe('unknown');
  });
});

describe('isBeforeWindow', () => {
  it('drops only dated entries clearly before the first day, keeping a day of slack for zones', () => {
    expect(isBeforeWindow('2021-07-09T10:00:00+02:00', '2021-10-01')).toBe(true);
    expect(isBeforeWindow('2021-09-30T23:30:00+02:00', '2021-10-01')).toBe(false);
    expect(isBeforeWindow(undefined, '2021-10-01')).toBe(false);
    expect(isBeforeWindow('gestern', '2021-10-01')).toBe(false);
    expect(isBeforeWindow('2021-07-09', undefined)).toBe(false);
  });
});
