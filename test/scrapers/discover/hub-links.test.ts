import { describe, expect, it } from 'vitest';
import { hubLinks } from '../../../src/scrapers/discover/hub-links.js';
import { parseHtml } from '../../../src/scrapers/extract/html.js';

const base = 'http://127.0.0.1:9/thema/schwerin/';

describe('hubLinks', () => {
  const html = `<html><head><link rel="canonical" href="/thema/schwerin/"><link rel="next" href="/thema/schwerin/seite-2/">
<link rel="alternate" type="application/rss+xml" href="/feed/mv.rss"></head><body>
<ul class="np-nav"><li><a href="/">Start</a></li></ul>
<ul class="np-teaser"><li><a href="/artikel/1/a.html"><span>Cyberangriff</span> <span>Ämter geschützt</span></a> <span>15.10.2024</span></li>
<li><a href="/artikel/2/b.html#kommentare">Schloss wird Welterbe</a></li></ul>
<nav class="np-pagination"><span>Seite 1</span><a href="/thema/schwerin/seite-2/">Seite 2</a><a href="/thema/schwerin/seite-3/">Seite 3</a><a rel="next" href="/thema/schwerin/seite-2/">Weiter</a></nav>
<div class="np-foot"><a href="/impressum.html">Impressum</a></div></body></html>`;

  it('keeps content links with their teaser context, leaves navigation and footer out', () => {
    const found = hubLinks(parseHtml(html), base);
    expect(found.links.map((link) => link.url)).toEqual(['http://127.0.0.1:9/artikel/1/a.html', 'http://127.0.0.1:9/artikel/2/b.html']);
    expect(found.links[0]!.anchorText).toBe('Cyberangriff Ämter geschützt');
    expect(found.links[0]!.category).toContain('15.10.2024');
  });

  it('finds the next pages, the announced feed and the canonical URL', () => {
    const found = hubLinks(parseHtml(html), base);
    expect(found.nextPages).toEqual(['http://127.0.0.1:9/thema/schwerin/seite-2/', 'http://127.0.0.1:9/thema/schwerin/seite-3/']);
    expect(found.feeds).toEqual(['http://127.0.0.1:9/feed/mv.rss']);
    expect(found.canonical).toBe('http://127.0.0.1:9/thema/schwerin/');
  });
});
