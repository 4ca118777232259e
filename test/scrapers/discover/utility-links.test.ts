import { describe, expect, it } from 'vitest';
import { hubLinks } from '../../../src/scrapers/discover/hub-links.js';
import { isUtilityLink } from '../../../src/scrapers/discover/utility-links.js';
import { parseHtml } from '../../../src/scrapers/extract/html.js';

describe('isUtilityLink', () => {
  it.each([
    ['http://127.0.0.1:9/teilen?artikel=4991901', 'Link kopieren'],
    ['http://127.0.0.1:9/artikel/4991901/drucken', ''],
    ['http://127.0.0.1:9/intern/login.html', 'Redaktion'],
    ['http://127.0.0.1:9/konto/anmelden.html', 'Mein Konto'],
    ['http://127.0.0.1:9/artikel/1/a.html?print=1', 'Druckansicht'],
    ['http://127.0.0.1:9/2021/10/angriff/?replytocom=42', 'Antworten'],
    ['http://127.0.0.1:9/index.php?action=print&id=7', ''],
    ['http://127.0.0.1:9/artikel/1/a.html', 'Artikel teilen'],
    ['http://127.0.0.1:9/artikel/1/a.html/comments', ''],
  ])('skips %s (%s)', (url, text) => {
    expect(isUtilityLink(url, text)).toBe(true);
  });

  it.each([
    ['http://127.0.0.1:9/meldung/2021/10/16/landkreis-schaltet-buergertelefon.html?utm_source=ticker#kommentare', 'Landkreis schaltet Bürgertelefon'],
    ['http://127.0.0.1:9/meinung/kommentar/cyberangriff-lehren-a123.html', 'Kommentar: Was die Ämter lernen müssen'],
    ['http://127.0.0.1:9/artikel/4772195/fuehrerscheinstelle-nimmt-wieder-antraege-an.html', 'Führerscheinstelle nimmt wieder Anträge an'],
    ['http://127.0.0.1:9/thema/schwerin/seite-2/', 'Seite 2'],
    ['http://127.0.0.1:9/artikel/9/drucker-im-rathaus-wieder-in-betrieb.html', 'Drucken wieder möglich: Rathaus nimmt Geräte in Betrieb'],
  ])('keeps %s (%s)', (url, text) => {
    expect(isUtilityLink(url, text)).toBe(false);
  });
});

describe('hubLinks and utility links', () => {
  it('leaves share, print and login links of an article page out, keeps the articles it links', () => {
    const html = `<html><body><article><h1>Hacker legen Ämter lahm</h1>
<div class="np-share"><a href="/teilen?artikel=4760594">Link kopieren</a> <a href="/artikel/4760594/drucken">Drucken</a></div>
<p>Schwerin (dpa/mv) - Nach dem Angriff <a href="/artikel/4760631/nach-hackerangriff-buergerbueros-vorerst-zu.html">bleiben die Bürgerbüros zu</a>.</p>
<p><a href="/artikel/4761412/deepbluemagic-ermittler-nennen-schadsoftware.html#kommentare">Ermittler nennen Schadsoftware</a></p></article>
<div class="np-account"><a href="/konto/anmelden.html">Mein Konto</a></div></body></html>`;
    const found = hubLinks(parseHtml(html), 'http://127.0.0.1:9/artikel/4760594/hacker-legen-aemter.html');
    expect(found.links.map((link) => link.url)).toEqual([
      'http://127.0.0.1:9/artikel/4760631/nach-hackerangriff-buergerbueros-vorerst-zu.html',
      'http://127.0.0.1:9/artikel/4761412/deepbluemagic-ermittler-nennen-schadsoftware.html',
    ]);
  });
});
