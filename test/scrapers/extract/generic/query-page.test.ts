import { describe, expect, it } from 'vitest';
import { modifiedTextCandidate } from '../../../../src/scrapers/extract/dates/choose-dates.js';
import { queryPage } from '../../../../src/scrapers/extract/generic/dom.js';
import { parseHtml } from '../../../../src/scrapers/extract/html.js';

const PAGE = `<html><head><title>Küstenkurier</title><meta property="og:site_name" content="Küstenkurier"></head><body><main>
<article class="article"><header><h1><span class="kicker">Schwerin:</span> Bürgerbüros öffnen wieder</h1><time datetime="2021-12-09T14:35:00+01:00">09.12.2021</time></header>
<p class="lead">Schwerin (dpa/mv) - Die Bürgerbüros sind wieder geöffnet.</p>
<div class="article-body"><p>Erster Absatz.</p><blockquote><p>Ein Zitat im Absatz.</p></blockquote><h2>Zwischentitel</h2><p>Zweiter Absatz.</p></div>
<svg><title>Grafik</title></svg></article>
<aside><h2>Weitere News</h2><ul><li><a href="/a.html"><span class="title">A</span></a></li><li><a href="/b.html">B</a></li></ul></aside>
</main></body></html>`;

describe('queryPage', () => {
  it('finds what $(selector) finds, in the same order, for plain, positional and relative selectors', () => {
    const $ = parseHtml(PAGE);
    const selectors = [
      'article h1', 'article h1 .kicker', 'article p.lead', 'article header time', 'article .article-body', 'p, h2, h3',
      'main aside', 'a[href]', 'title', 'meta[property="og:site_name"]', 'li:first-child a', 'p:first', '> html', 'aside > h2 + ul', 'nothing-here',
    ];
    for (const selector of selectors) {
      expect(queryPage($, selector).toArray(), selector).toEqual($(selector).toArray());
    }
  });
});

describe('modifiedTextCandidate', () => {
  const fetchedAt = '2021-11-01T10:00:00Z';
  it('reads an update stamp whose date sits in the next text node, past blank and zero-width text', () => {
    const $ = parseHtml('<p>Intro ohne Datum</p><div><span>\u200b Stand:</span> <span>\u00a0</span><span>15.10.2021, 18:00 Uhr</span></div>');
    expect(modifiedTextCandidate($, fetchedAt)).toEqual({ iso: '2021-10-15T18:00:00+02:00', hasTime: true, source: 'text' });
  });

  it('skips stamps in navigation and text that only mentions the word later', () => {
    const $ = parseHtml('<nav>Aktualisiert: 01.01.2020</nav><p>Der Stand der Dinge: unklar</p><p>Heute aktualisiert: 02.02.2020</p><p>\n  Zuletzt aktualisiert am 16.10.2021 um 09:12 Uhr</p>');
    expect(modifiedTextCandidate($, fetchedAt)?.iso).toBe('2021-10-16T09:12:00+02:00');
  });
});
